package pricing

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"time"
)

// Request is one call to price (the Go form of PriceRequest in packages/pricing/src/types.ts).
type Request struct {
	Provider     string // gen_ai.provider.name, gen_ai.system or a genai-prices id; may be ""
	Model        string // response model, tried first
	RequestModel string // request model, tried when Model does not match
	Usage        TokenUsage
	Time         time.Time // selects dated prices; zero means now
}

// TokenUsage is provider-neutral: every subset is included in its total (GenAI semconv).
type TokenUsage struct {
	InputTokens        float64 // all input, incl. cache reads and writes
	CacheReadTokens    float64
	CacheWriteTokens   float64 // all TTLs
	CacheWrite1hTokens float64 // part of CacheWriteTokens
	OutputTokens       float64 // all output, incl. reasoning
	ReasoningTokens    float64
}

// Unpriced reasons.
const (
	ReasonUnknownModel = "unknown_model"
	ReasonNoModel      = "no_model"
	ReasonInvalidUsage = "invalid_usage"
	// ReasonUnsupportedUsage: the model is priced only by units that token counts cannot feed.
	ReasonUnsupportedUsage = "unsupported_usage"
)

// Cost sources.
const (
	SourcePricingData = "pricing_data"
	SourceOverride    = "override"
)

// Result is a price or the reason there is none. USD figures are rounded to 1e-10.
type Result struct {
	Priced           bool
	Cost             float64
	InputCost        float64
	OutputCost       float64
	CacheSavings     float64
	Source           string
	PricingProvider  string
	PricingModel     string
	PriceDataVersion string
	Reason           string // when !Priced
	Message          string // when !Priced: names the problem and the fix
}

type resolution struct {
	providerID, modelID string
	prices              *Prices
	source, version     string
}

const memoLimit = 10000

type memoKey struct{ provider, model, requestModel string }

// Pricer prices calls from the bundled data and optional overrides; safe for concurrent use.
type Pricer struct {
	data            *Data
	overrides       []*Override
	overrideVersion string

	mu    sync.RWMutex
	memo  map[memoKey]*resolution
	plans sync.Map // *ModelPrice -> *Plan
	valid sync.Map // *ModelPrice -> error
	now   func() time.Time
}

// NewPricer creates a pricer over the bundled data and the given overrides (may be nil).
func NewPricer(data *Data, overrides []*Override, overridesOrigin string) *Pricer {
	return &Pricer{
		data:            data,
		overrides:       overrides,
		overrideVersion: "override:" + overridesOrigin,
		memo:            map[memoKey]*resolution{},
		now:             time.Now,
	}
}

// Version is the price data version, e.g. genai-prices@0.1.8.
func (p *Pricer) Version() string { return p.data.Version }

// RoundUSD rounds to 1e-10 USD exactly as JavaScript's Math.round(x*1e10)/1e10.
func RoundUSD(x float64) float64 {
	v := x * 1e10
	f := math.Floor(v)
	if v-f >= 0.5 {
		f++
	}
	return f / 1e10
}

func (p *Pricer) planFor(mp *ModelPrice) *Plan {
	if v, ok := p.plans.Load(mp); ok {
		return v.(*Plan)
	}
	plan := compilePlan(p.data.Units, mp)
	p.plans.Store(mp, plan)
	return plan
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

func (p *Pricer) fromBundled(model, providerID string) *resolution {
	prov, m := p.data.lookup(model, providerID)
	if m == nil {
		return nil
	}
	// genai-prices' calcPrice validates the price in force now and throws when it is inconsistent;
	// the TypeScript pricer then treats the model as unknown.
	mp := PricesAt(m.Prices, p.now())
	var err error
	if v, ok := p.valid.Load(mp); ok {
		if v != nil {
			err = v.(error)
		}
	} else {
		err = validatePrice(p.data.Units, mp)
		p.valid.Store(mp, err)
	}
	if err != nil {
		return nil
	}
	return &resolution{providerID: prov.ID, modelID: m.ID, prices: m.Prices, source: SourcePricingData, version: p.data.Version}
}

func (p *Pricer) resolveModel(model, providerName string) *resolution {
	providerID := p.data.ResolveProviderID(providerName)
	prefixID, bare := "", ""
	if slash := strings.Index(model, "/"); slash > 0 {
		prefixID = p.data.ResolveProviderID(model[:slash])
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
	if r := p.fromBundled(model, providerID); r != nil {
		return r
	}
	if prefixID != "" {
		return p.fromBundled(bare, prefixID)
	}
	return nil
}

func (p *Pricer) resolve(req *Request) *resolution {
	key := memoKey{req.Provider, req.Model, req.RequestModel}
	p.mu.RLock()
	hit, ok := p.memo[key]
	p.mu.RUnlock()
	if ok {
		return hit
	}
	for _, c := range []string{req.Model, req.RequestModel} {
		if c == "" {
			continue
		}
		if r := p.resolveModel(strings.TrimSpace(c), req.Provider); r != nil {
			hit = r
			break
		}
	}
	p.mu.Lock()
	if len(p.memo) >= memoLimit {
		p.memo = map[memoKey]*resolution{}
	}
	p.memo[key] = hit
	p.mu.Unlock()
	return hit
}

func usageProblem(u *TokenUsage) string {
	for _, f := range []struct {
		name string
		v    float64
	}{
		{"inputTokens", u.InputTokens}, {"cacheReadTokens", u.CacheReadTokens}, {"cacheWriteTokens", u.CacheWriteTokens},
		{"cacheWrite1hTokens", u.CacheWrite1hTokens}, {"outputTokens", u.OutputTokens}, {"reasoningTokens", u.ReasoningTokens},
	} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) || f.v < 0 {
			return fmt.Sprintf("%s must be a finite non-negative number, got %v", f.name, f.v)
		}
	}
	if u.CacheReadTokens+u.CacheWriteTokens > u.InputTokens {
		return fmt.Sprintf("cache reads + writes (%v) exceed input tokens (%v); inputTokens must include cached tokens",
			u.CacheReadTokens+u.CacheWriteTokens, u.InputTokens)
	}
	if u.CacheWrite1hTokens > u.CacheWriteTokens {
		return "cacheWrite1hTokens exceeds cacheWriteTokens"
	}
	if u.ReasoningTokens > u.OutputTokens {
		return fmt.Sprintf("reasoning tokens (%v) exceed output tokens (%v); outputTokens must include reasoning", u.ReasoningTokens, u.OutputTokens)
	}
	return ""
}

// Price prices one call. It never panics: any internal failure is reported as invalid_usage.
func (p *Pricer) Price(req *Request) (res Result) {
	defer func() {
		if r := recover(); r != nil {
			res = Result{Reason: ReasonInvalidUsage, Message: fmt.Sprint(r), PriceDataVersion: p.data.Version}
		}
	}()
	return p.price(req)
}

func (p *Pricer) price(req *Request) Result {
	if req.Model == "" && req.RequestModel == "" {
		return Result{Reason: ReasonNoModel, Message: "the call names no model (gen_ai.response.model / gen_ai.request.model)", PriceDataVersion: p.data.Version}
	}
	if problem := usageProblem(&req.Usage); problem != "" {
		return Result{Reason: ReasonInvalidUsage, Message: problem, PriceDataVersion: p.data.Version}
	}
	found := p.resolve(req)
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
				strings.Join(names, " / "), provider, p.data.Version),
			PriceDataVersion: p.data.Version,
		}
	}
	t := req.Time
	if t.IsZero() {
		t = p.now()
	}
	plan := p.planFor(PricesAt(found.prices, t))
	if !plan.pricesTokens && (req.Usage.InputTokens > 0 || req.Usage.OutputTokens > 0) {
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
	u := Usage{
		InputTokens: req.Usage.InputTokens, CacheReadTokens: req.Usage.CacheReadTokens,
		CacheWriteTokens: req.Usage.CacheWriteTokens, CacheWrite1hTokens: req.Usage.CacheWrite1hTokens,
		OutputTokens: req.Usage.OutputTokens, ReasoningTokens: req.Usage.ReasoningTokens,
	}
	cost, err := plan.Run(&u)
	if err != nil {
		return Result{Reason: ReasonInvalidUsage, Message: err.Error(), PriceDataVersion: found.version}
	}
	savings := 0.0
	if u.CacheReadTokens != 0 {
		noCache := u
		noCache.CacheReadTokens = 0
		if c, err := plan.Run(&noCache); err == nil {
			savings = RoundUSD(c.Total - cost.Total)
		}
	}
	return Result{
		Priced:           true,
		Cost:             RoundUSD(cost.Total),
		InputCost:        RoundUSD(cost.Input),
		OutputCost:       RoundUSD(cost.Output),
		CacheSavings:     savings,
		Source:           found.source,
		PricingProvider:  found.providerID,
		PricingModel:     found.modelID,
		PriceDataVersion: found.version,
	}
}
