// Hand-written in the shape of mdatagen's output (see ../../metadata.yaml).

package metadata // import "github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor/internal/metadata"

import (
	"go.opentelemetry.io/collector/component"
)

var (
	// Type is the component type used in collector configs: `llmcost`.
	Type = component.MustNewType("llmcost")
	// ScopeName is the instrumentation scope of the processor's own telemetry.
	ScopeName = "github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor"
)

const (
	// TracesStability is the stability level of the traces processor.
	TracesStability = component.StabilityLevelDevelopment
)
