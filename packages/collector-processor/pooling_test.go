package llmcostprocessor

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/featuregate"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/pdata/xpdata/pref"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor/internal/metadata"
)

// TestGoldenWithProtoPooling runs every fixture twice through one processor with pdata's
// pdata.useProtoPooling feature gate on, releasing each batch after it as the collector's pipeline
// does, so that the second round writes into values recycled from the first: the output is still the
// golden one (nothing of a batch is kept past it).
func TestGoldenWithProtoPooling(t *testing.T) {
	const gate = "pdata.useProtoPooling"
	if err := featuregate.GlobalRegistry().Set(gate, true); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = featuregate.GlobalRegistry().Set(gate, false) })
	files, _ := filepath.Glob(filepath.Join("testdata", "otlp", "*.json"))
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	sink := new(consumertest.TracesSink)
	proc, err := NewFactory().CreateTraces(context.Background(), processortest.NewNopSettings(metadata.Type), createDefaultConfig(), sink)
	if err != nil {
		t.Fatal(err)
	}
	for round := 1; round <= 2; round++ {
		for _, f := range files {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			td, err := (&ptrace.JSONUnmarshaler{}).UnmarshalTraces(raw)
			if err != nil {
				t.Fatal(err)
			}
			pref.MarkPipelineOwnedTraces(td)
			if err := proc.ConsumeTraces(context.Background(), td); err != nil {
				t.Fatal(err)
			}
			out, err := (&ptrace.JSONMarshaler{}).MarshalTraces(sink.AllTraces()[0])
			if err != nil {
				t.Fatal(err)
			}
			sink.Reset()
			pref.UnrefTraces(td) // back to the pools
			if td.SpanCount() != 0 {
				t.Fatal("the batch was not released to the pools: is the gate on?")
			}
			var got bytes.Buffer
			_ = json.Indent(&got, out, "", " ")
			got.WriteByte('\n')
			want, err := os.ReadFile(filepath.Join("testdata", "golden", filepath.Base(f)))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("round %d, %s: output differs from the golden file:\n%s", round, filepath.Base(f), got.String())
			}
		}
	}
}
