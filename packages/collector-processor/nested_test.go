package llmcostprocessor

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor/processortest"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"

	"github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor/internal/metadata"
	"github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor/internal/pricing"
)

// One model call is often described by several spans (model_calls in packages/contract/telemetry.yaml):
// these fixtures are nested traces of each dialect. Each call must be priced once, on the innermost span that
// is the provider call; the spans over it carry (summed) usage but no cost and say llmcost.model_call = false; a call without
// usage is unpriced no_usage. Expected costs by hand from genai-prices 0.2.3 (USD per 1M tokens):
//
//	gpt-4o: 2.50 input, 1.25 cached input, 10 output; gpt-4o-mini: 0.15, 0.075, 0.60;
//	text-embedding-3-small: 0.02 input.
type nestedWant struct {
	priced    map[string]float64 // span id -> cost
	outer     []string           // span ids marked llmcost.model_call = false (they carry usage or a cost)
	noUsage   []string           // span ids unpriced with reason no_usage
	untouched []string           // span ids that get no llmcost.* attribute at all
	counters  map[string]int64
}

var nestedFixtures = map[string]nestedWant{
	"nested-vercel-ai.json": {
		// ai.generateText repeats the usage of ai.generateText.doGenerate: 1000*2.5 + 500*10 = 7500 µ$.
		priced:    map[string]float64{"a100000000000002": 0.0075},
		outer:     []string{"a100000000000001"},
		noUsage:   []string{"a200000000000002"}, // a stream left before its usage arrived
		untouched: []string{"a100000000000003", "a200000000000001"},
		counters: map[string]int64{
			"otelcol_processor_llmcost_spans_priced":                        1,
			"otelcol_processor_llmcost_spans_unpriced{reason=no_usage}":     1,
			"otelcol_processor_llmcost_spans_not_model_calls{role=summary}": 1,
		},
	},
	"nested-openinference.json": {
		// The OpenAI client's LLM span under LangChain's LLM span (both with llm.token_count.*): 2000 prompt incl.
		// 1024 cached, 300 completion at gpt-4o-mini: 976*0.15 + 1024*0.075 = 146.4 + 76.8 = 223.2; 300*0.6 = 180;
		// 403.2 µ$. Embeddings (model in embedding.model_name): 5000*0.02 = 100 µ$.
		priced:  map[string]float64{"b100000000000003": 0.0004032, "b300000000000001": 0.0001},
		outer:   []string{"b100000000000001", "b100000000000002"},
		noUsage: []string{"b200000000000001"},
		counters: map[string]int64{
			"otelcol_processor_llmcost_spans_priced":                          2,
			"otelcol_processor_llmcost_spans_unpriced{reason=no_usage}":       1,
			"otelcol_processor_llmcost_spans_not_model_calls{role=summary}":   1,
			"otelcol_processor_llmcost_spans_not_model_calls{role=framework}": 1,
		},
	},
	"nested-semconv.json": {
		// invoke_agent carries the sum of its two priced chats. Chat 1: 1000 input incl. 400 cached, 100 output:
		// 600*2.5 + 400*1.25 = 2000; 100*10 = 1000; 3000 µ$. Chat 2: 2000*2.5 + 300*10 = 8000 µ$.
		priced:  map[string]float64{"c100000000000002": 0.003, "c100000000000004": 0.008},
		outer:   []string{"c100000000000001"},
		noUsage: []string{"c100000000000005"},
		// The tool span has no usage; the failed chat (status error, error.type 429) was not billed.
		untouched: []string{"c100000000000003", "c100000000000006"},
		counters: map[string]int64{
			"otelcol_processor_llmcost_spans_priced":                        2,
			"otelcol_processor_llmcost_spans_unpriced{reason=no_usage}":     1,
			"otelcol_processor_llmcost_spans_not_model_calls{role=summary}": 1,
		},
	},
	"nested-openllmetry.json": {
		// The workflow span repeats its chat's usage; the task span has none. 1234*2.5 + 100*10 = 4085 µ$.
		priced:    map[string]float64{"d100000000000003": 0.004085},
		outer:     []string{"d100000000000001"},
		noUsage:   []string{"d200000000000001"}, // OpenLLMetry records no usage on streamed chats
		untouched: []string{"d100000000000002"},
		counters: map[string]int64{
			"otelcol_processor_llmcost_spans_priced":                        1,
			"otelcol_processor_llmcost_spans_unpriced{reason=no_usage}":     1,
			"otelcol_processor_llmcost_spans_not_model_calls{role=summary}": 1,
		},
	},
}

func spansByID(td ptrace.Traces) map[string]ptrace.Span {
	m := map[string]ptrace.Span{}
	eachSpan(td, func(s ptrace.Span) { m[s.SpanID().String()] = s })
	return m
}

func checkNested(t *testing.T, file string, w nestedWant, spans map[string]ptrace.Span) {
	t.Helper()
	total, wantTotal := 0.0, 0.0
	for _, c := range w.priced {
		wantTotal += c
	}
	for id, s := range spans {
		a := s.Attributes()
		cost, hasCost := a.Get(attrCost)
		by, _ := a.Get(attrPricedBy)
		if hasCost && by.Str() == pricedByCollector {
			total += cost.Double()
			if want, ok := w.priced[id]; !ok {
				t.Errorf("%s: span %s (%s) priced, but it is no model call", file, id, s.Name())
			} else if cost.Double() != want {
				t.Errorf("%s: span %s (%s) cost %v, want %v", file, id, s.Name(), cost.Double(), want)
			}
		}
	}
	if len(w.priced) > 0 && total != wantTotal {
		t.Errorf("%s: total %v, want %v (each call once)", file, total, wantTotal)
	}
	for id := range w.priced {
		if _, ok := spans[id].Attributes().Get(attrModelCall); ok {
			t.Errorf("%s: priced span %s carries llmcost.model_call", file, id)
		}
	}
	for _, id := range w.outer {
		a := spans[id].Attributes()
		if v, ok := a.Get(attrModelCall); !ok || v.Bool() {
			t.Errorf("%s: outer span %s (%s) not marked llmcost.model_call = false", file, id, spans[id].Name())
		}
		for _, k := range []string{attrPricedBy, attrUnpriced, attrCostSource} {
			if _, ok := a.Get(k); ok {
				t.Errorf("%s: outer span %s has %s", file, id, k)
			}
		}
	}
	for _, id := range w.noUsage {
		a := spans[id].Attributes()
		if v, _ := a.Get(attrUnpricedReason); v.Str() != reasonNoUsage {
			t.Errorf("%s: span %s reason %q, want no_usage", file, id, v.Str())
		}
		if v, _ := a.Get(attrUnpriced); !v.Bool() {
			t.Errorf("%s: span %s not marked unpriced", file, id)
		}
		if _, ok := a.Get(attrCost); ok {
			t.Errorf("%s: span %s without usage got a cost", file, id)
		}
		for _, k := range []string{attrProvider, attrRequestModel} { // labels of the derived unpriced counter
			if _, ok := a.Get(k); !ok {
				t.Errorf("%s: no-usage span %s lacks %s", file, id, k)
			}
		}
	}
	for _, id := range w.untouched {
		spans[id].Attributes().Range(func(k string, _ pcommon.Value) bool {
			if strings.HasPrefix(k, "llmcost.") {
				t.Errorf("%s: span %s (%s) got %s", file, id, spans[id].Name(), k)
			}
			return true
		})
	}
}

func TestNestedTracesPriceEachCallOnce(t *testing.T) {
	for file, w := range nestedFixtures {
		t.Run(file, func(t *testing.T) {
			out, reader := run(t, createDefaultConfig().(*Config), file)
			checkNested(t, file, w, spansByID(out))
			c := counters(t, reader)
			for k, v := range w.counters {
				if c[k] != v {
					t.Errorf("%s = %d, want %d (all: %v)", k, c[k], v, c)
				}
			}
			for k := range c {
				if _, ok := w.counters[k]; !ok && strings.HasPrefix(k, "otelcol_processor_llmcost_") {
					t.Errorf("unexpected counter %s = %d", k, c[k])
				}
			}
		})
	}
}

// splitSpans returns one Traces per span (resource and scope copied), parents first: as spans of one
// trace arrive when they are exported in different batches, or reach the collector out of order.
func splitSpans(td ptrace.Traces) []ptrace.Traces {
	var out []ptrace.Traces
	rss := td.ResourceSpans()
	for i := 0; i < rss.Len(); i++ {
		sss := rss.At(i).ScopeSpans()
		for j := 0; j < sss.Len(); j++ {
			spans := sss.At(j).Spans()
			for k := 0; k < spans.Len(); k++ {
				one := ptrace.NewTraces()
				rs := one.ResourceSpans().AppendEmpty()
				rss.At(i).Resource().CopyTo(rs.Resource())
				ss := rs.ScopeSpans().AppendEmpty()
				sss.At(j).Scope().CopyTo(ss.Scope())
				spans.At(k).CopyTo(ss.Spans().AppendEmpty())
				out = append(out, one)
			}
		}
	}
	return out
}

// The decision needs only the span itself: the same spans, one per batch and in either order, are priced
// exactly as in one batch.
func TestNestedTracesAcrossBatches(t *testing.T) {
	for file, w := range nestedFixtures {
		for _, reverse := range []bool{false, true} {
			raw, err := os.ReadFile(filepath.Join("testdata", "otlp", file))
			if err != nil {
				t.Fatal(err)
			}
			td, err := (&ptrace.JSONUnmarshaler{}).UnmarshalTraces(raw)
			if err != nil {
				t.Fatal(err)
			}
			batches := splitSpans(td)
			if reverse { // children (which end first) first
				for i, j := 0, len(batches)-1; i < j; i, j = i+1, j-1 {
					batches[i], batches[j] = batches[j], batches[i]
				}
			}
			sink := new(consumertest.TracesSink)
			proc, err := NewFactory().CreateTraces(context.Background(), processortest.NewNopSettings(metadata.Type), createDefaultConfig(), sink)
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range batches {
				if err := proc.ConsumeTraces(context.Background(), b); err != nil {
					t.Fatal(err)
				}
			}
			spans := map[string]ptrace.Span{}
			for _, b := range sink.AllTraces() {
				for id, s := range spansByID(b) {
					spans[id] = s
				}
			}
			if len(spans) != td.SpanCount() {
				t.Fatalf("%s: %d spans out, want %d", file, len(spans), td.SpanCount())
			}
			checkNested(t, file, w, spans)
			whole, _ := run(t, createDefaultConfig().(*Config), file)
			for id, s := range spansByID(whole) {
				if !s.Attributes().Equal(spans[id].Attributes()) {
					t.Errorf("%s (reverse %v): span %s differs from the one-batch result:\n%v\n%v", file, reverse, id, spans[id].Attributes().AsRaw(), s.Attributes().AsRaw())
				}
			}
		}
	}
}

// framework_llm_spans: call prices a framework's own LLM span, for apps that instrument only the framework
// (then there is no client span under it; here there is one, so the call is priced twice, which is why it is
// not the default).
func TestFrameworkLLMSpansAsCalls(t *testing.T) {
	cfg := createDefaultConfig().(*Config)
	cfg.FrameworkLLMSpans = frameworkAsCall
	out, reader := run(t, cfg, "nested-openinference.json")
	spans := spansByID(out)
	// LangChain's ChatOpenAI span: the same 2000 / 1024 cached / 300 tokens of gpt-4o-mini, 403.2 µ$.
	if c, _ := spans["b100000000000002"].Attributes().Get(attrCost); c.Double() != 0.0004032 {
		t.Errorf("framework span cost %v", c.AsRaw())
	}
	if v, ok := spans["b100000000000001"].Attributes().Get(attrModelCall); !ok || v.Bool() {
		t.Error("the chain span must stay a summary")
	}
	if c := counters(t, reader); c["otelcol_processor_llmcost_spans_priced"] != 3 || c["otelcol_processor_llmcost_spans_not_model_calls{role=framework}"] != 0 {
		t.Errorf("counters %v", c)
	}
}

// OpenLIT writes gen_ai.usage.cost = 0 for models it cannot price: a model we can price gets our price and
// says so; a non-zero cost of another tool stays; a 0 nobody can price stays, and the span says unpriced.
func TestOpenLITCosts(t *testing.T) {
	out, reader := run(t, createDefaultConfig().(*Config), "openlit.json")
	spans := spansByID(out)
	// gpt-4o-mini: 1000*0.15 + 200*0.6 = 150 + 120 = 270 µ$.
	zero := spans["e100000000000002"].Attributes()
	checkPriced(t, "openlit zero", zero, want{0.00027, 0.00015, 0.00012, 0, "gpt-4o-mini"})
	if v, _ := zero.Get(attrCostReplaced); v.Str() != replacedZero {
		t.Errorf("llmcost.cost.replaced = %q, want zero", v.Str())
	}
	kept := spans["e200000000000001"].Attributes()
	if v, _ := kept.Get(attrCost); v.Double() != 0.0045 {
		t.Errorf("OpenLIT's own cost changed: %v", v.AsRaw())
	}
	if _, ok := kept.Get(attrPricedBy); ok {
		t.Error("a span with another tool's cost was priced")
	}
	unknown := spans["e300000000000001"].Attributes()
	if v, _ := unknown.Get(attrUnpricedReason); v.Str() != "unknown_model" {
		t.Errorf("reason %q", v.Str())
	}
	if v, _ := unknown.Get(attrCost); v.Double() != 0 {
		t.Errorf("cost %v", v.AsRaw())
	}
	if v, ok := spans["e100000000000001"].Attributes().Get(attrModelCall); !ok || v.Bool() {
		t.Error("OpenLIT's langchain span (framework) not marked llmcost.model_call = false")
	}
	wantCounters(t, reader, map[string]int64{
		"otelcol_processor_llmcost_spans_priced":                          1,
		"otelcol_processor_llmcost_spans_skipped":                         1,
		"otelcol_processor_llmcost_spans_unpriced{reason=unknown_model}":  1,
		"otelcol_processor_llmcost_spans_not_model_calls{role=framework}": 1,
	})
}

func TestProviderReportedCost(t *testing.T) {
	out, _ := run(t, createDefaultConfig().(*Config), "provider-reported.json")
	spans := spansByID(out)
	for id, w := range map[string]struct {
		cost   float64
		source string
	}{
		"f100000000000001": {0.004321, "provider_reported"}, // OpenInference litellm: llm.cost.total
		"f300000000000001": {0.0031, "provider_reported"},   // gen_ai.usage.cost.amount, source provider
		// llm.cost.total = 0 is no cost known: 100*2.5 + 10*10 = 350 µ$.
		"f200000000000001": {0.00035, "pricing_data"},
		// a local estimate is no provider's cost: 100*2.5 + 10*10 = 350 µ$.
		"f300000000000002": {0.00035, "pricing_data"},
	} {
		a := spans[id].Attributes()
		c, _ := a.Get(attrCost)
		src, _ := a.Get(attrCostSource)
		ver, _ := a.Get(attrPriceDataVersion)
		if c.Double() != w.cost || src.Str() != w.source {
			t.Errorf("%s: cost %v source %q, want %v %q", id, c.AsRaw(), src.Str(), w.cost, w.source)
		}
		if w.source == "provider_reported" && ver.Str() != "provider_reported" {
			t.Errorf("%s: price data version %q", id, ver.Str())
		}
	}
}

// Every unpriced reason is counted, no_usage included, and metadata.yaml declares exactly these.
func TestEveryReasonCountedAndDeclared(t *testing.T) {
	raw, err := os.ReadFile("metadata.yaml")
	if err != nil {
		t.Fatal(err)
	}
	enum := ""
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.Contains(line, "enum: [unknown_model") {
			enum = strings.TrimSpace(line)
		}
	}
	if enum != "enum: ["+strings.Join(reasons, ", ")+"]" {
		t.Errorf("metadata.yaml reason %q, want the reasons %v", enum, reasons)
	}
	td := ptrace.NewTraces()
	spans := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans()
	add := func(kv map[string]any) {
		a := spans.AppendEmpty().Attributes()
		_ = a.FromRaw(kv)
	}
	add(map[string]any{"gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": "no-such-model-xyz", attrInputTokens: 5})
	add(map[string]any{"gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", attrInputTokens: 5})
	add(map[string]any{"gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o", attrInputTokens: "5"})
	add(map[string]any{"gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": "whisper-1", attrInputTokens: 5})
	add(map[string]any{"gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o"})
	reader := sdkmetric.NewManualReader()
	set := processortest.NewNopSettings(metadata.Type)
	set.TelemetrySettings.MeterProvider = sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	proc, err := NewFactory().CreateTraces(context.Background(), set, createDefaultConfig(), new(consumertest.TracesSink))
	if err != nil {
		t.Fatal(err)
	}
	if err := proc.ConsumeTraces(context.Background(), td); err != nil {
		t.Fatal(err)
	}
	c := counters(t, reader)
	for _, r := range reasons {
		if c["otelcol_processor_llmcost_spans_unpriced{reason="+r+"}"] != 1 {
			t.Errorf("reason %s counted %d times (all: %v)", r, c["otelcol_processor_llmcost_spans_unpriced{reason="+r+"}"], c)
		}
	}
}

// The contract's unpriced reasons and cost sources are exactly what the pricer gives, plus no_usage
// (given by the processor for a model call without usage).
func TestContractReasonsAndSourcesMatchThePricer(t *testing.T) {
	if got, want := strings.Join(unpricedReasons, ","), strings.Join(append(append([]string{}, pricing.Reasons...), reasonNoUsage), ","); got != want {
		t.Errorf("contract unpriced_reasons %s, pricer and processor give %s", got, want)
	}
	sources := []string{pricing.SourcePricingData, pricing.SourceOverride, pricing.SourceProviderReported}
	if got, want := strings.Join(costSources, ","), strings.Join(sources, ","); got != want {
		t.Errorf("contract cost_sources %s, the pricer gives %s", got, want)
	}
}
