package llmcostprocessor // import "github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor"

// The attribute names, the dialects of other instrumentations and the unpriced reasons are generated from
// packages/contract/telemetry.yaml into contract_generated.go. These values are the processor's own.
const (
	pricedByCollector = "collector"
	replacedZero      = "zero"
	replacedOverride  = "override"
)
