package llmcostprocessor // import "github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor"

import (
	"context"
	"fmt"
	"math/bits"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor"
	"go.uber.org/zap"

	"github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor/internal/modelcalls"
	"github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor/internal/pricing"
)

type llmcostProcessor struct {
	cfg     *Config
	pricer  *pricing.Pricer
	calls   *modelcalls.Table
	index   *keyIndex // the attribute names read from a span, calls' included
	tel     *telemetry
	logger  *zap.Logger
	updater *priceUpdater // nil when price_data.url is off
}

func newProcessor(set processor.Settings, cfg *Config) (*llmcostProcessor, error) {
	data, err := pricing.Bundled()
	if err != nil {
		return nil, err
	}
	calls, err := modelcalls.Bundled()
	if err != nil {
		return nil, err
	}
	var overrides []*pricing.Override
	if cfg.OverridesFile != "" {
		if overrides, err = pricing.LoadOverridesFile(data, cfg.OverridesFile); err != nil {
			return nil, fmt.Errorf("llmcost: %w", err)
		}
	}
	tel, err := newTelemetry(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	live := cfg.PriceData.URL
	if live == "" {
		live = off
	}
	set.Logger.Info("llmcost processor pricing from bundled data",
		zap.String("price_data", data.Version), zap.String("live_price_data", live),
		zap.Int("overrides", len(overrides)), zap.Bool("override", cfg.Override),
		zap.String("framework_llm_spans", firstNonEmpty(cfg.FrameworkLLMSpans, frameworkAsSummary)))
	p := &llmcostProcessor{cfg: cfg, pricer: pricing.NewPricer(data, overrides, cfg.OverridesFile), calls: calls, index: newKeyIndex(calls), tel: tel, logger: set.Logger}
	p.updater = newPriceUpdater(cfg.PriceData, p.pricer, data, tel, set.Logger)
	return p, nil
}

// start loads the cached live price data, if any, and starts the background updates.
func (p *llmcostProcessor) start(context.Context, component.Host) error {
	p.updater.start()
	return nil
}

func (p *llmcostProcessor) shutdown(ctx context.Context) error {
	err := p.updater.shutdown(ctx)
	p.tel.shutdown()
	return err
}

func (p *llmcostProcessor) processTraces(ctx context.Context, td ptrace.Traces) (ptrace.Traces, error) {
	var stats batchStats
	var ix attrIndex
	rss := td.ResourceSpans()
	for i := 0; i < rss.Len(); i++ {
		sss := rss.At(i).ScopeSpans()
		for j := 0; j < sss.Len(); j++ {
			ss := sss.At(j)
			scope := ss.Scope().Name()
			spans := ss.Spans()
			for k := 0; k < spans.Len(); k++ {
				p.processSpan(spans.At(k), scope, &stats, &ix)
			}
		}
	}
	p.tel.record(ctx, &stats)
	return td, nil
}

// role is what the span is to pricing (model_calls in packages/contract/telemetry.yaml), from the span alone.
func (p *llmcostProcessor) role(span ptrace.Span, scope string, ix *attrIndex) modelcalls.Role {
	role, _ := p.calls.ClassifyValues(&ix.rules, span.Name(), scope)
	if role == modelcalls.Framework && p.cfg.FrameworkLLMSpans == frameworkAsCall {
		return modelcalls.Call
	}
	return role
}

// processSpan prices one span; ix is scratch space for its attributes.
func (p *llmcostProcessor) processSpan(span ptrace.Span, scope string, stats *batchStats, ix *attrIndex) {
	attrs := span.Attributes()
	// Every read below is from ix (the same values attrs.Get would give), and every write is planned
	// from it before the first one (a write may move the attributes, which ix then no longer points at).
	ix.fill(p.index, attrs)
	role := p.role(span, scope, ix)
	switch role {
	case modelcalls.Summary, modelcalls.Framework, modelcalls.Other:
		// Its usage repeats or sums the calls under it (or it is no billed call): never priced or metered.
		if ix.hasUsageOrCost() {
			if !ix.found.has(modelCallSlot) {
				attrs.EnsureCapacity(attrs.Len() + 1) // one more, not a doubling
			}
			attrs.PutBool(attrModelCall, false)
			stats.notModelCall(role)
		}
		return
	}
	var e extraction
	hasUsage := e.extract(ix)
	reported, hasReported := providerCost(ix)
	if !hasUsage && !hasReported {
		if role == modelcalls.Call {
			p.noUsage(span, ix, &e, stats)
		}
		return // no token counts and no rule: not an LLM call
	}
	cost, hasCost := ix.get(costSlot)
	_, ours := ix.get(pricedBySlot) // priced (or marked unpriced) by our SDK or a collector
	replaced := ""
	if hasCost {
		switch {
		case p.cfg.Override:
			replaced = replacedOverride
		case !ours && isZero(cost):
			// Another tool's 0 (OpenLIT's for models it cannot price) is no price: price it if we can.
			replaced = replacedZero
		default:
			stats.skipped++
			if !ours && e.problem == "" {
				// Another tool's cost: the derived metrics still get the semconv labels.
				var w writes
				w.planNames(ix, &e)
				w.grow(attrs, 0)
				w.write(attrs)
			}
			return
		}
	}
	var res pricing.Result
	if e.problem != "" {
		stats.malformedProblem(e.problem)
	}
	switch e.problem {
	case "", problemMissingModel:
		res = p.pricer.PriceWith(&ix.prices, &pricing.Request{
			Provider: e.provider, Model: e.model, RequestModel: e.requestModel, Usage: e.usage, Time: spanTime(span),
			Context: ix.priceContext(attrs), ProviderReportedCost: reported, HasProviderReportedCost: hasReported,
		})
	default:
		res = pricing.Result{Reason: pricing.ReasonInvalidUsage, PriceDataVersion: p.pricer.Version()}
	}
	// The usage it was priced with and its names, under the semconv names; then the price (or that
	// there is none). All of it is counted first, so that the attributes grow once.
	var w writes
	if e.problem == "" || e.problem == problemMissingModel {
		if hasUsage {
			w.planUsage(ix, &e)
		}
		w.planNames(ix, &e)
	}
	present := ix.presentOutputs()
	if !res.Priced {
		stats.unpricedReason(res.Reason)
		// With override: true, an unpriceable span keeps the cost it came with. Another tool's 0 stays as
		// it came too, but the span says it is unpriced.
		mark := !hasCost || replaced == replacedZero
		extra := 0
		if mark {
			extra = newUnpricedOutputs(present)
		}
		w.grow(attrs, extra)
		w.write(attrs)
		if mark {
			markUnpriced(attrs, res.Reason, res.PriceDataVersion)
		}
		return
	}
	stats.priced++
	written := outCost | outCostInput | outCostOutput | outCostSource | outPriceVersion | outPricingProv | outPricingModel | outPricedBy
	if res.CacheSavings != 0 {
		written |= outCacheSavings
	}
	if res.Variant != "" {
		written |= outPriceVariant
	}
	if replaced != "" {
		written |= outCostReplaced
	}
	w.grow(attrs, bits.OnesCount16(uint16(written&^present))) // the written ones the span does not have
	w.write(attrs)
	attrs.PutDouble(attrCost, res.Cost)
	attrs.PutDouble(attrCostInput, res.InputCost)
	attrs.PutDouble(attrCostOutput, res.OutputCost)
	if res.CacheSavings != 0 {
		attrs.PutDouble(attrCostCacheSavings, res.CacheSavings)
	} else if present&outCacheSavings != 0 {
		attrs.Remove(attrCostCacheSavings)
	}
	attrs.PutStr(attrCostSource, res.Source)
	attrs.PutStr(attrPriceDataVersion, res.PriceDataVersion)
	attrs.PutStr(attrPricingProvider, res.PricingProvider)
	attrs.PutStr(attrPricingModel, res.PricingModel)
	attrs.PutStr(attrPricedBy, pricedByCollector)
	if res.Variant != "" {
		attrs.PutStr(attrPriceVariant, res.Variant)
	} else if present&outPriceVariant != 0 {
		attrs.Remove(attrPriceVariant)
	}
	if replaced != "" {
		attrs.PutStr(attrCostReplaced, replaced)
	}
	if present&outUnpriced != 0 {
		attrs.Remove(attrUnpriced)
	}
	if present&outUnpricedReason != 0 {
		attrs.Remove(attrUnpricedReason)
	}
}

// outputBit is one attribute that a priced or unpriced span gets written or removed (outputSlots).
type outputBit uint16

const (
	outCost outputBit = 1 << iota
	outCostInput
	outCostOutput
	outCacheSavings
	outCostSource
	outPriceVersion
	outPricingProv
	outPricingModel
	outPricedBy
	outPriceVariant
	outCostReplaced
	outUnpriced
	outUnpricedReason
)

// newUnpricedOutputs is how many of the attributes markUnpriced writes the span does not have yet.
func newUnpricedOutputs(present outputBit) int {
	n := 0
	for _, b := range [...]outputBit{outUnpriced, outUnpricedReason, outPriceVersion} {
		if present&b == 0 {
			n++
		}
	}
	return n
}

// noUsage handles a model call whose span carries no token usage: the provider billed it, so it is
// counted unpriced (no_usage), never skipped. Not when our SDK (or another collector) already handled it,
// nor when the call failed (a failed call is not billed).
func (p *llmcostProcessor) noUsage(span ptrace.Span, ix *attrIndex, e *extraction, stats *batchStats) {
	if ix.found.has(pricedBySlot) {
		return
	}
	if ix.found.has(costSlot) {
		stats.skipped++ // a cost without usage (another tool's): kept as it is
		return
	}
	if span.Status().Code() == ptrace.StatusCodeError {
		return
	}
	stats.unpricedReason(reasonNoUsage)
	attrs := span.Attributes()
	var w writes
	w.planNames(ix, e)
	w.grow(attrs, newUnpricedOutputs(ix.presentOutputs()))
	w.write(attrs)
	markUnpriced(attrs, reasonNoUsage, p.pricer.Version())
}

func markUnpriced(attrs pcommon.Map, reason, version string) {
	attrs.PutBool(attrUnpriced, true)
	attrs.PutStr(attrUnpricedReason, reason)
	attrs.PutStr(attrPriceDataVersion, version)
}

// usageOutputs are the semconv names the usage a span was priced with is written under (the meaning
// of docs/telemetry.md), in the order written; the first two always, the others when > 0.
var usageOutputs = [...]struct {
	key  string
	slot uint8
}{
	{attrInputTokens, slotOf(attrInputTokens)}, {attrOutputTokens, slotOf(attrOutputTokens)},
	{attrCacheReadTokens, slotOf(attrCacheReadTokens)}, {attrCacheCreationTokens, slotOf(attrCacheCreationTokens)},
	{attrCacheCreation1hTokens, slotOf(attrCacheCreation1hTokens)}, {attrReasoningTokens, slotOf(attrReasoningTokens)},
	{attrAudioInputTokens, slotOf(attrAudioInputTokens)}, {attrImageInputTokens, slotOf(attrImageInputTokens)},
	{attrVideoInputTokens, slotOf(attrVideoInputTokens)}, {attrCacheReadAudioTokens, slotOf(attrCacheReadAudioTokens)},
	{attrAudioOutputTokens, slotOf(attrAudioOutputTokens)}, {attrImageOutputTokens, slotOf(attrImageOutputTokens)},
}

// usageValues are u's counts in the order of usageOutputs.
func usageValues(u *pricing.TokenUsage) [len(usageOutputs)]float64 {
	return [...]float64{
		u.InputTokens, u.OutputTokens, u.CacheReadTokens, u.CacheWriteTokens, u.CacheWrite1hTokens, u.ReasoningTokens,
		u.InputAudioTokens, u.InputImageTokens, u.InputVideoTokens, u.CacheReadAudioTokens, u.OutputAudioTokens, u.OutputImageTokens,
	}
}

// writes are the usage and name attributes a span gets, planned from its index before the first
// write, so that its attributes grow once for them and the price attributes (grow) instead of once per
// doubling, and an attribute already holding the value is not written again.
type writes struct {
	usage    [len(usageOutputs)]int64
	putUsage uint16 // bit i: usageOutputs[i] is written with usage[i]
	provider string // gen_ai.provider.name to fill in, "" for none
	model    string // gen_ai.request.model to fill in, "" for none
	added    int    // how many of these attributes the span does not have yet
}

// planUsage plans the usage the span was priced with under the semconv names: input and output always,
// the parts when > 0; not where the attribute holds that int already.
func (w *writes) planUsage(ix *attrIndex, e *extraction) {
	values := usageValues(&e.usage)
	n := 2 // input and output
	if e.parts {
		n = len(values)
	}
	for i, v := range values[:n] {
		if i >= 2 && v <= 0 {
			continue
		}
		o := usageOutputs[i]
		old, ok := ix.get(o.slot)
		if ok && old.Type() == pcommon.ValueTypeInt && old.Int() == int64(v) {
			continue
		}
		if !ok {
			w.added++
		}
		w.usage[i] = int64(v)
		w.putUsage |= 1 << i
	}
}

// planNames plans gen_ai.provider.name and gen_ai.request.model where only other instrumentations'
// names carried them, so that metrics derived from spans see the same labels.
func (w *writes) planNames(ix *attrIndex, e *extraction) {
	if !ix.found.has(providerNameSlot) && e.provider != "" {
		w.provider = e.provider
		w.added++
	}
	if !ix.found.has(requestModelSlot) {
		if m := firstNonEmpty(e.requestModel, e.model); m != "" {
			w.model = m
			w.added++
		}
	}
}

// grow makes room for the planned attributes and extra more that are new to the span.
func (w *writes) grow(attrs pcommon.Map, extra int) {
	if n := w.added + extra; n > 0 {
		attrs.EnsureCapacity(attrs.Len() + n)
	}
}

// write writes the planned attributes: usage, then names.
func (w *writes) write(attrs pcommon.Map) {
	for set := w.putUsage; set != 0; set &= set - 1 { // the set bits, lowest (first written) first
		i := bits.TrailingZeros16(set)
		attrs.PutInt(usageOutputs[i].key, w.usage[i])
	}
	if w.provider != "" {
		attrs.PutStr(attrProvider, w.provider)
	}
	if w.model != "" {
		attrs.PutStr(attrRequestModel, w.model)
	}
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// spanTime is when the call completed (the span's end), which selects dated prices.
func spanTime(span ptrace.Span) time.Time {
	if t := span.EndTimestamp(); t != 0 {
		return t.AsTime()
	}
	if t := span.StartTimestamp(); t != 0 {
		return t.AsTime()
	}
	return time.Time{} // the pricer uses now
}
