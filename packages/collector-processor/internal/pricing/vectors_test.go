package pricing

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The shared test vectors, computed by genai-prices' reference implementation (Python calc_price) from
// the same release as the bundled data: the Go pricer must reproduce every case.
const vectorsPath = "../../../pricing/test-vectors/pricing-vectors.json"

// costTolerance: the reference computes in decimal arithmetic, this package in float64.
const costTolerance = 1e-10

type vectorCase struct {
	Name  string `json:"name"`
	Input struct {
		Provider string             `json:"provider"`
		Model    string             `json:"model"`
		Usage    map[string]float64 `json:"usage"`
		Time     string             `json:"time"`
		Context  map[string]string  `json:"context"`
	} `json:"input"`
	Expected struct {
		Priced          bool    `json:"priced"`
		Cost            float64 `json:"cost"`
		InputCost       float64 `json:"input_cost"`
		OutputCost      float64 `json:"output_cost"`
		CacheSavings    float64 `json:"cache_savings"`
		PricingProvider string  `json:"pricing_provider"`
		PricingModel    string  `json:"pricing_model"`
		Variant         string  `json:"variant"`
		Reason          string  `json:"reason"`
	} `json:"expected"`
}

type vectorFile struct {
	Source  string       `json:"source"`
	Version string       `json:"version"`
	Cases   []vectorCase `json:"cases"`
}

// tokenUsage maps genai-prices usage keys onto a TokenUsage; ok is false for a key it does not know.
func tokenUsage(u map[string]float64) (TokenUsage, string) {
	var t TokenUsage
	fields := map[string]*float64{
		"input_tokens": &t.InputTokens, "output_tokens": &t.OutputTokens,
		"cache_read_tokens": &t.CacheReadTokens, "cache_write_tokens": &t.CacheWriteTokens,
		"cache_write_1h_tokens": &t.CacheWrite1hTokens, "output_reasoning_tokens": &t.ReasoningTokens,
		"input_audio_tokens": &t.InputAudioTokens, "input_image_tokens": &t.InputImageTokens,
		"input_video_tokens": &t.InputVideoTokens, "cache_audio_read_tokens": &t.CacheReadAudioTokens,
		"output_audio_tokens": &t.OutputAudioTokens, "output_image_tokens": &t.OutputImageTokens,
	}
	for k, v := range u {
		f, ok := fields[k]
		if !ok {
			return t, k
		}
		*f = v
	}
	return t, ""
}

func TestSharedVectors(t *testing.T) { checkVectors(t, vectorsPath) }

// TestDifferential checks the full differential (every model x usage shapes x dates x contexts) that
// `node packages/pricing/scripts/data.mjs --differential` has genai-prices' reference compute; scripts/test.sh
// names it in LLMCOST_DIFFERENTIAL.
func TestDifferential(t *testing.T) {
	path := os.Getenv("LLMCOST_DIFFERENTIAL")
	if path == "" {
		t.Skip("LLMCOST_DIFFERENTIAL is not set (scripts/test.sh sets it after computing the differential)")
	}
	checkVectors(t, path)
}

func checkVectors(t *testing.T, path string) {
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	var vf vectorFile
	if err := json.Unmarshal(raw, &vf); err != nil {
		t.Fatal(err)
	}
	d, err := Bundled()
	if err != nil {
		t.Fatal(err)
	}
	if vf.Version != d.Version {
		t.Fatalf("%s: vectors are for version %q (source %q) but the embedded data is %s; regenerate them from genai-prices' reference implementation",
			path, vf.Version, vf.Source, d.Version)
	}
	if len(vf.Cases) < 2000 {
		t.Fatalf("%s: only %d vector cases, want at least 2000", path, len(vf.Cases))
	}
	p := NewPricer(d, nil, "")
	failures := 0
	for _, c := range vf.Cases {
		if failures >= 50 {
			t.Fatalf("stopping after %d failures", failures)
		}
		tm, err := time.Parse(time.RFC3339Nano, c.Input.Time)
		if err != nil {
			t.Fatalf("%s: time: %v", c.Name, err)
		}
		usage, unknown := tokenUsage(c.Input.Usage)
		if unknown != "" {
			t.Fatalf("%s: usage key %q is not one this package reports", c.Name, unknown)
		}
		got := p.Price(&Request{Provider: c.Input.Provider, Model: c.Input.Model, Time: tm, Usage: usage, Context: c.Input.Context})
		e := c.Expected
		if got.Priced != e.Priced {
			failures++
			t.Errorf("%s: priced=%v (%s %s), want %v (%s)", c.Name, got.Priced, got.Reason, got.Message, e.Priced, e.Reason)
			continue
		}
		if !e.Priced {
			if got.Reason != e.Reason {
				failures++
				t.Errorf("%s: reason %s (%s), want %s", c.Name, got.Reason, got.Message, e.Reason)
			}
			continue
		}
		near := func(a, b float64) bool { return math.Abs(a-b) <= costTolerance*(1+1e-9) }
		if !near(got.Cost, e.Cost) || !near(got.InputCost, e.InputCost) || !near(got.OutputCost, e.OutputCost) ||
			!near(got.CacheSavings, e.CacheSavings) || got.PricingProvider != e.PricingProvider ||
			got.PricingModel != e.PricingModel || got.Variant != e.Variant {
			failures++
			t.Errorf("%s:\n got  cost=%v in=%v out=%v savings=%v %s/%s variant=%q\n want cost=%v in=%v out=%v savings=%v %s/%s variant=%q", c.Name,
				got.Cost, got.InputCost, got.OutputCost, got.CacheSavings, got.PricingProvider, got.PricingModel, got.Variant,
				e.Cost, e.InputCost, e.OutputCost, e.CacheSavings, e.PricingProvider, e.PricingModel, e.Variant)
		}
	}
	t.Logf("%d shared vector cases checked (%s)", len(vf.Cases), vf.Source)
}

// TestDataIsACopyOfPackagesPricing: the embedded data must be byte-for-byte packages/pricing/data.
func TestDataIsACopyOfPackagesPricing(t *testing.T) {
	src := filepath.Join("..", "..", "..", "pricing", "data")
	if _, err := os.Stat(src); err != nil {
		t.Skipf("%s not present: %v", src, err)
	}
	for _, name := range []string{"genai-prices.json", "units.json", "genai-prices.meta.json", "provider-aliases.json"} {
		want, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		got, err := os.ReadFile(filepath.Join("data", name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("internal/pricing/data/%s differs from packages/pricing/data/%s: copy it (cp ../../../pricing/data/%s data/)", name, name, name)
		}
	}
}

// TestBundledMatchesMeta: the embedded document is the release its meta file names, and passes the
// checks a live document must pass.
func TestBundledMatchesMeta(t *testing.T) {
	d, err := Bundled()
	if err != nil {
		t.Fatal(err)
	}
	meta, _ := BundledMeta()
	variants := 0
	for _, p := range d.Providers {
		for _, m := range p.Models {
			variants += len(m.PriceVariants)
		}
	}
	if len(d.Providers) != meta.Providers || d.Models != meta.Models || variants != meta.PriceVariants || d.Version != meta.Version {
		t.Errorf("data has %d providers, %d models, %d variants (%s); meta says %d, %d, %d (%s)",
			len(d.Providers), d.Models, variants, d.Version, meta.Providers, meta.Models, meta.PriceVariants, meta.Version)
	}
	if err := ValidateDocument(genaiPricesJSON); err != nil {
		t.Errorf("bundled document fails live validation: %v", err)
	}
	if _, err := ParseLive(genaiPricesJSON, "bundled", time.Now(), d); err != nil {
		t.Errorf("bundled document is not accepted as a live one: %v", err)
	}
}

// TestUsageKeysAreTheShared holds the usage vector to packages/pricing/data/token-usage-keys.json, the one
// list of usage keys a token usage reports (the TypeScript pricer and the vector builder read it).
func TestUsageKeysAreTheShared(t *testing.T) {
	raw, err := os.ReadFile("../../../pricing/data/token-usage-keys.json")
	if os.IsNotExist(err) {
		t.Skip("not in the repository checkout")
	}
	if err != nil {
		t.Fatal(err)
	}
	var shared struct {
		Keys []string `json:"keys"`
	}
	if err := json.Unmarshal(raw, &shared); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(shared.Keys) != fmt.Sprint(UsageKeys[:]) {
		t.Fatalf("UsageKeys %v differ from token-usage-keys.json %v", UsageKeys, shared.Keys)
	}
}
