package pricing

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Request is one call to price (the Go form of PriceRequest in packages/pricing/src/types.ts).
type Request struct {
	Provider     string // gen_ai.provider.name, gen_ai.system or a genai-prices id; may be ""
	Model        string // response model, tried first
	RequestModel string // request model, tried when Model does not match
	Usage        TokenUsage
	Time         time.Time // selects dated prices and variants; zero means now
	// Context is the price context (genai-prices price_context) that selects price variants, e.g.
	// {"service_tier": "priority"} or {"processing": "batch"}; matched exactly and case-sensitively.
	Context map[string]string
	// ProviderReportedCost is the cost (USD) the provider reported for the call, e.g. OpenRouter's
	// usage.cost; used when HasProviderReportedCost and finite and >= 0. It wins over the price data
	// (Source and PriceDataVersion are SourceProviderReported), as providerReportedCost does in
	// @otel-llm-cost/pricing; a model the data does not know is then priced by it alone.
	ProviderReportedCost    float64
	HasProviderReportedCost bool
}

// TokenUsage is provider-neutral: every part is included in its total(s) (GenAI semconv).
type TokenUsage struct {
	InputTokens        float64 // all input, incl. cache reads and writes and every modality
	CacheReadTokens    float64
	CacheWriteTokens   float64 // all TTLs
	CacheWrite1hTokens float64 // part of CacheWriteTokens
	OutputTokens       float64 // all output, incl. reasoning and every modality
	ReasoningTokens    float64
	// Modality parts, priced at their own prices where the price data has them (else as text).
	InputAudioTokens     float64 // part of InputTokens
	InputImageTokens     float64 // part of InputTokens
	InputVideoTokens     float64 // part of InputTokens
	CacheReadAudioTokens float64 // part of both CacheReadTokens and InputAudioTokens
	OutputAudioTokens    float64 // part of OutputTokens
	OutputImageTokens    float64 // part of OutputTokens
}

// vector is t in the genai-prices usage keys, in the order of UsageKeys: TokenUsage has Usage's fields.
func (t *TokenUsage) vector() [nUsage]float64 { return (*Usage)(t).vector() }

// Unpriced reasons.
const (
	ReasonUnknownModel = "unknown_model"
	ReasonNoModel      = "no_model"
	ReasonInvalidUsage = "invalid_usage"
	// ReasonUnsupportedUsage: the model is priced only by units that token counts cannot feed.
	ReasonUnsupportedUsage = "unsupported_usage"
)

// Reasons are all unpriced reasons the pricer gives.
var Reasons = []string{ReasonUnknownModel, ReasonNoModel, ReasonInvalidUsage, ReasonUnsupportedUsage}

// Cost sources.
const (
	SourcePricingData      = "pricing_data"
	SourceOverride         = "override"
	SourceProviderReported = "provider_reported"
)

// Result is a price or the reason there is none. USD figures are rounded to 1e-10.
type Result struct {
	Priced          bool
	Cost            float64
	InputCost       float64
	OutputCost      float64
	CacheSavings    float64
	Source          string
	PricingProvider string
	PricingModel    string
	// Variant is the `when` of the price variants that changed at least one price, as key=value
	// (keys of one when sorted and joined with "&", several variants joined with ","); "" when the
	// standard prices applied.
	Variant          string
	PriceDataVersion string
	Reason           string // when !Priced
	Message          string // when !Priced: names the problem and the fix
}

type resolution struct {
	providerID, modelID string
	model               *Model // nil for an override
	prices              *Prices
	variants            bool // the model's price variants apply (its own provider found it)
	source, version     string
}

const memoLimit = 10000

type memoKey struct{ provider, model, requestModel string }

type variantKey struct {
	std  *ModelPrice
	m    *Model
	mask uint64
}

type variantPrice struct {
	mp      *ModelPrice
	variant string
}

type compiled struct {
	plan *Plan
	err  error // the price fails genai-prices' consistency checks
}

// memo is a bounded map read without locks (sync.Map); it is replaced when full.
type memo struct {
	m sync.Map
	n atomic.Int64
}

// state is one price data document with everything derived from it; replaced whole (atomically)
// when a live document is accepted.
type state struct {
	data    *Data
	memo    atomic.Pointer[memo]
	plans   sync.Map // *ModelPrice -> *compiled
	variant sync.Map // variantKey -> *variantPrice
}

// Pricer prices calls from the price data and optional overrides; safe for concurrent use. The data
// can be replaced while it runs (SetData); a call sees one document from start to end.
type Pricer struct {
	st              atomic.Pointer[state]
	overrides       []*Override
	overrideVersion string
	now             func() time.Time
}

// NewPricer creates a pricer over the given data and overrides (may be nil).
func NewPricer(data *Data, overrides []*Override, overridesOrigin string) *Pricer {
	p := &Pricer{overrides: overrides, overrideVersion: "override:" + overridesOrigin, now: time.Now}
	p.SetData(data)
	return p
}

// SetData replaces the price data (and drops everything memoized from the previous one).
func (p *Pricer) SetData(d *Data) {
	s := &state{data: d}
	s.memo.Store(&memo{})
	p.st.Store(s)
}

// Data is the price data in use.
func (p *Pricer) Data() *Data { return p.st.Load().data }

// Version is the version of the price data in use, e.g. genai-prices@0.2.3.
func (p *Pricer) Version() string { return p.st.Load().data.Version }

// RoundUSD rounds to 1e-10 USD (half up, as JavaScript's Math.round(x*1e10)/1e10).
func RoundUSD(x float64) float64 {
	v := x * 1e10
	f := math.Floor(v)
	if v-f >= 0.5 {
		f++
	}
	return f / 1e10
}

func (s *state) compiled(mp *ModelPrice) *compiled {
	if v, ok := s.plans.Load(mp); ok {
		return v.(*compiled)
	}
	c := &compiled{err: validatePrice(s.data.Units, mp)}
	if c.err == nil {
		c.plan = compilePlan(s.data.Units, mp)
	}
	s.plans.Store(mp, c)
	return c
}

func (p *Pricer) fromOverrides(model, providerID string) *resolution {
	for _, o := range p.overrides {
		if o.ProviderID != "" && o.ProviderID != providerID {
			continue
		}
		if o.Match.Matches(model) {
			pid := o.ProviderID
			if pid == "" {
				pid = providerID
			}
			if pid == "" {
				pid = "custom"
			}
			return &resolution{providerID: pid, modelID: o.ID, prices: o.Prices, source: SourceOverride, version: p.overrideVersion}
		}
	}
	return nil
}

func fromData(d *Data, model, providerID string) *resolution {
	prov, m, own := d.lookup(model, providerID)
	if m == nil {
		return nil
	}
	return &resolution{
		providerID: prov.ID, modelID: m.ID, model: m, prices: m.Prices,
		variants: own && len(m.PriceVariants) > 0, source: SourcePricingData, version: d.Version,
	}
}

func (p *Pricer) resolveModel(d *Data, model, providerName string) *resolution {
	// A provider name the data does not know is kept as given: genai-prices then prices nothing for
	// it (except litellm, whose model names carry the provider) rather than guessing from the model.
	providerID := d.ResolveProviderID(providerName)
	if providerID == "" && providerName != "" {
		providerID = strings.ToLower(strings.TrimSpace(providerName))
	}
	prefixID, bare := "", ""
	if slash := strings.Index(model, "/"); slash > 0 {
		prefixID = d.ResolveProviderID(model[:slash])
		if prefixID != "" {
			bare = model[slash+1:]
		}
	}
	if r := p.fromOverrides(model, providerID); r != nil {
		return r
	}
	if prefixID != "" {
		if r := p.fromOverrides(bare, prefixID); r != nil {
			return r
		}
	}
	if r := fromData(d, model, providerID); r != nil {
		return r
	}
	if prefixID != "" {
		return fromData(d, bare, prefixID)
	}
	return nil
}

// Memo remembers the last few model lookups of calls that one caller prices in turn (the collector
// processor keeps one per batch, whose spans mostly name the same few models), in front of the
// pricer's shared memo: a hit costs a few string comparisons instead of hashing the names. Not safe
// for concurrent use; the zero value is ready. It forgets everything when the price data changes.
type Memo struct {
	st   *state
	keys [4]memoKey
	res  [4]*resolution
	n    int // entries in use
	next int // the entry replaced next
	// The last few compiled prices, in front of the state's (a sync.Map lookup per call otherwise).
	prices    [4]*ModelPrice
	plans     [4]*compiled
	nextPrice int
}

// compiled is s.compiled(mp) through m (nil for none); m is for state s (resolve has reset it).
func (m *Memo) compiled(s *state, mp *ModelPrice) *compiled {
	if m == nil || mp == nil {
		return s.compiled(mp)
	}
	for i := range m.prices {
		if m.prices[i] == mp {
			return m.plans[i]
		}
	}
	c := s.compiled(mp)
	m.prices[m.nextPrice], m.plans[m.nextPrice] = mp, c
	m.nextPrice = (m.nextPrice + 1) % len(m.prices)
	return c
}

func (m *Memo) get(s *state, key memoKey) (*resolution, bool) {
	if m.st != s {
		*m = Memo{st: s}
		return nil, false
	}
	for i := 0; i < m.n; i++ {
		if m.keys[i] == key {
			return m.res[i], true
		}
	}
	return nil, false
}

func (m *Memo) put(key memoKey, r *resolution) {
	m.keys[m.next], m.res[m.next] = key, r
	m.next = (m.next + 1) % len(m.keys)
	if m.n < len(m.keys) {
		m.n++
	}
}

// resolve finds the model of req, through m (may be nil) and the shared memo.
func (p *Pricer) resolve(s *state, req *Request, m *Memo) *resolution {
	key := memoKey{req.Provider, req.Model, req.RequestModel}
	if m != nil {
		if r, ok := m.get(s, key); ok {
			return r
		}
		r := p.resolveShared(s, key)
		m.put(key, r)
		return r
	}
	return p.resolveShared(s, key)
}

func (p *Pricer) resolveShared(s *state, key memoKey) *resolution {
	mm := s.memo.Load()
	if v, ok := mm.m.Load(key); ok {
		return v.(*resolution)
	}
	var hit *resolution
	for _, c := range []string{key.model, key.requestModel} {
		if c == "" {
			continue
		}
		if r := p.resolveModel(s.data, strings.TrimSpace(c), key.provider); r != nil {
			hit = r
			break
		}
	}
	if mm.n.Add(1) > memoLimit {
		mm = &memo{}
		s.memo.Store(mm)
	}
	mm.m.Store(key, hit)
	return hit
}

// withVariants is genai-prices ModelInfo.get_prices with a price context: for each price key, the
// first variant (in order) whose constraint is active at t and whose when all equal the context sets
// it; the standard price otherwise. variant names the variants that set at least one key. cached is
// false for a price built for this call only (a model with more than 64 variants).
func (s *state) withVariants(m *Model, std *ModelPrice, ctx map[string]string, t time.Time) (mp *ModelPrice, variant string, cached bool) {
	var mask uint64
	var buf [8]*PriceVariant
	matching := buf[:0]
	for i, v := range m.PriceVariants {
		if v.Constraint != nil && !v.Constraint.Active(t) {
			continue
		}
		if !whenMatches(v.When, ctx) {
			continue
		}
		matching = append(matching, v)
		if i < 64 {
			mask |= 1 << i
		}
	}
	if len(matching) == 0 {
		return std, "", true
	}
	cacheable := len(m.PriceVariants) <= 64
	key := variantKey{std, m, mask}
	if cacheable {
		if v, ok := s.variant.Load(key); ok {
			vp := v.(*variantPrice)
			return vp.mp, vp.variant, true
		}
	}
	out := &ModelPrice{Items: append([]PriceItem(nil), std.Items...)}
	set := map[string]bool{}
	var names []string
	for _, v := range matching {
		changed := false
		if v.Prices != nil {
			for _, it := range v.Prices.Items {
				if set[it.Key] {
					continue
				}
				set[it.Key] = true
				changed = true
				if i := out.index(it.Key); i >= 0 {
					out.Items[i].Value = it.Value
				} else {
					out.Items = append(out.Items, it)
				}
			}
		}
		if changed {
			names = append(names, formatWhen(v.When))
		}
	}
	vp := &variantPrice{mp: out, variant: strings.Join(names, ",")}
	if len(names) == 0 {
		vp.mp = std // the matching variants set no price (e.g. service_tier=default)
	}
	if cacheable {
		if v, loaded := s.variant.LoadOrStore(key, vp); loaded {
			vp = v.(*variantPrice)
		}
	}
	return vp.mp, vp.variant, cacheable || vp.mp == std
}

func whenMatches(when, ctx map[string]string) bool {
	for k, v := range when {
		if c, ok := ctx[k]; !ok || c != v {
			return false
		}
	}
	return true
}

func usageProblem(u *TokenUsage) string {
	// x >= 0 && x <= MaxFloat64 is false exactly for NaN, infinities and negatives: the common case,
	// every count valid, needs no list of names.
	valid := func(x float64) bool { return x >= 0 && x <= math.MaxFloat64 }
	if valid(u.InputTokens) && valid(u.CacheReadTokens) && valid(u.CacheWriteTokens) && valid(u.CacheWrite1hTokens) &&
		valid(u.OutputTokens) && valid(u.ReasoningTokens) && valid(u.InputAudioTokens) && valid(u.InputImageTokens) &&
		valid(u.InputVideoTokens) && valid(u.CacheReadAudioTokens) && valid(u.OutputAudioTokens) && valid(u.OutputImageTokens) {
		return ""
	}
	for _, f := range []struct {
		name string
		v    float64
	}{
		{"inputTokens", u.InputTokens}, {"cacheReadTokens", u.CacheReadTokens}, {"cacheWriteTokens", u.CacheWriteTokens},
		{"cacheWrite1hTokens", u.CacheWrite1hTokens}, {"outputTokens", u.OutputTokens}, {"reasoningTokens", u.ReasoningTokens},
		{"inputAudioTokens", u.InputAudioTokens}, {"inputImageTokens", u.InputImageTokens}, {"inputVideoTokens", u.InputVideoTokens},
		{"cacheReadAudioTokens", u.CacheReadAudioTokens}, {"outputAudioTokens", u.OutputAudioTokens}, {"outputImageTokens", u.OutputImageTokens},
	} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) || f.v < 0 {
			return fmt.Sprintf("%s must be a finite non-negative number, got %v", f.name, f.v)
		}
	}
	return ""
}

// Price prices one call. It never panics: any internal failure is reported as invalid_usage.
func (p *Pricer) Price(req *Request) Result { return p.PriceWith(nil, req) }

// PriceWith is Price with the model lookups remembered in m (nil for none), which the caller keeps
// for calls it prices in turn.
func (p *Pricer) PriceWith(m *Memo, req *Request) (res Result) {
	s := p.st.Load()
	defer func() {
		if r := recover(); r != nil {
			res = Result{Reason: ReasonInvalidUsage, Message: fmt.Sprint(r), PriceDataVersion: s.data.Version}
		}
	}()
	return p.price(s, req, m)
}

func (p *Pricer) price(s *state, req *Request, m *Memo) Result {
	version := s.data.Version
	if req.Model == "" && req.RequestModel == "" {
		return Result{Reason: ReasonNoModel, Message: "the call names no model (gen_ai.response.model / gen_ai.request.model)", PriceDataVersion: version}
	}
	if problem := usageProblem(&req.Usage); problem != "" {
		return Result{Reason: ReasonInvalidUsage, Message: problem, PriceDataVersion: version}
	}
	found := p.resolve(s, req, m)
	reported := req.HasProviderReportedCost && !math.IsNaN(req.ProviderReportedCost) &&
		!math.IsInf(req.ProviderReportedCost, 0) && req.ProviderReportedCost >= 0
	if found == nil && reported {
		return p.reportedOnly(s.data, req)
	}
	if found == nil {
		var names []string
		for _, m := range []string{req.Model, req.RequestModel} {
			if m != "" {
				names = append(names, fmt.Sprintf("%q", m))
			}
		}
		provider := ""
		if req.Provider != "" {
			provider = fmt.Sprintf(" of provider %q", req.Provider)
		}
		return Result{
			Reason: ReasonUnknownModel,
			Message: fmt.Sprintf("no price for model %s%s in %s or the price overrides; add it to your overrides file",
				strings.Join(names, " / "), provider, version),
			PriceDataVersion: version,
		}
	}
	t := req.Time
	if t.IsZero() {
		t = p.now()
	}
	mp := PricesAt(found.prices, t)
	variant := ""
	var c *compiled
	if found.variants && len(req.Context) > 0 {
		var cached bool
		mp, variant, cached = s.withVariants(found.model, mp, req.Context, t)
		if !cached { // a price built for this call only: compile it without keeping it
			c = &compiled{err: validatePrice(s.data.Units, mp)}
			if c.err == nil {
				c.plan = compilePlan(s.data.Units, mp)
			}
		}
	}
	if c == nil {
		c = m.compiled(s, mp)
	}
	if c.err != nil && reported {
		return p.reportedOnly(s.data, req)
	}
	if c.err != nil {
		return Result{
			Reason: ReasonUnknownModel,
			Message: fmt.Sprintf("the price of model %q (provider %s) in %s is inconsistent (%v); add the model to your overrides file",
				found.modelID, found.providerID, found.version, c.err),
			PriceDataVersion: found.version,
		}
	}
	plan := c.plan
	if !plan.pricesTokens && !reported && (req.Usage.InputTokens > 0 || req.Usage.OutputTokens > 0) {
		keys := make([]string, 0, len(plan.entries))
		for _, e := range plan.entries {
			keys = append(keys, e.unit.PriceKey)
		}
		return Result{
			Reason: ReasonUnsupportedUsage,
			Message: fmt.Sprintf("model %q is priced by %s in %s, which token counts cannot price; add a token price to your overrides file",
				found.modelID, strings.Join(keys, ", "), found.version),
			PriceDataVersion: found.version,
		}
	}
	u := req.Usage.vector()
	cost, err := plan.run(&u)
	if err != nil {
		return Result{Reason: ReasonInvalidUsage, Message: err.Error(), PriceDataVersion: found.version}
	}
	savings := 0.0
	if u[usageCacheRead] != 0 || u[usageCacheReadAudio] != 0 {
		// What the call would have cost had nothing been read from the cache (reads priced as input).
		noCache := u
		noCache[usageCacheRead], noCache[usageCacheReadAudio] = 0, 0
		if c, err := plan.run(&noCache); err == nil {
			savings = RoundUSD(c.Total - cost.Total)
		}
	}
	res := Result{
		Priced:           true,
		Cost:             RoundUSD(cost.Total),
		InputCost:        RoundUSD(cost.Input),
		OutputCost:       RoundUSD(cost.Output),
		CacheSavings:     savings,
		Source:           found.source,
		PricingProvider:  found.providerID,
		PricingModel:     found.modelID,
		Variant:          variant,
		PriceDataVersion: found.version,
	}
	if reported {
		res.Cost = RoundUSD(req.ProviderReportedCost)
		res.Source, res.PriceDataVersion = SourceProviderReported, SourceProviderReported
	}
	return res
}

// reportedOnly prices a call that the price data cannot price by the cost its provider reported.
func (p *Pricer) reportedOnly(d *Data, req *Request) Result {
	provider := d.ResolveProviderID(req.Provider)
	if provider == "" {
		provider = req.Provider
	}
	if provider == "" {
		provider = "unknown"
	}
	model := req.Model
	if model == "" {
		model = req.RequestModel
	}
	return Result{
		Priced: true, Cost: RoundUSD(req.ProviderReportedCost), Source: SourceProviderReported,
		PricingProvider: provider, PricingModel: model, PriceDataVersion: SourceProviderReported,
	}
}
