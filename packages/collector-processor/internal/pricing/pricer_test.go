package pricing

import (
	"math"
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
		"unknown model": {Request{Provider: "openai", Model: "no-such-model-xyz", Usage: TokenUsage{InputTokens: 5}}, ReasonUnknownModel},
		"no model":      {Request{Provider: "openai", Usage: TokenUsage{InputTokens: 5}}, ReasonNoModel},
		"negative":      {Request{Provider: "openai", Model: "gpt-4o", Usage: TokenUsage{InputTokens: -5}}, ReasonInvalidUsage},
		"cache > input": {Request{Provider: "openai", Model: "gpt-4o", Usage: TokenUsage{InputTokens: 5, CacheReadTokens: 10}}, ReasonInvalidUsage},
		// Only parts that have their own price are checked against their totals (as genai-prices does).
		"reasoning > out":     {Request{Provider: "perplexity", Model: "sonar-deep-research", Usage: TokenUsage{OutputTokens: 5, ReasoningTokens: 10}}, ReasonInvalidUsage},
		"audio > input":       {Request{Provider: "openai", Model: "gpt-realtime", Usage: TokenUsage{InputTokens: 5, InputAudioTokens: 10}}, ReasonInvalidUsage},
		"cached audio > read": {Request{Provider: "openai", Model: "gpt-realtime", Usage: TokenUsage{InputTokens: 50, CacheReadTokens: 5, InputAudioTokens: 20, CacheReadAudioTokens: 10}}, ReasonInvalidUsage},
		"per audio hour":      {Request{Provider: "openai", Model: "whisper-1", Usage: TokenUsage{InputTokens: 5}}, ReasonUnsupportedUsage},
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

func TestReasoningAboveOutputWithoutAReasoningPrice(t *testing.T) {
	// gpt-4o has no reasoning price, so its reasoning tokens are output tokens whatever their count
	// (genai-prices checks a part against its total only where the part is priced): 5 * 10 / 1e6.
	r := pricer(t).Price(&Request{Provider: "openai", Model: "gpt-4o", Usage: TokenUsage{OutputTokens: 5, ReasoningTokens: 10}, Time: at})
	if !r.Priced || r.Cost != 0.00005 {
		t.Errorf("got %+v", r)
	}
}

func TestPriceVariants(t *testing.T) {
	p := pricer(t)
	u := TokenUsage{InputTokens: 1000, OutputTokens: 100}
	cases := []struct {
		name             string
		req              Request
		cost, in, out, s float64
		variant, prov    string
	}{
		// gpt-4o at priority (from 2026-10-12): $4.25/M input, $17/M output. 1000*4.25 + 100*17 = 4250 + 1700 µ$.
		{"priority", Request{Provider: "openai", Model: "gpt-4o", Usage: u, Context: map[string]string{"service_tier": "priority"}}, 0.00595, 0.00425, 0.0017, 0, "service_tier=priority", "openai"},
		// Standard: 1000*2.5 + 100*10 = 2500 + 1000 µ$. The default tier's variant sets no price: no variant.
		{"default", Request{Provider: "openai", Model: "gpt-4o", Usage: u, Context: map[string]string{"service_tier": "default"}}, 0.0035, 0.0025, 0.001, 0, "", "openai"},
		{"no context", Request{Provider: "openai", Model: "gpt-4o", Usage: u}, 0.0035, 0.0025, 0.001, 0, "", "openai"},
		// Values are matched exactly and case-sensitively.
		{"case-sensitive", Request{Provider: "openai", Model: "gpt-4o", Usage: u, Context: map[string]string{"service_tier": "Priority"}}, 0.0035, 0.0025, 0.001, 0, "", "openai"},
		// Batch (from 2026-10-14): $1.25/M input, $5/M output, cached input keeps $1.25/M.
		// 1000 in of which 400 cached: 600*1.25 + 400*1.25 = 1250; 100*5 = 500; no savings.
		{"batch", Request{Provider: "openai", Model: "gpt-4o", Usage: TokenUsage{InputTokens: 1000, CacheReadTokens: 400, OutputTokens: 100}, Context: map[string]string{"processing": "batch"}}, 0.00175, 0.00125, 0.0005, 0, "processing=batch", "openai"},
		// Priority and batch together: each price key from the first variant that sets it (priority
		// sets input, cached input and output, so batch changes nothing and is not named).
		{"priority+batch", Request{Provider: "openai", Model: "gpt-4o", Usage: u, Context: map[string]string{"service_tier": "priority", "processing": "batch"}}, 0.00595, 0.00425, 0.0017, 0, "service_tier=priority", "openai"},
		// Before the variant's start date, the standard price applies.
		{"priority before 2026-10-12", Request{Provider: "openai", Model: "gpt-4o", Usage: u, Context: map[string]string{"service_tier": "priority"}, Time: time.Date(2026, 10, 11, 23, 59, 59, 0, time.UTC)}, 0.0035, 0.0025, 0.001, 0, "", "openai"},
		// Azure prices gpt-4o through its fallback to OpenAI's models: the context is ignored there.
		{"fallback provider", Request{Provider: "azure", Model: "gpt-4o", Usage: u, Context: map[string]string{"service_tier": "priority"}}, 0.0035, 0.0025, 0.001, 0, "", "azure"},
		// Claude Sonnet 5.5: $2/M input, $0.10/M cache read, $10/M output. 10000 in of which 4000 read:
		// 6000*2 + 4000*0.1 = 12400; 1000*10 = 10000; savings 4000*(2-0.1) = 7600 µ$.
		{"sonnet 5.5 reads", Request{Provider: "anthropic", Model: "claude-sonnet-5-5", Usage: TokenUsage{InputTokens: 10000, CacheReadTokens: 4000, OutputTokens: 1000}}, 0.0224, 0.0124, 0.01, 0.0076, "", "anthropic"},
		// Its batch variant halves everything: 6000*1 + 4000*0.05 = 6200; 1000*5 = 5000; savings 4000*0.95 = 3800.
		{"sonnet 5.5 batch", Request{Provider: "anthropic", Model: "CLAUDE-SONNET-5-5-20261001", Usage: TokenUsage{InputTokens: 10000, CacheReadTokens: 4000, OutputTokens: 1000}, Context: map[string]string{"processing": "batch"}}, 0.0112, 0.0062, 0.005, 0.0038, "processing=batch", "anthropic"},
	}
	for _, c := range cases {
		if c.req.Time.IsZero() {
			c.req.Time = at
		}
		r := p.Price(&c.req)
		if !r.Priced || r.Cost != c.cost || r.InputCost != c.in || r.OutputCost != c.out || r.CacheSavings != c.s || r.Variant != c.variant || r.PricingProvider != c.prov {
			t.Errorf("%s: got %+v; want cost=%v in=%v out=%v savings=%v variant=%q provider=%s", c.name, r, c.cost, c.in, c.out, c.s, c.variant, c.prov)
		}
	}
}

func TestModalities(t *testing.T) {
	// gpt-4o-realtime-preview: text $5 in, $2.50 cached, $20 out; audio $40 in, $2.50 cached, $80 out (per M).
	// 10000 input = 2000 text + 2000 cached text + 5000 audio + 1000 cached audio; 2000 output of which 1500 audio.
	// input: 2000*5 + 2000*2.5 + 5000*40 + 1000*2.5 = 10000 + 5000 + 200000 + 2500 = 217500 µ$
	// output: 500*20 + 1500*80 = 130000 µ$; savings: (4000*5 + 6000*40) - 217500 = 42500 µ$
	r := pricer(t).Price(&Request{Provider: "openai", Model: "gpt-4o-realtime-preview", Time: at, Usage: TokenUsage{
		InputTokens: 10000, CacheReadTokens: 3000, InputAudioTokens: 6000, CacheReadAudioTokens: 1000,
		OutputTokens: 2000, OutputAudioTokens: 1500,
	}})
	if !r.Priced || r.Cost != 0.3475 || r.InputCost != 0.2175 || r.OutputCost != 0.13 || r.CacheSavings != 0.0425 {
		t.Errorf("got %+v", r)
	}
	// gemini-2.5-flash-image: $0.30/M in, $2.50/M text out, $30/M image out. 100 in, 1290 image + 10 text out.
	// 100*0.3 = 30; 10*2.5 + 1290*30 = 25 + 38700 µ$.
	r = pricer(t).Price(&Request{Provider: "gcp.gemini", Model: "gemini-2.5-flash-image", Time: at,
		Usage: TokenUsage{InputTokens: 100, OutputTokens: 1300, OutputImageTokens: 1290}})
	if !r.Priced || r.InputCost != 0.00003 || r.OutputCost != 0.038725 {
		t.Errorf("image output: %+v", r)
	}
	// A model without modality prices prices modality parts as text: gpt-4o, 1000 in of which 600 audio.
	r = pricer(t).Price(&Request{Provider: "openai", Model: "gpt-4o", Time: at, Usage: TokenUsage{InputTokens: 1000, InputAudioTokens: 600}})
	if !r.Priced || r.Cost != 0.0025 {
		t.Errorf("audio as text: %+v", r)
	}
}

func TestTimeOfDayPrices(t *testing.T) {
	// deepseek-chat is cheaper outside 00:30-16:30 UTC.
	p := pricer(t)
	day := p.Price(&Request{Provider: "deepseek", Model: "deepseek-chat", Usage: TokenUsage{InputTokens: 1e6}, Time: time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)})
	night := p.Price(&Request{Provider: "deepseek", Model: "deepseek-chat", Usage: TokenUsage{InputTokens: 1e6}, Time: time.Date(2026, 11, 20, 20, 0, 0, 0, time.UTC)})
	if !day.Priced || !night.Priced || day.Cost == night.Cost {
		t.Errorf("day %+v night %+v", day, night)
	}
	for v, want := range map[string]int64{
		"00:30:00+00:00": 1800e6, "00:30:00Z": 1800e6, "00:30:00": 1800e6, "01:30:00+01:00": 1800e6,
		"23:30:00-01:00": 1800e6, "00:00:00.5+00:00": 500e3, "16:30": 59400e6,
	} {
		if got, err := timeOfDay(v); err != nil || got != want {
			t.Errorf("timeOfDay(%q) = %v, %v; want %v", v, got, err, want)
		}
	}
	for _, bad := range []string{"24:00:00", "1:00:00", "00:00:00+25:00", "noon"} {
		if _, err := timeOfDay(bad); err == nil {
			t.Errorf("timeOfDay(%q) accepted", bad)
		}
	}
	c := &Constraint{StartTime: "22:00:00+00:00", EndTime: "02:00:00+00:00"}
	for h, want := range map[int]bool{21: false, 22: true, 23: true, 0: true, 1: true, 2: false} {
		if got := c.Active(time.Date(2026, 1, 1, h, 0, 0, 0, time.UTC)); got != want {
			t.Errorf("22-02 at %02d:00: %v", h, got)
		}
	}
	sd := &Constraint{StartDate: "2026-10-12"}
	// The request's UTC date decides, whatever its zone.
	if sd.Active(time.Date(2026, 10, 12, 1, 0, 0, 0, time.FixedZone("x", 3*3600))) || !sd.Active(time.Date(2026, 10, 11, 22, 0, 0, 0, time.FixedZone("y", -3*3600))) {
		t.Error("start date is not compared as a UTC date")
	}
}

func TestLiveDocumentValidation(t *testing.T) {
	base, _ := Bundled()
	good := string(genaiPricesJSON)
	for name, doc := range map[string]string{
		"not a list":        `{"providers": []}`,
		"empty list":        `[]`,
		"provider no id":    `[{"models": []}]`,
		"models not a list": `[{"id": "x", "models": {}}]`,
		"model no match":    `[{"id": "x", "models": [{"id": "m", "prices": {}}]}]`,
		"two clauses":       `[{"id": "x", "models": [{"id": "m", "match": {"equals": "a", "contains": "b"}, "prices": {}}]}]`,
		"bad regex":         `[{"id": "x", "models": [{"id": "m", "match": {"regex": "("}, "prices": {}}]}]`,
		"negative price":    `[{"id": "x", "models": [{"id": "m", "match": {"equals": "m"}, "prices": {"input_mtok": -1}}]}]`,
		"string price":      `[{"id": "x", "models": [{"id": "m", "match": {"equals": "m"}, "prices": {"input_mtok": "1"}}]}]`,
		"fractional tier":   `[{"id": "x", "models": [{"id": "m", "match": {"equals": "m"}, "prices": {"input_mtok": {"base": 1, "tiers": [{"start": 1.5, "price": 2}]}}}]}]`,
		"bad start_date":    `[{"id": "x", "models": [{"id": "m", "match": {"equals": "m"}, "prices": [{"constraint": {"start_date": "2026-13-01"}, "prices": {}}]}]}]`,
		"empty when":        `[{"id": "x", "models": [{"id": "m", "match": {"equals": "m"}, "prices": {}, "price_variants": [{"when": {}, "prices": {}}]}]}]`,
		"non-string when":   `[{"id": "x", "models": [{"id": "m", "match": {"equals": "m"}, "prices": {}, "price_variants": [{"when": {"a": 1}, "prices": {}}]}]}]`,
		"truncated":         good[:len(good)/2],
		"trailing data":     good + "[]",
	} {
		if err := ValidateDocument([]byte(doc)); err == nil {
			t.Errorf("%s: accepted", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
	// Well-formed but far smaller than the bundled data: rejected too.
	small := `[{"id": "x", "models": [{"id": "m", "match": {"equals": "m"}, "prices": {"input_mtok": 1}, "price_variants": [{"when": {"a": "b"}, "prices": {"input_mtok": 0.5}, "constraint": {"start_time": "01:00:00+00:00", "end_time": "02:00:00+00:00"}}]}]}]`
	if err := ValidateDocument([]byte(small)); err != nil {
		t.Errorf("small document: %v", err)
	}
	if _, err := ParseLive([]byte(small), "test", at, base); err == nil || !strings.Contains(err.Error(), "fewer than half") {
		t.Errorf("small document: %v", err)
	}
	d, err := ParseLive(genaiPricesJSON, "test", time.Date(2026, 12, 1, 16, 0, 0, 0, time.UTC), base)
	if err != nil || d.Version != "live@2026-12-01T16:00:00.000Z" || d.Models != base.Models {
		t.Fatalf("bundled document as live: %v %+v", err, d)
	}
	// Swapping the data in a running pricer: the memo of the old data is not used.
	p := NewPricer(base, nil, "")
	if r := p.Price(&Request{Provider: "openai", Model: "gpt-4o", Usage: TokenUsage{InputTokens: 1e6}, Time: at}); r.PriceDataVersion != "genai-prices@0.2.3" {
		t.Errorf("bundled: %+v", r)
	}
	p.SetData(d)
	if r := p.Price(&Request{Provider: "openai", Model: "gpt-4o", Usage: TokenUsage{InputTokens: 1e6}, Time: at}); r.PriceDataVersion != d.Version || r.Cost != 2.5 {
		t.Errorf("live: %+v", r)
	}
}

// The provider-reported cost (OpenRouter usage.cost) wins, as providerReportedCost does in the TS pricer.
func TestProviderReportedCostWins(t *testing.T) {
	p := pricer(t)
	// gpt-4o, 1000 in / 100 out would be 1000*2.5 + 100*10 = 3500 µ$; the provider says 0.0042.
	r := p.Price(&Request{Provider: "openrouter", Model: "openai/gpt-4o", Usage: TokenUsage{InputTokens: 1000, OutputTokens: 100},
		ProviderReportedCost: 0.0042, HasProviderReportedCost: true})
	if !r.Priced || r.Cost != 0.0042 || r.Source != SourceProviderReported || r.PriceDataVersion != SourceProviderReported {
		t.Errorf("known model: %+v", r)
	}
	// A model the data does not know is priced by the reported cost alone.
	r = p.Price(&Request{Provider: "openrouter", Model: "acme/unreleased-model", Usage: TokenUsage{InputTokens: 10},
		ProviderReportedCost: 0.00012345678912, HasProviderReportedCost: true})
	if !r.Priced || r.Cost != 0.0001234568 || r.Source != SourceProviderReported || r.PricingModel != "acme/unreleased-model" || r.PricingProvider != "openrouter" {
		t.Errorf("unknown model: %+v", r)
	}
	// Not a usable number: ignored.
	for _, bad := range []float64{-1, math.NaN(), math.Inf(1)} {
		r = p.Price(&Request{Provider: "openai", Model: "no-such-model-xyz", Usage: TokenUsage{InputTokens: 10},
			ProviderReportedCost: bad, HasProviderReportedCost: true})
		if r.Priced || r.Reason != ReasonUnknownModel {
			t.Errorf("reported %v: %+v", bad, r)
		}
	}
	// No model: still no_model (as in the TS pricer).
	if r = p.Price(&Request{Provider: "openrouter", ProviderReportedCost: 1, HasProviderReportedCost: true}); r.Reason != ReasonNoModel {
		t.Errorf("no model: %+v", r)
	}
}

// A caller's Memo gives what the pricer gives without it: with more models than it keeps, unknown
// models, and after the data is replaced (its lookups of the old data are not used).
func TestMemoPricesAsWithout(t *testing.T) {
	base, _ := Bundled()
	live, err := ParseLive(genaiPricesJSON, "test", time.Date(2026, 12, 1, 16, 0, 0, 0, time.UTC), base)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPricer(base, nil, "")
	reqs := []Request{
		{Provider: "openai", Model: "gpt-4o-2024-08-06"}, {Provider: "anthropic", Model: "claude-sonnet-4-20250514"},
		{Provider: "gcp.gemini", Model: "gemini-2.5-pro"}, {Provider: "openai", Model: "gpt-4o-mini"},
		{Provider: "openai", Model: "no-such-model"}, {Model: "gpt-4.1"}, {Provider: "openai", RequestModel: "o3"},
		{Provider: "openai", Model: "gpt-4o-mini", RequestModel: "gpt-4o"},
	}
	var m Memo
	for round := 0; round < 3; round++ {
		if round == 2 {
			p.SetData(live)
		}
		for i, r := range reqs {
			for _, req := range []Request{r, reqs[(i*5)%len(reqs)]} {
				req.Usage = TokenUsage{InputTokens: 1000, OutputTokens: 100}
				req.Time = at
				if got, want := p.PriceWith(&m, &req), p.Price(&req); got != want {
					t.Errorf("round %d %+v: with memo %+v, without %+v", round, req, got, want)
				}
			}
		}
	}
}

func TestUsageIndexes(t *testing.T) {
	if UsageKeys[usageCacheRead] != "cache_read_tokens" || UsageKeys[usageCacheReadAudio] != "cache_audio_read_tokens" {
		t.Errorf("usage indexes: %q %q", UsageKeys[usageCacheRead], UsageKeys[usageCacheReadAudio])
	}
	// TokenUsage.vector is Usage.vector of the same counts.
	tu := TokenUsage{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	u := Usage{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	if tu.vector() != u.vector() {
		t.Errorf("%v != %v", tu.vector(), u.vector())
	}
}
