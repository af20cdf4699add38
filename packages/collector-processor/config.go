package llmcostprocessor // import "github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor"

import (
	"errors"
	"fmt"
	"os"

	"go.opentelemetry.io/collector/component"
)

// Config is the configuration of the llmcost processor.
type Config struct {
	// OverridesFile is a YAML or JSON file with the user's own prices, tried before the bundled
	// genai-prices data (same format as @otel-llm-cost/pricing's overrides file).
	OverridesFile string `mapstructure:"overrides_file"`
	// Override re-prices spans that already carry gen_ai.usage.cost (e.g. from an SDK). Default false:
	// a span that arrives with a cost is left alone.
	Override bool `mapstructure:"override"`
}

var _ component.Config = (*Config)(nil)

// Validate checks that an overrides file, when set, exists and parses.
func (cfg *Config) Validate() error {
	if cfg.OverridesFile == "" {
		return nil
	}
	if _, err := os.Stat(cfg.OverridesFile); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("overrides_file %q does not exist: create it or remove the setting", cfg.OverridesFile)
		}
		return fmt.Errorf("overrides_file %q cannot be read: %w", cfg.OverridesFile, err)
	}
	return nil
}
