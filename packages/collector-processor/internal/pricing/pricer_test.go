package pricing

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var at = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

func pricer(t *testing.T) *Pricer {
	t.Helper()
	d, err := Bundled()
	if err != nil {
		t.Fatal(err)
	}
	return NewPricer(d, nil, "")
}

// Expected values are computed by hand from the providers' published prices.
func TestHandComputed(t *testing.T) {
	p := pricer(t)
	cases := []struct {
		name             string
		req              Request
		cost, in, out, s float64
		model            string
	}{
		// OpenAI gpt-4o: $2.50/M input, $10/M output. 1234 * 2.5 / 1e6 = 0.003085 exactly after rounding.
		{"gpt-4o input only", Request{Provider: "openai", Model: "gpt-4o", Usage: TokenUsage{InputTokens: 1234}}, 0.003085, 0.003085, 0, 0, "gpt-4o"},
		// gpt-4o cached input $1.25/M: 1000 input of which 400 cached, 100 output:
		// 600*2.5/1e6 + 400*1.25/1e6 = 0.0015 + 0.0005 = 0.002; output 100*10/1e6 = 0.001; savings 400*(2.5-1.25)/1e6 = 0.0005.
		{"gpt-4o cached", Request{Provider: "openai", Model: "gpt-4o-2024-08-06", Usage: TokenUsage{InputTokens: 1000, CacheReadTokens: 400, OutputTokens: 100}}, 0.003, 0.002, 0.001, 0.0005, "gpt-4o"},
		// Gemini 2.5 Pro above 200k input: every token at $2.50/M input and $15/M output.
		// 250000*2.5/1e6 = 0.625; 1000*15/1e6 = 0.015.
		{"gemini-2.5-pro tier", Request{Provider: "gcp.gemini", Model: "gemini-2.5-pro", Usage: TokenUsage{InputTokens: 250000, OutputTokens: 1000}}, 0.64, 0.625, 0.015, 0, "gemini-2.5-pro"},
		// Below the tier: $1.25/M and $10/M.
		{"gemini-2.5-pro base", Request{Provider: "gcp.gemini", Model: "gemini-2.5-pro", Usage: TokenUsage{InputTokens: 100000, OutputTokens: 1000}}, 0.135, 0.125, 0.01, 0, "gemini-2.5-pro"},
		// Claude Sonnet 4: $3/M input, 5m cache write $3.75/M, 1h cache write $6/M, read $0.30/M, $15/M output.
		// input 10000 = 2000 plain + 3000 read + 5000 written (2000 of them 1h, 3000 5m):
		// 2000*3 + 3000*0.3 + 3000*3.75 + 2000*6 = 6000+900+11250+12000 = 30150 /1e6 = 0.03015;
		// output 1000*15/1e6 = 0.015; savings 3000*(3-0.3)/1e6 = 0.0081.
		{"claude sonnet 4 cache 1h", Request{Provider: "anthropic", Model: "claude-sonnet-4-20250514",
			Usage: TokenUsage{InputTokens: 10000, CacheReadTokens: 3000, CacheWriteTokens: 5000, CacheWrite1hTokens: 2000, OutputTokens: 1000}},
			0.04515, 0.03015, 0.015, 0.0081, "claude-sonnet-4-0"},
	}
	for _, c := range cases {
		c.req.Time = at
		r := p.Price(&c.req)
		if !r.Priced || r.Cost != c.cost || r.InputCost != c.in || r.OutputCost != c.out || r.CacheSavings != c.s || r.PricingModel != c.model {
			t.Errorf("%s: got %+v; want cost=%v in=%v out=%v savings=%v model=%s", c.name, r, c.cost, c.in, c.out, c.s, c.model)
		}
	}
}

func TestProviderPrefixAndModelOnly(t *testing.T) {
	p := pricer(t)
	// OpenRouter-style "openai/gpt-4o" with no provider: the prefix selects the provider.
	r := p.Price(&Request{Model: "openai/gpt-4o", Usage: TokenUsage{InputTokens: 1234}, Time: at})
	if !r.Priced || r.Cost != 0.003085 || r.PricingProvider != "openai" {
		t.Errorf("prefixed model: %+v", r)
	}
	// No provider at all: genai-prices' model_match finds Anthropic for a claude model.
	r = p.Price(&Request{Model: "claude-sonnet-4-20250514", Usage: TokenUsage{InputTokens: 1000}, Time: at})
	if !r.Priced || r.PricingProvider != "anthropic" || r.Cost != 0.003 {
		t.Errorf("model only: %+v", r)
	}
	// Request model is tried when the response model is unknown.
	r = p.Price(&Request{Provider: "openai", Model: "my-proxy-alias", RequestModel: "gpt-4o", Usage: TokenUsage{InputTokens: 1234}, Time: at})
	if !r.Priced || r.PricingModel != "gpt-4o" {
		t.Errorf("request model fallback: %+v", r)
	}
}

func TestUnpriced(t *testing.T) {
	p := pricer(t)
	cases := map[string]struct {
		req    Request
		reason string
	}{
		"unknown model":   {Request{Provider: "openai", Model: "no-such-model-xyz", Usage: TokenUsage{InputTokens: 5}}, ReasonUnknownModel},
		"no model":        {Request{Provider: "openai", Usage: TokenUsage{InputTokens: 5}}, ReasonNoModel},
		"negative":        {Request{Provider: "openai", Model: "gpt-4o", Usage: TokenUsage{InputTokens: -5}}, ReasonInvalidUsage},
		"cache > input":   {Request{Provider: "openai", Model: "gpt-4o", Usage: TokenUsage{InputTokens: 5, CacheReadTokens: 10}}, ReasonInvalidUsage},
		"reasoning > out": {Request{Provider: "openai", Model: "gpt-4o", Usage: TokenUsage{OutputTokens: 5, ReasoningTokens: 10}}, ReasonInvalidUsage},
	}
	for name, c := range cases {
		r := p.Price(&c.req)
		if r.Priced || r.Reason != c.reason || r.Cost != 0 || r.Message == "" {
			t.Errorf("%s: got %+v, want reason %s", name, r, c.reason)
		}
	}
}

func TestOverrides(t *testing.T) {
	d, _ := Bundled()
	dir := t.TempDir()
	path := filepath.Join(dir, "prices.yaml")
	doc := `models:
  - model: ft:gpt-4o-mini:acme::a1b2
    provider: openai
    prices: { input_mtok: 0.3, output_mtok: 1.2 }
  - match: { starts_with: "acme-llm" }
    prices:
      - prices: { input_mtok: 1, output_mtok: 2 }
      - constraint: { start_date: "2026-06-01" }
        prices: { input_mtok: 0.5, output_mtok: 1 }
  - model: gpt-4o
    prices: { input_mtok: 2, output_mtok: 8 }
`
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	ov, err := LoadOverridesFile(d, path)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPricer(d, ov, path)
	r := p.Price(&Request{Provider: "openai", Model: "ft:gpt-4o-mini:acme::a1b2", Usage: TokenUsage{InputTokens: 1000, OutputTokens: 1000}, Time: at})
	if !r.Priced || r.Cost != 0.0015 || r.Source != SourceOverride || r.PriceDataVersion != "override:"+path || r.PricingProvider != "openai" {
		t.Errorf("fine-tune override: %+v", r)
	}
	// Dated override: 1M input before 2026-06-01 costs $1, after it $0.50.
	r = p.Price(&Request{Model: "acme-llm-large", Usage: TokenUsage{InputTokens: 1e6}, Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if !r.Priced || r.Cost != 1 || r.PricingModel != `{"starts_with":"acme-llm"}` || r.PricingProvider != "custom" {
		t.Errorf("dated override (before): %+v", r)
	}
	r = p.Price(&Request{Model: "acme-llm-large", Usage: TokenUsage{InputTokens: 1e6}, Time: at})
	if r.Cost != 0.5 {
		t.Errorf("dated override (after): %+v", r)
	}
	// Overrides win over the bundled data.
	r = p.Price(&Request{Provider: "openai", Model: "gpt-4o", Usage: TokenUsage{InputTokens: 1e6}, Time: at})
	if r.Cost != 2 || r.Source != SourceOverride {
		t.Errorf("override beats data: %+v", r)
	}
}

func TestOverrideErrorsNameTheProblem(t *testing.T) {
	d, _ := Bundled()
	for doc, want := range map[string]string{
		`{}`: `top-level "models" list`,
		`models: [{ prices: { input_mtok: 1 } }]`:                                                             `exactly one of "model"`,
		`models: [{ model: x, prices: { input_tokens: 1 } }]`:                                                 `unknown price key "input_tokens"`,
		`models: [{ model: x, prices: { input_mtok: -1 } }]`:                                                  `prices.input_mtok must be a non-negative number`,
		`models: [{ match: { regex: "(" }, prices: { input_mtok: 1 } }]`:                                      `"match" must be one of`,
		`models: [{ model: x, prices: [{ constraint: { start_date: "2026" }, prices: { input_mtok: 1 } }] }]`: `start_date`,
	} {
		_, err := ParseOverrides(d, []byte(doc), "prices.yaml")
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "prices.yaml") {
			t.Errorf("%s: error %v, want it to mention %q", doc, err, want)
		}
	}
}

func TestNormalizeDates(t *testing.T) {
	for in, want := range map[string]string{
		"claude-3-5-sonnet-20241022": "claude-3-5-sonnet-2024-10-22",
		"x-20240230":                 "x-20240230", // not a date
		"x-20241022abc":              "x-20241022abc",
		"a-20240101-b-20240202:v1":   "a-2024-01-01-b-2024-02-02:v1",
		"gpt-4o":                     "gpt-4o",
	} {
		if got := normalizeDates(in); got != want {
			t.Errorf("normalizeDates(%q) = %q, want %q", in, got, want)
		}
	}
}
