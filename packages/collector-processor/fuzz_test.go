package llmcostprocessor

import (
	"context"
	"math"
	"testing"

	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor/internal/metadata"
)

var fuzzKeys = []string{
	attrInputTokens, attrOutputTokens, attrCacheReadTokens, attrCacheCreationTokens, attrReasoningTokens, attrCacheCreation1hTokens,
	"gen_ai.usage.cache_write.input_tokens", "anthropic.usage.cache_creation.ephemeral_5m_input_tokens",
	"llm.token_count.prompt", "llm.token_count.completion", "ai.usage.inputTokens", attrCost,
	attrProvider, attrRequestModel, attrResponseModel, "ai.model.provider", "llm.model_name",
	attrOpenaiResponseServiceTier, "llmcost.price.context.processing", attrAudioInputTokens, attrCacheReadAudioTokens,
	"openinference.span.kind", "ai.operationId", "gen_ai.operation.name", openInferenceCostAttr,
	semconvCostAmountAttr, semconvCostSourceAttr, "embedding.model_name", attrPricedBy,
}

// putFuzz writes a value of a type chosen by kind: int, double, string, bool, slice, map, empty.
func putFuzz(m pcommon.Map, key string, kind uint8, i int64, f float64, s string) {
	switch kind % 7 {
	case 0:
		m.PutInt(key, i)
	case 1:
		m.PutDouble(key, f)
	case 2:
		m.PutStr(key, s)
	case 3:
		m.PutBool(key, i%2 == 0)
	case 4:
		m.PutEmptySlice(key).AppendEmpty().SetStr(s)
	case 5:
		m.PutEmptyMap(key).PutInt(s, i)
	case 6:
		m.PutEmpty(key)
	}
}

// FuzzProcessor: whatever the attributes, the processor neither panics nor drops the span, and any
// cost it sets is finite and non-negative. `go test -fuzz FuzzProcessor -fuzztime 30s .`
func FuzzProcessor(f *testing.F) {
	f.Add(uint64(0), int64(1234), 2.5, "gpt-4o", uint8(0))
	f.Add(uint64(0xffffffff), int64(-1), math.Inf(1), "claude-sonnet-4-20250514", uint8(3))
	f.Add(uint64(0x0123456789abcdef), int64(math.MaxInt64), math.NaN(), "openai/gpt-4o", uint8(2))
	f.Add(uint64(42), int64(200001), 1e300, "gemini-2.5-pro", uint8(1))
	f.Fuzz(func(t *testing.T, mask uint64, i int64, fl float64, s string, kinds uint8) {
		sink := new(consumertest.TracesSink)
		p, err := NewFactory().CreateTraces(context.Background(), processortest.NewNopSettings(metadata.Type), &Config{Override: kinds%2 == 0}, sink)
		if err != nil {
			t.Fatal(err)
		}
		td := ptrace.NewTraces()
		a := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans().AppendEmpty().Attributes()
		for k, key := range fuzzKeys {
			if mask>>(k*2)&3 == 0 {
				continue
			}
			putFuzz(a, key, uint8(mask>>(k*3))+kinds, i+int64(k), fl*float64(k), s)
		}
		if err := p.ConsumeTraces(context.Background(), td); err != nil {
			t.Fatal(err)
		}
		out := sink.AllTraces()
		if len(out) != 1 || out[0].SpanCount() != 1 {
			t.Fatal("span dropped")
		}
		attrs := out[0].ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0).Attributes()
		if v, ok := attrs.Get(attrPricedBy); ok && v.Str() == pricedByCollector {
			c, _ := attrs.Get(attrCost)
			if c.Type() != pcommon.ValueTypeDouble || math.IsNaN(c.Double()) || math.IsInf(c.Double(), 0) || c.Double() < 0 {
				t.Fatalf("bad cost %v", c.AsRaw())
			}
		}
	})
}
