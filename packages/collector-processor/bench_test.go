package llmcostprocessor_test

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/processor/transformprocessor"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/featuregate"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/pdata/xpdata/pref"
	"go.opentelemetry.io/collector/processor/processortest"
	"go.yaml.in/yaml/v3"

	llmcostprocessor "github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor"
	"github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor/internal/ottlgen"
	"github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor/internal/pricing"
)

// The OTTL alternative prices a list of models; 20 is a modest list.
var ottlModels = []string{
	"openai:gpt-4o", "openai:gpt-4o-mini", "openai:gpt-4.1", "openai:gpt-4.1-mini", "openai:gpt-4.1-nano",
	"openai:o3", "openai:o4-mini", "openai:gpt-5", "openai:gpt-5-mini", "openai:gpt-5-nano",
	"anthropic:claude-sonnet-4-0", "anthropic:claude-opus-4-1", "anthropic:claude-3-5-haiku-latest", "anthropic:claude-3-7-sonnet-latest",
	"google:gemini-2.5-pro", "google:gemini-2.5-flash", "google:gemini-2.0-flash", "mistral:mistral-large",
	"deepseek:deepseek-chat", "x-ai:grok-4-0709",
}

const spansPerBatch = 100

var end = pcommon.NewTimestampFromTime(time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC))

// batch is 100 LLM spans with GenAI semconv attributes, cycling over four models.
func batch() ptrace.Traces {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", "bench")
	ss := rs.ScopeSpans().AppendEmpty()
	models := []struct {
		provider, model           string
		in, out, read, write, w1h int64
	}{
		{"openai", "gpt-4o-2024-08-06", 1234, 100, 0, 0, 0},
		{"anthropic", "claude-sonnet-4-20250514", 10000, 1000, 3000, 5000, 2000},
		{"gcp.gemini", "gemini-2.5-pro", 250000, 1000, 0, 0, 0},
		{"openai", "gpt-4o-mini", 2000, 300, 1024, 0, 0},
	}
	for i := 0; i < spansPerBatch; i++ {
		m := models[i%len(models)]
		s := ss.Spans().AppendEmpty()
		s.SetName("chat " + m.model)
		s.SetEndTimestamp(end)
		a := s.Attributes()
		a.PutStr("gen_ai.provider.name", m.provider)
		a.PutStr("gen_ai.operation.name", "chat")
		a.PutStr("gen_ai.request.model", m.model)
		a.PutInt("gen_ai.usage.input_tokens", m.in)
		a.PutInt("gen_ai.usage.output_tokens", m.out)
		if m.read > 0 {
			a.PutInt("gen_ai.usage.cache_read.input_tokens", m.read)
		}
		if m.write > 0 {
			a.PutInt("gen_ai.usage.cache_creation.input_tokens", m.write)
			a.PutInt("llmcost.usage.cache_creation_1h.input_tokens", m.w1h)
		}
	}
	return td
}

func llmcostProc(tb testing.TB, next consumer.Traces) consumer.Traces {
	f := llmcostprocessor.NewFactory()
	p, err := f.CreateTraces(context.Background(), processortest.NewNopSettings(f.Type()), f.CreateDefaultConfig(), next)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func ottlProc(tb testing.TB, next consumer.Traces) consumer.Traces {
	d, err := pricing.Bundled()
	if err != nil {
		tb.Fatal(err)
	}
	var specs []ottlgen.Spec
	for _, m := range ottlModels {
		s, err := ottlgen.ParseSpec(m)
		if err != nil {
			tb.Fatal(err)
		}
		specs = append(specs, s)
	}
	text, err := ottlgen.Generate(d, specs, end.AsTime())
	if err != nil {
		tb.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		tb.Fatal(err)
	}
	f := transformprocessor.NewFactory()
	cfg := f.CreateDefaultConfig()
	if err := confmap.NewFromStringMap(doc["transform/llmcost"].(map[string]any)).Unmarshal(cfg); err != nil {
		tb.Fatal(err)
	}
	if v, ok := cfg.(interface{ Validate() error }); ok {
		if err := v.Validate(); err != nil {
			tb.Fatalf("generated OTTL does not validate: %v", err)
		}
	}
	p, err := f.CreateTraces(context.Background(), processortest.NewNopSettings(component.MustNewType("transform")), cfg, next)
	if err != nil {
		tb.Fatal(err)
	}
	if err := p.Start(context.Background(), nil); err != nil {
		tb.Fatal(err)
	}
	return p
}

// TestOTTLAgreesWithProcessor checks that the generated OTTL prices like the processor, up to its
// float noise (it does not round to 1e-10).
func TestOTTLAgreesWithProcessor(t *testing.T) {
	a, b := new(consumertest.TracesSink), new(consumertest.TracesSink)
	if err := llmcostProc(t, a).ConsumeTraces(context.Background(), batch()); err != nil {
		t.Fatal(err)
	}
	if err := ottlProc(t, b).ConsumeTraces(context.Background(), batch()); err != nil {
		t.Fatal(err)
	}
	pa := a.AllTraces()[0].ResourceSpans().At(0).ScopeSpans().At(0).Spans()
	pb := b.AllTraces()[0].ResourceSpans().At(0).ScopeSpans().At(0).Spans()
	for i := 0; i < 4; i++ {
		ca, _ := pa.At(i).Attributes().Get("gen_ai.usage.cost")
		cb, ok := pb.At(i).Attributes().Get("gen_ai.usage.cost")
		if !ok {
			t.Errorf("%s: OTTL did not price it: %v", pb.At(i).Name(), pb.At(i).Attributes().AsRaw())
			continue
		}
		if math.Abs(ca.Double()-cb.Double()) > 1e-12 {
			t.Errorf("%s: processor %v, OTTL %v", pa.At(i).Name(), ca.Double(), cb.Double())
		}
		t.Logf("%-34s processor %-10v OTTL %v", pa.At(i).Name(), ca.Double(), cb.Double())
	}
}

// bench times p on fresh copies of batch(). Only ConsumeTraces is timed (and its allocations
// counted): the copy, like the receiver's decoding in a collector, is not the processor's work.
// With pooled, each batch is released after it as the collector's pipeline releases it (see
// withProtoPooling), also untimed.
func bench(b *testing.B, p consumer.Traces, pooled bool) {
	template := batch()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		td := ptrace.NewTraces()
		template.CopyTo(td)
		if pooled {
			pref.MarkPipelineOwnedTraces(td)
		}
		b.StartTimer()
		if err := p.ConsumeTraces(context.Background(), td); err != nil {
			b.Fatal(err)
		}
		if pooled {
			b.StopTimer()
			pref.UnrefTraces(td)
			b.StartTimer()
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/spansPerBatch, "ns/span")
}

// withProtoPooling runs fn with pdata's alpha feature gate pdata.useProtoPooling on (a collector
// started with --feature-gates=pdata.useProtoPooling). pdata allocates a wrapper for every attribute
// value it writes; with the gate, the wrappers come from pools that the collector's pipeline refills
// when it releases a batch (refconsumer in go.opentelemetry.io/collector/service calls
// pref.UnrefTraces after the first component), so in steady state a written value allocates nothing.
func withProtoPooling(b *testing.B, fn func()) {
	const gate = "pdata.useProtoPooling"
	if err := featuregate.GlobalRegistry().Set(gate, true); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = featuregate.GlobalRegistry().Set(gate, false) }()
	fn()
}

// BenchmarkPricing compares the llmcost processor with the contrib transform processor running
// the generated OTTL for 20 models, on the same 100-span batches, as a collector runs by default
// and with the pdata.useProtoPooling feature gate:
//
//	go test -run '^$' -bench BenchmarkPricing -benchmem -benchtime 20000x .
func BenchmarkPricing(b *testing.B) {
	ottl := fmt.Sprintf("transform_ottl_%d_models", len(ottlModels))
	b.Run("llmcost", func(b *testing.B) { bench(b, llmcostProc(b, consumertest.NewNop()), false) })
	b.Run(ottl, func(b *testing.B) { bench(b, ottlProc(b, consumertest.NewNop()), false) })
	b.Run("proto_pooling/llmcost", func(b *testing.B) {
		withProtoPooling(b, func() { bench(b, llmcostProc(b, consumertest.NewNop()), true) })
	})
	b.Run("proto_pooling/"+ottl, func(b *testing.B) {
		withProtoPooling(b, func() { bench(b, ottlProc(b, consumertest.NewNop()), true) })
	})
}
