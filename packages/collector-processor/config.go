package llmcostprocessor // import "github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor"

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"time"

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
	// PriceData refreshes the prices while the collector runs from the published genai-prices document.
	PriceData PriceDataConfig `mapstructure:"price_data"`
	// FrameworkLLMSpans says what a framework's own LLM span is (OpenInference's LangChain, LlamaIndex,
	// DSPy, ... LLM spans, OpenLIT's framework spans; packages/contract/model-calls.json role "framework"):
	// "summary" (default; "" too) leaves it unpriced, because the client library's span under it is the
	// call and is priced; "call" prices it, for apps that instrument only the framework.
	FrameworkLLMSpans string `mapstructure:"framework_llm_spans"`
}

// Values of framework_llm_spans.
const (
	frameworkAsSummary = "summary"
	frameworkAsCall    = "call"
)

// PriceDataConfig configures the live price data.
type PriceDataConfig struct {
	// URL of the genai-prices document (a JSON list of providers); "off" uses only the bundled data.
	URL string `mapstructure:"url"`
	// Interval between fetches (the first one is at start).
	Interval time.Duration `mapstructure:"interval"`
	// Timeout of one fetch.
	Timeout time.Duration `mapstructure:"timeout"`
	// MaxBytes caps the size of a fetched document.
	MaxBytes int64 `mapstructure:"max_bytes"`
	// CachePath keeps the last accepted document on disk, used at once at the next start; "" is
	// os.UserCacheDir()/otel-llm-cost/genai-prices-live.json, "off" keeps none.
	CachePath string `mapstructure:"cache_path"`
}

// Defaults of price_data. DefaultPriceDataURL is genai-prices' own DEFAULT_UPDATE_URL.
const (
	DefaultPriceDataURL      = "https://raw.githubusercontent.com/pydantic/genai-prices/refs/heads/main/prices/new_data/v2/data.json"
	defaultPriceDataInterval = time.Hour
	defaultPriceDataTimeout  = 10 * time.Second
	defaultPriceDataMaxBytes = 16 << 20
	minPriceDataInterval     = time.Minute
	minPriceDataMaxBytes     = 1 << 10
	off                      = "off"
)

func defaultPriceData() PriceDataConfig {
	return PriceDataConfig{URL: DefaultPriceDataURL, Interval: defaultPriceDataInterval, Timeout: defaultPriceDataTimeout, MaxBytes: defaultPriceDataMaxBytes}
}

var _ component.Config = (*Config)(nil)

// Validate checks that an overrides file, when set, exists, and that price_data is usable. Every
// error names the setting and how to fix it.
func (cfg *Config) Validate() error {
	if cfg.OverridesFile != "" {
		if _, err := os.Stat(cfg.OverridesFile); err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("overrides_file %q does not exist: create it or remove the setting", cfg.OverridesFile)
			}
			return fmt.Errorf("overrides_file %q cannot be read: %w", cfg.OverridesFile, err)
		}
	}
	switch cfg.FrameworkLLMSpans {
	case "", frameworkAsSummary, frameworkAsCall:
	default:
		return fmt.Errorf(`framework_llm_spans %q is not one of "summary" (default: the client library's span under a framework span is priced) or "call" (price the framework's span: for apps that instrument only the framework)`, cfg.FrameworkLLMSpans)
	}
	return cfg.PriceData.Validate()
}

// Validate checks the price_data settings.
func (c *PriceDataConfig) Validate() error {
	if c.URL == off {
		return nil
	}
	if c.URL == "" {
		return fmt.Errorf(`price_data.url is empty: set the URL of a genai-prices document (default %s), or "off" to use only the bundled prices`, DefaultPriceDataURL)
	}
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf(`price_data.url %q is not an http(s) URL: set the URL of a genai-prices document (default %s), or "off" to use only the bundled prices`, c.URL, DefaultPriceDataURL)
	}
	if c.Interval < minPriceDataInterval {
		return fmt.Errorf("price_data.interval %v is too short: set at least %v (default %v; the document changes a few times a day)", c.Interval, minPriceDataInterval, defaultPriceDataInterval)
	}
	if c.Timeout <= 0 || c.Timeout > c.Interval {
		return fmt.Errorf("price_data.timeout %v must be above 0 and at most price_data.interval (%v): set e.g. %v", c.Timeout, c.Interval, defaultPriceDataTimeout)
	}
	if c.MaxBytes < minPriceDataMaxBytes {
		return fmt.Errorf("price_data.max_bytes %d is too small for a genai-prices document: set at least %d (default %d)", c.MaxBytes, minPriceDataMaxBytes, defaultPriceDataMaxBytes)
	}
	if c.CachePath != "" && c.CachePath != off {
		if fi, err := os.Stat(c.CachePath); err == nil && fi.IsDir() {
			return fmt.Errorf(`price_data.cache_path %q is a directory: set a file path (e.g. %s), "" for the default, or "off"`, c.CachePath, "/var/cache/otelcol/genai-prices-live.json")
		}
	}
	return nil
}
