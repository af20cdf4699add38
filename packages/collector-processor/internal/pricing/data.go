// Package pricing turns (provider, model, token usage, time, price context) into USD from the
// genai-prices data bundled with the module (or a live genai-prices document fetched while running),
// plus user overrides. Its semantics are those of genai-prices' reference implementation (the Python
// package: Provider.find_model, ModelInfo.get_prices, ModelPrice.calc_price), checked against the
// shared test vectors in packages/pricing/test-vectors, which that implementation computed.
package pricing // import "github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor/internal/pricing"

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"
)

// The data files are copies of packages/pricing/data (written by packages/pricing/scripts/reference/
// build_data.py from the genai-prices release); do not edit them. A test checks they are identical.
var (
	// genai-prices' price data as its auto-updater fetches it: a JSON list of providers.
	//go:embed data/genai-prices.json
	genaiPricesJSON []byte
	// genai-prices' unit table: usage key -> price key, per, dimensions.
	//go:embed data/units.json
	unitsJSON []byte
	// Which release the data is (version, sha256, provider and model counts).
	//go:embed data/genai-prices.meta.json
	metaJSON []byte
	//go:embed data/provider-aliases.json
	providerAliasesJSON []byte
)

// Provider is a genai-prices provider.
type Provider struct {
	ID                     string   `json:"id"`
	Name                   string   `json:"name"`
	ModelMatch             *Match   `json:"model_match"`
	ProviderMatch          *Match   `json:"provider_match"`
	FallbackModelProviders []string `json:"fallback_model_providers"`
	Models                 []*Model `json:"models"`
}

// Model is a genai-prices model with its (possibly dated or time-of-day) prices and its price
// variants (partial prices selected by the request's price context).
type Model struct {
	ID            string          `json:"id"`
	Name          string          `json:"name"`
	Match         *Match          `json:"match"`
	Prices        *Prices         `json:"prices"`
	PriceVariants []*PriceVariant `json:"price_variants"`
}

// Meta describes the bundled data (data/genai-prices.meta.json).
type Meta struct {
	Source        string `json:"source"`  // genai-prices==0.2.3 (PyPI)
	Version       string `json:"version"` // genai-prices@0.2.3
	SHA256        string `json:"sha256"`
	Providers     int    `json:"providers"`
	Models        int    `json:"models"`
	PriceVariants int    `json:"price_variants"`
}

// Data is one parsed price data document: the bundled release, or a live document.
type Data struct {
	Source    string // e.g. "genai-prices==0.2.3 (PyPI)", or the URL of a live document
	Version   string // "genai-prices@0.2.3", or "live@2026-12-01T16:00:00.000Z" for a live document
	Providers []*Provider
	Models    int // number of models over all providers
	Units     *Lattice
	Aliases   map[string]string
}

var (
	bundledOnce sync.Once
	bundled     *Data
	bundledMeta Meta
	bundledErr  error
)

// Bundled returns the embedded genai-prices data (parsed once).
func Bundled() (*Data, error) {
	bundledOnce.Do(func() { bundled, bundledErr = parseBundled() })
	return bundled, bundledErr
}

// BundledMeta returns the description of the embedded data.
func BundledMeta() (Meta, error) {
	_, err := Bundled()
	return bundledMeta, err
}

func parseBundled() (*Data, error) {
	const regen = "(copy packages/pricing/data/ into internal/pricing/data/)"
	if err := json.Unmarshal(metaJSON, &bundledMeta); err != nil {
		return nil, fmt.Errorf("embedded genai-prices.meta.json does not parse %s: %w", regen, err)
	}
	var rawUnits struct {
		Units map[string]json.RawMessage `json:"units"`
	}
	if err := json.Unmarshal(unitsJSON, &rawUnits); err != nil {
		return nil, fmt.Errorf("embedded units.json does not parse %s: %w", regen, err)
	}
	units, err := newLattice(rawUnits.Units)
	if err != nil {
		return nil, err
	}
	var al struct {
		Aliases map[string]string `json:"aliases"`
	}
	if err := json.Unmarshal(providerAliasesJSON, &al); err != nil {
		return nil, fmt.Errorf("embedded provider-aliases.json does not parse: %w", err)
	}
	var providers []*Provider
	if err := json.Unmarshal(genaiPricesJSON, &providers); err != nil {
		return nil, fmt.Errorf("embedded genai-prices.json does not parse %s: %w", regen, err)
	}
	return newData(bundledMeta.Source, bundledMeta.Version, providers, units, al.Aliases), nil
}

func newData(source, version string, providers []*Provider, units *Lattice, aliases map[string]string) *Data {
	d := &Data{Source: source, Version: version, Providers: providers, Units: units, Aliases: aliases}
	for _, p := range providers {
		d.Models += len(p.Models)
	}
	return d
}
