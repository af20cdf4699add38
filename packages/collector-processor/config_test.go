package llmcostprocessor

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap/confmaptest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor/internal/metadata"
)

func loadConfig(t *testing.T, name string) *Config {
	t.Helper()
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	sub, err := cm.Sub(component.MustNewIDWithName(metadata.Type.String(), name).String())
	if err != nil {
		t.Fatal(err)
	}
	cfg := createDefaultConfig().(*Config)
	if err := sub.Unmarshal(cfg); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestConfig(t *testing.T) {
	def := Config{PriceData: PriceDataConfig{URL: DefaultPriceDataURL, Interval: time.Hour, Timeout: 10 * time.Second, MaxBytes: 16 << 20}, FrameworkLLMSpans: "summary"}
	if got := loadConfig(t, ""); *got != def || got.Validate() != nil {
		t.Errorf("default config: %+v", got)
	}
	custom := loadConfig(t, "custom")
	if *custom != (Config{OverridesFile: "testdata/overrides.yaml", Override: true, PriceData: PriceDataConfig{
		URL: "https://prices.example.com/genai-prices.json", Interval: 30 * time.Minute, Timeout: 5 * time.Second,
		MaxBytes: 8 << 20, CachePath: "/var/cache/otelcol/genai-prices-live.json",
	}, FrameworkLLMSpans: "call"}) || custom.Validate() != nil {
		t.Errorf("custom config: %+v, %v", custom, custom.Validate())
	}
	offline := loadConfig(t, "offline")
	if offline.PriceData.URL != "off" || offline.PriceData.CachePath != "off" || offline.Validate() != nil {
		t.Errorf("offline config: %+v, %v", offline, offline.Validate())
	}
	bad := loadConfig(t, "bad-framework").Validate()
	if bad == nil || !strings.Contains(bad.Error(), "framework_llm_spans") || !strings.Contains(bad.Error(), `"call"`) {
		t.Errorf("bad framework_llm_spans: %v", bad)
	}
	err := loadConfig(t, "missing").Validate()
	if err == nil || !strings.Contains(err.Error(), "no-such-file.yaml") || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing overrides file: %v", err)
	}
}

func TestPriceDataConfigErrorsNameTheFieldAndTheFix(t *testing.T) {
	dir := t.TempDir()
	for name, c := range map[string]struct {
		change func(*PriceDataConfig)
		want   []string
	}{
		"empty url":    {func(c *PriceDataConfig) { c.URL = "" }, []string{"price_data.url", `"off"`}},
		"ftp url":      {func(c *PriceDataConfig) { c.URL = "ftp://example.com/x.json" }, []string{"price_data.url", "http(s)", `"off"`}},
		"no host":      {func(c *PriceDataConfig) { c.URL = "https:///x.json" }, []string{"price_data.url"}},
		"interval":     {func(c *PriceDataConfig) { c.Interval = time.Second }, []string{"price_data.interval", "at least 1m"}},
		"zero timeout": {func(c *PriceDataConfig) { c.Timeout = 0 }, []string{"price_data.timeout", "above 0"}},
		"long timeout": {func(c *PriceDataConfig) { c.Timeout = 2 * time.Hour }, []string{"price_data.timeout", "price_data.interval"}},
		"max_bytes":    {func(c *PriceDataConfig) { c.MaxBytes = 10 }, []string{"price_data.max_bytes", "at least"}},
		"cache_path":   {func(c *PriceDataConfig) { c.CachePath = dir }, []string{"price_data.cache_path", "directory", `"off"`}},
	} {
		cfg := createDefaultConfig().(*Config)
		c.change(&cfg.PriceData)
		err := cfg.Validate()
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not mention %s", name, err, w)
			}
		}
	}
	// "off" needs no other setting.
	if err := (&Config{PriceData: PriceDataConfig{URL: "off"}}).Validate(); err != nil {
		t.Errorf("url off: %v", err)
	}
}

func TestOverridesFileIsUsed(t *testing.T) {
	sink := new(consumertest.TracesSink)
	set := processortest.NewNopSettings(metadata.Type)
	p, err := NewFactory().CreateTraces(context.Background(), set, loadConfig(t, "custom"), sink)
	if err != nil {
		t.Fatal(err)
	}
	td := ptrace.NewTraces()
	s := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans().AppendEmpty()
	a := s.Attributes()
	a.PutStr("gen_ai.provider.name", "openai")
	a.PutStr("gen_ai.request.model", "ft:gpt-4o-mini:acme::a1b2")
	a.PutInt("gen_ai.usage.input_tokens", 1000)
	a.PutInt("gen_ai.usage.output_tokens", 1000)
	if err := p.ConsumeTraces(context.Background(), td); err != nil {
		t.Fatal(err)
	}
	out := sink.AllTraces()[0].ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0).Attributes()
	cost, _ := out.Get("gen_ai.usage.cost")
	src, _ := out.Get("llmcost.cost.source")
	// 1000 * 0.3 / 1e6 + 1000 * 1.2 / 1e6
	if cost.Double() != 0.0015 || src.Str() != "override" {
		t.Errorf("cost %v source %q, want 0.0015 from the override", cost.Double(), src.Str())
	}
}

func TestBadOverridesFileFailsStartWithAClearError(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := writeFile(bad, "models: [{ model: x, prices: { input_tokens: 1 } }]"); err != nil {
		t.Fatal(err)
	}
	_, err := NewFactory().CreateTraces(context.Background(), processortest.NewNopSettings(metadata.Type), &Config{OverridesFile: bad}, consumertest.NewNop())
	if err == nil || !strings.Contains(err.Error(), `unknown price key "input_tokens"`) {
		t.Errorf("error %v", err)
	}
}

func writeFile(path, text string) error { return os.WriteFile(path, []byte(text), 0o600) }
