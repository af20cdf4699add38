package llmcostprocessor // import "github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor"

import (
	"context"
	"fmt"
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
	// Every read below until the first write is from ix (the same values attrs.Get would give).
	ix.fill(p.index, attrs)
	role := p.role(span, scope, ix)
	switch role {
	case modelcalls.Summary, modelcalls.Framework, modelcalls.Other:
		// Its usage repeats or sums the calls under it (or it is no billed call): never priced or metered.
		if hasUsageOrCost(attrs) {
			attrs.PutBool(attrModelCall, false)
			stats.notModelCall(role)
		}
		return
	}
	e, hasUsage := extract(ix)
	reported, hasReported := providerCost(ix)
	if !hasUsage && !hasReported {
		if role == modelcalls.Call {
			p.noUsage(span, &e, stats)
		}
		return // no token counts and no rule: not an LLM call
	}
	cost, hasCost := ix.get(costSlot)
	replaced := ""
	if hasCost {
		_, ours := ix.get(pricedBySlot) // priced (or marked unpriced) by our SDK or a collector
		switch {
		case p.cfg.Override:
			replaced = replacedOverride
		case !ours && isZero(cost):
			// Another tool's 0 (OpenLIT's for models it cannot price) is no price: price it if we can.
			replaced = replacedZero
		default:
			stats.skipped++
			if !ours && e.problem == "" {
				writeNames(span, &e) // another tool's cost: the derived metrics still get the semconv labels
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
		res = p.pricer.Price(&pricing.Request{
			Provider: e.provider, Model: e.model, RequestModel: e.requestModel, Usage: e.usage, Time: spanTime(span),
			Context: ix.priceContext(attrs), ProviderReportedCost: reported, HasProviderReportedCost: hasReported,
		})
	default:
		res = pricing.Result{Reason: pricing.ReasonInvalidUsage, PriceDataVersion: p.pricer.Version()}
	}
	if e.problem == "" || e.problem == problemMissingModel {
		if hasUsage {
			writeUsage(span, &e)
		}
		writeNames(span, &e)
	}
	if !res.Priced {
		stats.unpricedReason(res.Reason)
		// With override: true, an unpriceable span keeps the cost it came with. Another tool's 0 stays as
		// it came too, but the span says it is unpriced.
		if !hasCost || replaced == replacedZero {
			markUnpriced(attrs, res.Reason, res.PriceDataVersion)
		}
		return
	}
	stats.priced++
	// One pass finds which of the attributes written below the span has already, so that the map
	// grows once (not once per doubling) and removing an absent attribute costs no scan.
	present := presentOutputs(attrs)
	added := 0
	for _, o := range [...]struct {
		bit   outputBit
		write bool
	}{
		{outCost, true}, {outCostInput, true}, {outCostOutput, true}, {outCacheSavings, res.CacheSavings != 0},
		{outCostSource, true}, {outPriceVersion, true}, {outPricingProv, true}, {outPricingModel, true},
		{outPricedBy, true}, {outPriceVariant, res.Variant != ""}, {outCostReplaced, replaced != ""},
	} {
		if o.write && present&o.bit == 0 {
			added++
		}
	}
	if added > 0 {
		attrs.EnsureCapacity(attrs.Len() + added)
	}
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

// outputBit is one attribute that a priced span gets written or removed (presentOutputs).
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

// presentOutputs is the set of the attributes written or removed on a priced span that attrs has.
// None of them is added or removed except by those writes, so the set stays right while they run.
func presentOutputs(attrs pcommon.Map) outputBit {
	var present outputBit
	for k := range attrs.All() {
		switch k {
		case attrCost:
			present |= outCost
		case attrCostInput:
			present |= outCostInput
		case attrCostOutput:
			present |= outCostOutput
		case attrCostCacheSavings:
			present |= outCacheSavings
		case attrCostSource:
			present |= outCostSource
		case attrPriceDataVersion:
			present |= outPriceVersion
		case attrPricingProvider:
			present |= outPricingProv
		case attrPricingModel:
			present |= outPricingModel
		case attrPricedBy:
			present |= outPricedBy
		case attrPriceVariant:
			present |= outPriceVariant
		case attrCostReplaced:
			present |= outCostReplaced
		case attrUnpriced:
			present |= outUnpriced
		case attrUnpricedReason:
			present |= outUnpricedReason
		}
	}
	return present
}

// noUsage handles a model call whose span carries no token usage: the provider billed it, so it is
// counted unpriced (no_usage), never skipped. Not when our SDK (or another collector) already handled it,
// nor when the call failed (a failed call is not billed).
func (p *llmcostProcessor) noUsage(span ptrace.Span, e *extraction, stats *batchStats) {
	attrs := span.Attributes()
	if _, ok := attrs.Get(attrPricedBy); ok {
		return
	}
	if _, ok := attrs.Get(attrCost); ok {
		stats.skipped++ // a cost without usage (another tool's): kept as it is
		return
	}
	if span.Status().Code() == ptrace.StatusCodeError {
		return
	}
	stats.unpricedReason(reasonNoUsage)
	writeNames(span, e)
	markUnpriced(attrs, reasonNoUsage, p.pricer.Version())
}

func markUnpriced(attrs pcommon.Map, reason, version string) {
	attrs.PutBool(attrUnpriced, true)
	attrs.PutStr(attrUnpricedReason, reason)
	attrs.PutStr(attrPriceDataVersion, version)
}

// writeUsage records the usage the span was priced with under the GenAI semconv names (the
// meaning of docs/telemetry.md).
func writeUsage(span ptrace.Span, e *extraction) {
	attrs := span.Attributes()
	u := e.usage
	putInt := func(k string, v float64) {
		if old, ok := attrs.Get(k); !ok || old.Type() != pcommon.ValueTypeInt || old.Int() != int64(v) {
			attrs.PutInt(k, int64(v))
		}
	}
	putInt(attrInputTokens, u.InputTokens)
	putInt(attrOutputTokens, u.OutputTokens)
	putPositive := func(k string, v float64) {
		if v > 0 {
			putInt(k, v)
		}
	}
	putPositive(attrCacheReadTokens, u.CacheReadTokens)
	putPositive(attrCacheCreationTokens, u.CacheWriteTokens)
	putPositive(attrCacheCreation1hTokens, u.CacheWrite1hTokens)
	putPositive(attrReasoningTokens, u.ReasoningTokens)
	putPositive(attrAudioInputTokens, u.InputAudioTokens)
	putPositive(attrImageInputTokens, u.InputImageTokens)
	putPositive(attrVideoInputTokens, u.InputVideoTokens)
	putPositive(attrCacheReadAudioTokens, u.CacheReadAudioTokens)
	putPositive(attrAudioOutputTokens, u.OutputAudioTokens)
	putPositive(attrImageOutputTokens, u.OutputImageTokens)
}

// writeNames fills in gen_ai.provider.name and gen_ai.request.model where only other instrumentations'
// names carried them, so that metrics derived from spans see the same labels.
func writeNames(span ptrace.Span, e *extraction) {
	attrs := span.Attributes()
	if _, ok := attrs.Get(attrProvider); !ok && e.provider != "" {
		attrs.PutStr(attrProvider, e.provider)
	}
	if _, ok := attrs.Get(attrRequestModel); !ok {
		if m := firstNonEmpty(e.requestModel, e.model); m != "" {
			attrs.PutStr(attrRequestModel, m)
		}
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
