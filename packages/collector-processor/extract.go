package llmcostprocessor // import "github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor"

import (
	"math"
	"sort"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor/internal/pricing"
)

// maxTokens bounds a believable token count of one call; larger values are treated as malformed.
const maxTokens = 1e10

// Problems counted by the malformed-spans counter.
const (
	problemWrongType    = "wrong_type"    // e.g. a token count sent as a string or a bool
	problemNegative     = "negative"      // a negative token count
	problemNotInteger   = "not_integer"   // a fractional or non-finite token count
	problemTooLarge     = "too_large"     // a token count above maxTokens
	problemMissingModel = "missing_model" // token counts but no model attribute
)

// extraction is what a span says about one LLM call, normalised to GenAI semconv meaning
// (every subset included in its total).
type extraction struct {
	source       string // which instrumentation family the totals came from
	usage        pricing.TokenUsage
	provider     string
	model        string // response model
	requestModel string
	problem      string // first malformed value found, "" when none
	exclusive    bool   // the input count excluded cache tokens and was corrected
	parts        bool   // a part of the totals (cache, reasoning, modalities) was read; else all of them are 0
}

// extract reads the token counts, models and provider of a span into e (zero before). hasUsage is false
// for spans that carry no token counts at all (then only the names are read, and no problem is recorded
// for a missing model). It fills the caller's e rather than returning one: the struct is large, and this
// runs for every span.
func (e *extraction) extract(ix *attrIndex) (hasUsage bool) {
	for _, t := range totalSlotList {
		in, inOK := ix.get(t.input)
		out, outOK := ix.get(t.output)
		if !inOK && !outOK {
			continue
		}
		hasUsage = true
		e.source = t.source
		if inOK {
			e.usage.InputTokens = e.count(in)
		}
		if outOK {
			e.usage.OutputTokens = e.count(out)
		}
		break
	}
	if hasUsage {
		e.readParts(ix)
	}
	e.model = e.str(ix, &responseModelSlots)
	e.requestModel = e.str(ix, &requestModelSlots)
	e.provider = e.str(ix, &providerSlots)
	if e.provider == "" {
		e.provider = e.str(ix, &vercelProviderSlots)
	}
	e.provider = ix.providers.normalize(e.provider)
	if !hasUsage {
		e.problem = "" // a name of the wrong type on a span without usage is no malformed usage
		return false
	}
	if e.model == "" && e.requestModel == "" && e.problem == "" {
		e.problem = problemMissingModel
	}
	return true
}

// readParts reads the parts of the totals (cache, reasoning, modalities) and normalises them.
func (e *extraction) readParts(ix *attrIndex) {
	if !ix.found.meets(&partSlotSet) {
		return // no part: all of them 0, nothing to normalise
	}
	e.parts = true
	e.usage.CacheReadTokens = e.first(ix, &cacheReadSlots)
	e.usage.CacheWriteTokens = e.first(ix, &cacheWriteSlots)
	e.usage.CacheWrite1hTokens = e.first(ix, &cacheWrite1hSlots)
	if e.usage.CacheWriteTokens == 0 {
		// Anthropic SDK self-traces may carry only the per-TTL split.
		if v, found := ix.get(cacheWrite5mSlot); found {
			e.usage.CacheWriteTokens = e.count(v) + e.usage.CacheWrite1hTokens
		}
	}
	e.usage.ReasoningTokens = e.first(ix, &reasoningSlots)
	e.usage.InputAudioTokens = e.first(ix, &inputAudioSlots)
	e.usage.InputImageTokens = e.first(ix, &inputImageSlots)
	e.usage.InputVideoTokens = e.first(ix, &inputVideoSlots)
	e.usage.CacheReadAudioTokens = e.first(ix, &cacheAudioSlots)
	e.usage.OutputAudioTokens = e.first(ix, &outputAudioSlots)
	e.usage.OutputImageTokens = e.first(ix, &outputImageSlots)

	// GenAI semconv: input includes cache reads and writes. The Anthropic SDK's own spans follow it
	// (@anthropic-ai/sdk 1.x sets gen_ai.usage.input_tokens = input + cache_read + cache_creation).
	// Anthropic's API itself reports input_tokens WITHOUT the cache parts, and some instrumentations
	// copy that number as it is: when the cache parts exceed the input, it cannot have included them.
	// (An API-style input larger than its cache parts cannot be told apart; it is taken as semconv.)
	cache := e.usage.CacheReadTokens + e.usage.CacheWriteTokens
	if cache > 0 && cache > e.usage.InputTokens {
		e.usage.InputTokens += cache
		e.exclusive = true
	}
	// Likewise Google's candidate count excludes thoughts: reasoning above output was not part of it.
	if e.usage.ReasoningTokens > e.usage.OutputTokens {
		e.usage.OutputTokens += e.usage.ReasoningTokens
		e.exclusive = true
	}
}

// providerCost is the cost (USD) the provider reported, as instrumentations record it: the semconv
// proposal's gen_ai.usage.cost.amount with gen_ai.usage.cost.source = provider (in USD), else
// OpenInference's llm.cost.total when above 0.
func providerCost(ix *attrIndex) (float64, bool) {
	if src, ok := ix.get(semconvCostSourceSlot); ok && src.Type() == pcommon.ValueTypeStr && src.Str() == "provider" {
		cur, hasCur := ix.get(semconvCostCurrSlot)
		if !hasCur || (cur.Type() == pcommon.ValueTypeStr && strings.EqualFold(cur.Str(), "USD")) {
			if v, ok := ix.get(semconvCostAmountSlot); ok {
				if f, ok := usd(v); ok {
					return f, true
				}
			}
		}
	}
	if v, ok := ix.get(openInferenceCostSlot); ok {
		if f, ok := usd(v); ok && f > 0 {
			return f, true
		}
	}
	return 0, false
}

// vercelKeys are vercelProviders' keys, longest first, so "google.vertex" wins over a shorter key.
var vercelKeys = func() []string {
	keys := make([]string, 0, len(vercelProviders))
	for k := range vercelProviders {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return len(keys[i]) > len(keys[j]) || (len(keys[i]) == len(keys[j]) && keys[i] < keys[j])
	})
	return keys
}()

// vercelKeysBySegment are vercelKeys (in their order) by their part before the first dot: a key equal
// to a name or followed by a dot in it has the same first part as the name, so only those are tried.
var vercelKeysBySegment = func() map[string][]string {
	m := map[string][]string{}
	for _, k := range vercelKeys {
		seg := firstSegment(k)
		m[seg] = append(m[seg], k)
	}
	return m
}()

// firstSegment is s up to its first dot (all of s without one).
func firstSegment(s string) string {
	if dot := strings.IndexByte(s, '.'); dot >= 0 {
		return s[:dot]
	}
	return s
}

// normalizeProvider maps older or vendor-specific provider names to semconv names, by the contract's rule
// (the Node package applies the same): lower-cased; the longest vercelProviders key equal to the name or
// followed by a dot; else providerNames; else a dotted name keeps its first part ("openai.chat" -> "openai")
// unless it is a semconv name with a dot ("aws.bedrock", "gcp.gemini", "azure.ai.openai").
func normalizeProvider(raw string) string {
	lower := strings.ToLower(strings.TrimSpace(raw))
	if lower == "" {
		return ""
	}
	for _, k := range vercelKeysBySegment[firstSegment(lower)] {
		if strings.HasPrefix(lower, k) && (len(lower) == len(k) || lower[len(k)] == '.') {
			return vercelProviders[k]
		}
	}
	if named, ok := providerNames[lower]; ok {
		return named
	}
	if dot := strings.IndexByte(lower, '.'); dot > 0 {
		for _, p := range dottedProviderPrefixes {
			if strings.HasPrefix(lower, p) {
				return lower
			}
		}
		return lower[:dot]
	}
	return lower
}

// providerMemo remembers the last few normalizeProvider results of one batch, whose spans mostly name
// the same few providers: a hit costs a string comparison instead of the lookups. The zero value is
// valid (normalizeProvider("") is "").
type providerMemo struct {
	raw, normalized [4]string
	next            int
}

func (m *providerMemo) normalize(raw string) string {
	for i := range m.raw {
		if m.raw[i] == raw {
			return m.normalized[i]
		}
	}
	n := normalizeProvider(raw)
	m.raw[m.next], m.normalized[m.next] = raw, n
	m.next = (m.next + 1) % len(m.raw)
	return n
}

// usd reads a finite, non-negative amount.
func usd(v pcommon.Value) (float64, bool) {
	var f float64
	switch v.Type() {
	case pcommon.ValueTypeDouble:
		f = v.Double()
	case pcommon.ValueTypeInt:
		f = float64(v.Int())
	default:
		return 0, false
	}
	if math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		return 0, false
	}
	return f, true
}

// isZero: a numeric attribute value equal to 0.
func isZero(v pcommon.Value) bool {
	switch v.Type() {
	case pcommon.ValueTypeDouble:
		return v.Double() == 0
	case pcommon.ValueTypeInt:
		return v.Int() == 0
	}
	return false
}

func (e *extraction) first(ix *attrIndex, l *slotList) float64 {
	if !ix.found.meets(&l.set) {
		return 0
	}
	for _, k := range l.slots {
		if v, ok := ix.get(k); ok {
			return e.count(v)
		}
	}
	return 0
}

// count reads a token count; malformed values count as 0 and record the problem.
func (e *extraction) count(v pcommon.Value) float64 {
	var f float64
	switch v.Type() {
	case pcommon.ValueTypeInt:
		f = float64(v.Int())
	case pcommon.ValueTypeDouble:
		f = v.Double()
		if math.IsNaN(f) || math.IsInf(f, 0) || f != math.Trunc(f) {
			e.flag(problemNotInteger)
			return 0
		}
	default:
		e.flag(problemWrongType)
		return 0
	}
	switch {
	case f < 0:
		e.flag(problemNegative)
		return 0
	case f > maxTokens:
		e.flag(problemTooLarge)
		return 0
	}
	return f
}

func (e *extraction) str(ix *attrIndex, l *slotList) string {
	for _, k := range l.slots {
		v, ok := ix.get(k)
		if !ok {
			continue
		}
		if v.Type() != pcommon.ValueTypeStr {
			e.flag(problemWrongType)
			continue
		}
		if s := trimSpace(v.Str()); s != "" {
			return s
		}
	}
	return ""
}

// trimSpace is strings.TrimSpace, without its scans for the usual name that starts and ends with a
// printable ASCII character (which no Unicode space is).
func trimSpace(s string) string {
	if n := len(s); n > 0 && s[0] > ' ' && s[0] < 0x7f && s[n-1] > ' ' && s[n-1] < 0x7f {
		return s
	}
	return strings.TrimSpace(s)
}

func (e *extraction) flag(problem string) {
	if e.problem == "" {
		e.problem = problem
	}
}

// priceContext is the span's price context (the same rules as @otel-llm-cost/node's foreign spans):
// openai.response.service_tier as service_tier (never a requested "auto"); anthropic.response.service_tier
// as service_tier, except "batch", which is processing=batch; then every non-empty string attribute
// llmcost.price.context.<key> as <key>, winning over both. nil when there is none.
func priceContext(attrs pcommon.Map) map[string]string {
	var ctx map[string]string
	set := func(k, v string) {
		if ctx == nil {
			ctx = make(map[string]string, 2)
		}
		ctx[k] = v
	}
	if v, ok := attrs.Get(attrOpenaiResponseServiceTier); ok && v.Type() == pcommon.ValueTypeStr && v.Str() != "" && v.Str() != "auto" {
		set("service_tier", v.Str())
	}
	if v, ok := attrs.Get(attrAnthropicResponseServiceTier); ok && v.Type() == pcommon.ValueTypeStr && v.Str() != "" {
		if v.Str() == "batch" {
			set("processing", "batch")
		} else {
			set("service_tier", v.Str())
		}
	}
	attrs.Range(func(k string, v pcommon.Value) bool {
		if key, found := strings.CutPrefix(k, attrPriceContextPrefix); found && key != "" && v.Type() == pcommon.ValueTypeStr && v.Str() != "" {
			set(key, v.Str())
		}
		return true
	})
	return ctx
}
