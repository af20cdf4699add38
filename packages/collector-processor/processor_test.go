package llmcostprocessor

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor/processortest"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor/internal/metadata"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the processor's output")

// run sends one OTLP JSON file through a processor built by the factory, into a sink.
func run(t *testing.T, cfg *Config, file string) (ptrace.Traces, *sdkmetric.ManualReader) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "otlp", file))
	if err != nil {
		t.Fatal(err)
	}
	td, err := (&ptrace.JSONUnmarshaler{}).UnmarshalTraces(raw)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	reader := sdkmetric.NewManualReader()
	set := processortest.NewNopSettings(metadata.Type)
	set.TelemetrySettings.MeterProvider = sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	sink := new(consumertest.TracesSink)
	proc, err := NewFactory().CreateTraces(context.Background(), set, cfg, sink)
	if err != nil {
		t.Fatal(err)
	}
	if err := proc.ConsumeTraces(context.Background(), td); err != nil {
		t.Fatal(err)
	}
	if got := len(sink.AllTraces()); got != 1 {
		t.Fatalf("%s: %d batches reached the next consumer, want 1", file, got)
	}
	out := sink.AllTraces()[0]
	if out.SpanCount() != td.SpanCount() {
		t.Fatalf("%s: %d spans out, want all %d", file, out.SpanCount(), td.SpanCount())
	}
	return out, reader
}

func spansByName(td ptrace.Traces) map[string]pcommon.Map {
	m := map[string]pcommon.Map{}
	eachSpan(td, func(s ptrace.Span) { m[s.Name()] = s.Attributes() })
	return m
}

// eachSpan calls fn for every span of td, in order.
func eachSpan(td ptrace.Traces, fn func(ptrace.Span)) {
	rss := td.ResourceSpans()
	for i := 0; i < rss.Len(); i++ {
		sss := rss.At(i).ScopeSpans()
		for j := 0; j < sss.Len(); j++ {
			spans := sss.At(j).Spans()
			for k := 0; k < spans.Len(); k++ {
				fn(spans.At(k))
			}
		}
	}
}

// TestGolden compares the whole processed output of every fixture with testdata/golden.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "otlp", "*.json"))
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			out, _ := run(t, createDefaultConfig().(*Config), name)
			raw, err := (&ptrace.JSONMarshaler{}).MarshalTraces(out)
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			_ = json.Indent(&got, raw, "", " ")
			got.WriteByte('\n')
			golden := filepath.Join("testdata", "golden", name)
			if *update {
				_ = os.MkdirAll(filepath.Dir(golden), 0o755)
				if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run `go test -run TestGolden -update` once, then review the diff)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("%s differs from %s; review and update with -update:\n%s", name, golden, got.String())
			}
		})
	}
}

type want struct {
	cost, input, output, savings float64
	model                        string
}

// Expected costs computed by hand from the providers' published per-million prices:
//
//	gpt-4o-mini: 0.15 in, 0.075 cached, 0.60 out. 976*0.15 + 1024*0.075 = 223.2; 300*0.6 = 180 (µ$)
//	claude sonnet 4: 3 in, 0.30 read, 3.75 5m write, 6 1h write, 15 out
//	gpt-4o: 2.50 in, 1.25 cached, 10 out; gemini-2.5-pro >200k input: 2.50 in, 15 out
var wantCosts = map[string]map[string]want{
	"openinference.json": {
		"ChatCompletion": {}, // two spans share the name; checked in TestOpenInference
	},
	"openllmetry.json": {
		// 1000*3 + 3000*0.3 + 1000*3.75 = 7650; 800*15 = 12000; savings 3000*2.7 = 8100
		"anthropic.chat": {0.01965, 0.00765, 0.012, 0.0081, "claude-sonnet-4-0"},
		// 1234*2.5 = 3085; 100*10 = 1000
		"openai.chat": {0.004085, 0.003085, 0.001, 0, "gpt-4o"},
	},
	"vercel-ai.json": {
		"ai.generateText.doGenerate": {0.0075, 0.0025, 0.005, 0, "gpt-4o"},
	},
	"anthropic-sdk.json": {
		// @anthropic-ai/sdk 1.x reports input incl. cache: 3600 = 100 plain + 500 read + 1000 5m + 2000 1h writes.
		// 100*3 + 500*0.3 + 1000*3.75 + 2000*6 = 16200; 200*15 = 3000; savings 500*2.7 = 1350
		"anthropic.messages.create": {0.0192, 0.0162, 0.003, 0.00135, "claude-sonnet-4-0"},
	},
	"semconv.json": {
		"chat gemini-2.5-pro": {0.64, 0.625, 0.015, 0, "gemini-2.5-pro"},
	},
}

func checkPriced(t *testing.T, name string, a pcommon.Map, w want) {
	t.Helper()
	get := func(k string) float64 {
		v, ok := a.Get(k)
		if !ok {
			t.Errorf("%s: %s missing", name, k)
			return -1
		}
		return v.Double()
	}
	if c := get(attrCost); c != w.cost {
		t.Errorf("%s: cost %v, want %v", name, c, w.cost)
	}
	if c := get(attrCostInput); c != w.input {
		t.Errorf("%s: input cost %v, want %v", name, c, w.input)
	}
	if c := get(attrCostOutput); c != w.output {
		t.Errorf("%s: output cost %v, want %v", name, c, w.output)
	}
	s := 0.0
	if v, ok := a.Get(attrCostCacheSavings); ok {
		s = v.Double()
	}
	if s != w.savings {
		t.Errorf("%s: cache savings %v, want %v", name, s, w.savings)
	}
	for k, v := range map[string]string{attrPricingModel: w.model, attrPricedBy: "collector", attrCostSource: "pricing_data", attrPriceDataVersion: "genai-prices@0.2.3"} {
		if got, _ := a.Get(k); got.AsString() != v {
			t.Errorf("%s: %s = %q, want %q", name, k, got.AsString(), v)
		}
	}
	if _, ok := a.Get(attrUnpriced); ok {
		t.Errorf("%s: priced span marked unpriced", name)
	}
}

func TestHandComputedCosts(t *testing.T) {
	for file, spans := range wantCosts {
		out, _ := run(t, createDefaultConfig().(*Config), file)
		got := spansByName(out)
		for name, w := range spans {
			if w.model == "" {
				continue
			}
			checkPriced(t, file+"/"+name, got[name], w)
		}
	}
}

func TestOpenInference(t *testing.T) {
	out, _ := run(t, createDefaultConfig().(*Config), "openinference.json")
	spans := out.ResourceSpans().At(0).ScopeSpans().At(0).Spans()
	// gpt-4o-mini: 2000 prompt incl. 1024 cached, 300 completion; savings 1024*(0.15-0.075) = 76.8 µ$
	checkPriced(t, "openinference/gpt-4o-mini", spans.At(0).Attributes(), want{0.0004032, 0.0002232, 0.00018, 0.0000768, "gpt-4o-mini"})
	// claude sonnet 4: 10000 prompt = 2000 plain + 3000 read + 5000 5m write; 1000 out.
	// 2000*3 + 3000*0.3 + 5000*3.75 = 25650; 1000*15 = 15000; savings 3000*2.7 = 8100
	checkPriced(t, "openinference/claude", spans.At(1).Attributes(), want{0.04065, 0.02565, 0.015, 0.0081, "claude-sonnet-4-0"})
	// The semconv names are filled in for metrics derived from spans.
	a := spans.At(0).Attributes()
	for k, v := range map[string]any{attrInputTokens: int64(2000), attrOutputTokens: int64(300), attrCacheReadTokens: int64(1024), attrProvider: "openai", attrRequestModel: "gpt-4o-mini-2024-07-18"} {
		if got, ok := a.Get(k); !ok || got.AsRaw() != v {
			t.Errorf("%s = %v, want %v", k, got.AsRaw(), v)
		}
	}
}

// wantCounters checks the processor's own counters (only those named; others may have any value).
func wantCounters(t *testing.T, r *sdkmetric.ManualReader, want map[string]int64) {
	t.Helper()
	c := counters(t, r)
	for k, v := range want {
		if c[k] != v {
			t.Errorf("%s = %d, want %d (all: %v)", k, c[k], v, c)
		}
	}
}

func counters(t *testing.T, r *sdkmetric.ManualReader) map[string]int64 {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := r.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			sum, ok := m.Data.(metricdata.Sum[int64])
			if !ok {
				continue
			}
			for _, dp := range sum.DataPoints {
				key := m.Name
				for _, kv := range dp.Attributes.ToSlice() {
					key += "{" + string(kv.Key) + "=" + kv.Value.AsString() + "}"
				}
				out[key] += dp.Value
			}
		}
	}
	return out
}

func TestSemconvUnknownSkippedAndNonLLM(t *testing.T) {
	out, reader := run(t, createDefaultConfig().(*Config), "semconv.json")
	got := spansByName(out)
	unknown := got["chat my-finetune"]
	if _, ok := unknown.Get(attrCost); ok {
		t.Error("unknown model got a cost; it must stay without one")
	}
	if v, _ := unknown.Get(attrUnpriced); !v.Bool() {
		t.Error("unknown model not marked llmcost.unpriced")
	}
	if v, _ := unknown.Get(attrUnpricedReason); v.Str() != "unknown_model" {
		t.Errorf("reason %q", v.Str())
	}
	sdk := got["chat gpt-4o (priced by sdk)"]
	if v, _ := sdk.Get(attrCost); v.Double() != 0.5 {
		t.Error("a span priced by the SDK was re-priced")
	}
	if v, _ := sdk.Get(attrPricedBy); v.Str() != "sdk" {
		t.Error("priced_by changed")
	}
	if got["GET /health"].Len() != 2 {
		t.Errorf("non-LLM span changed: %v", got["GET /health"].AsRaw())
	}
	wantCounters(t, reader, map[string]int64{
		"otelcol_processor_llmcost_spans_priced":                         1,
		"otelcol_processor_llmcost_spans_skipped":                        1,
		"otelcol_processor_llmcost_spans_unpriced{reason=unknown_model}": 1,
	})
}

func TestOverrideReprices(t *testing.T) {
	out, reader := run(t, &Config{Override: true}, "semconv.json")
	sdk := spansByName(out)["chat gpt-4o (priced by sdk)"]
	// 1000*2.5 + 10*10 = 2600 µ$
	if v, _ := sdk.Get(attrCost); v.Double() != 0.0026 {
		t.Errorf("override: cost %v, want 0.0026", v.Double())
	}
	if v, _ := sdk.Get(attrPricedBy); v.Str() != "collector" {
		t.Errorf("override: priced_by %q", v.Str())
	}
	if c := counters(t, reader); c["otelcol_processor_llmcost_spans_priced"] != 2 {
		t.Errorf("priced counter %v", c)
	}
}

func TestMalformedNeverPanicsNeverDrops(t *testing.T) {
	out, reader := run(t, createDefaultConfig().(*Config), "malformed.json")
	got := spansByName(out)
	for _, name := range []string{"string tokens", "negative tokens", "huge tokens", "fractional tokens", "no model", "model is a number"} {
		a := got[name]
		if _, ok := a.Get(attrCost); ok {
			t.Errorf("%s: priced", name)
		}
		if v, _ := a.Get(attrUnpriced); !v.Bool() {
			t.Errorf("%s: not marked unpriced", name)
		}
	}
	// Cache parts above the input: the input did not include them (Anthropic style); 230 input.
	// 100*2.5 + 50*1.25 ... gpt-4o has no cache-write price: writes are input. 180*2.5 + 50*1.25 = 512.5; 10*10 = 100
	checkPriced(t, "cache above input", got["cache above input"], want{0.0006125, 0.0005125, 0.0001, 0.0000625, "gpt-4o"})
	wantCounters(t, reader, map[string]int64{
		"otelcol_processor_llmcost_spans_malformed{problem=wrong_type}":    2,
		"otelcol_processor_llmcost_spans_malformed{problem=negative}":      1,
		"otelcol_processor_llmcost_spans_malformed{problem=too_large}":     1,
		"otelcol_processor_llmcost_spans_malformed{problem=not_integer}":   1,
		"otelcol_processor_llmcost_spans_malformed{problem=missing_model}": 1,
		"otelcol_processor_llmcost_spans_unpriced{reason=invalid_usage}":   5,
		"otelcol_processor_llmcost_spans_unpriced{reason=no_model}":        1,
		"otelcol_processor_llmcost_spans_priced":                           1,
	})
}
