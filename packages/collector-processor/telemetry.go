package llmcostprocessor // import "github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor"

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor/internal/metadata"
	"github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor/internal/pricing"
)

var (
	reasons  = pricing.Reasons // every unpriced reason the pricer gives
	problems = []string{problemWrongType, problemNegative, problemNotInteger, problemTooLarge, problemMissingModel}
	results  = []string{updateSuccess, updateFailure, updateRejected}
)

// batchStats counts one batch; added to the counters once per batch (no per-span metric calls).
type batchStats struct {
	priced, skipped int64
	unpriced        [8]int64 // by reasons index (reasons has fewer entries)
	otherReasons    map[string]int64
	malformed       [5]int64 // by problems index
}

func (s *batchStats) unpricedReason(reason string) {
	for i, r := range reasons {
		if r == reason && i < len(s.unpriced) {
			s.unpriced[i]++
			return
		}
	}
	if s.otherReasons == nil {
		s.otherReasons = map[string]int64{}
	}
	s.otherReasons[reason]++
}

func (s *batchStats) malformedProblem(problem string) {
	for i, p := range problems {
		if p == problem {
			s.malformed[i]++
			return
		}
	}
}

// telemetry is the processor's own metrics (see metadata.yaml), through the collector's MeterProvider.
type telemetry struct {
	priced, unpriced, skipped, malformed, updates metric.Int64Counter
	reasonOpts, problemOpts, resultOpts           []metric.AddOption
}

func newTelemetry(set component.TelemetrySettings) (*telemetry, error) {
	m := set.MeterProvider.Meter(metadata.ScopeName)
	t := &telemetry{}
	var err error
	if t.priced, err = m.Int64Counter("otelcol_processor_llmcost_spans_priced",
		metric.WithDescription("LLM spans the processor priced (set gen_ai.usage.cost on)."), metric.WithUnit("{span}")); err != nil {
		return nil, err
	}
	if t.unpriced, err = m.Int64Counter("otelcol_processor_llmcost_spans_unpriced",
		metric.WithDescription("LLM spans with token usage that could not be priced, by reason."), metric.WithUnit("{span}")); err != nil {
		return nil, err
	}
	if t.skipped, err = m.Int64Counter("otelcol_processor_llmcost_spans_skipped",
		metric.WithDescription("LLM spans left alone because they already carried a cost (override: false)."), metric.WithUnit("{span}")); err != nil {
		return nil, err
	}
	if t.malformed, err = m.Int64Counter("otelcol_processor_llmcost_spans_malformed",
		metric.WithDescription("LLM spans with malformed token or model attributes, by problem."), metric.WithUnit("{span}")); err != nil {
		return nil, err
	}
	if t.updates, err = m.Int64Counter("otelcol_processor_llmcost_price_data_updates",
		metric.WithDescription("Live price data updates, by result: success, failure (fetch or HTTP error), rejected (invalid document)."),
		metric.WithUnit("{update}")); err != nil {
		return nil, err
	}
	for _, r := range reasons {
		t.reasonOpts = append(t.reasonOpts, metric.WithAttributeSet(attribute.NewSet(attribute.String("reason", r))))
	}
	for _, p := range problems {
		t.problemOpts = append(t.problemOpts, metric.WithAttributeSet(attribute.NewSet(attribute.String("problem", p))))
	}
	for _, r := range results {
		t.resultOpts = append(t.resultOpts, metric.WithAttributeSet(attribute.NewSet(attribute.String("result", r))))
	}
	return t, nil
}

func (t *telemetry) record(ctx context.Context, s *batchStats) {
	if s.priced > 0 {
		t.priced.Add(ctx, s.priced)
	}
	if s.skipped > 0 {
		t.skipped.Add(ctx, s.skipped)
	}
	for i, n := range s.unpriced { // non-zero only at indexes of reasons
		if n > 0 {
			t.unpriced.Add(ctx, n, t.reasonOpts[i])
		}
	}
	for r, n := range s.otherReasons {
		t.unpriced.Add(ctx, n, metric.WithAttributes(attribute.String("reason", r)))
	}
	for i, n := range s.malformed {
		if n > 0 {
			t.malformed.Add(ctx, n, t.problemOpts[i])
		}
	}
}

func (t *telemetry) recordUpdate(ctx context.Context, result string) {
	for i, r := range results {
		if r == result {
			t.updates.Add(ctx, 1, t.resultOpts[i])
			return
		}
	}
}
