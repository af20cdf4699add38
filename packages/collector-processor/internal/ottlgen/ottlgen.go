// Package ottlgen writes contrib `transform` processor statements (OTTL) that price LLM spans for
// a list of models, from the same genai-prices data as the llmcost processor: for users of a stock
// otelcol-contrib who cannot build a custom collector. Its limits are listed in Limits.
package ottlgen // import "github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor/internal/ottlgen"

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor/internal/pricing"
)

// Limits of the generated statements compared with the llmcost processor.
const Limits = `# Limits of these OTTL statements (the llmcost processor has none of them):
# - prices are frozen at generation time (dated price changes after it are not followed; regenerate);
# - standard prices only: no price variants (service tier, batch) and no modality (audio, image) prices;
# - only the listed models; the model is matched on gen_ai.response.model, else gen_ai.request.model,
#   without the provider (one price per model name) and without genai-prices' date-normalised retry;
# - only GenAI semconv token attributes (input includes cache reads/writes, output includes reasoning);
#   OpenInference, OpenLLMetry, Vercel AI SDK names and Anthropic-style exclusive input are not read;
# - no rounding to 1e-10 USD: sums carry float noise (e.g. 0.0030849999999999996 instead of 0.003085);
# - no unpriced marker, no cache savings, no own telemetry; malformed counts make the statement error
#   (error_mode: ignore skips it) instead of being counted.
`

// Spec names one model: "provider:model-id" (genai-prices ids), e.g. "openai:gpt-4o".
type Spec struct{ Provider, Model string }

// ParseSpec parses provider:model.
func ParseSpec(s string) (Spec, error) {
	p, m, ok := strings.Cut(s, ":")
	if !ok || p == "" || m == "" {
		return Spec{}, fmt.Errorf("model %q: write it as provider:model-id, e.g. openai:gpt-4o", s)
	}
	return Spec{p, m}, nil
}

// Generate returns the transform processor config (YAML) for the models at time at.
func Generate(d *pricing.Data, specs []Spec, at time.Time) (string, error) {
	var b strings.Builder
	b.WriteString(Limits)
	fmt.Fprintf(&b, "# Generated from %s for prices in force at %s.\n", d.Version, at.UTC().Format(time.RFC3339))
	b.WriteString("transform/llmcost:\n  error_mode: ignore\n  trace_statements:\n    - context: span\n      statements:\n")
	for _, s := range prelude {
		fmt.Fprintf(&b, "        - %s\n", yamlQuote(s))
	}
	for _, spec := range specs {
		stmts, err := modelStatements(d, spec, at)
		if err != nil {
			return "", err
		}
		for _, s := range stmts {
			fmt.Fprintf(&b, "        - %s\n", yamlQuote(s))
		}
	}
	for _, s := range epilogue(d.Version) {
		fmt.Fprintf(&b, "        - %s\n", yamlQuote(s))
	}
	return b.String(), nil
}

const gate = `span.cache["llm"] == true and span.cache["model_id"] == nil`

var prelude = []string{
	`set(span.cache["llm"], true) where span.attributes["gen_ai.usage.cost"] == nil and (span.attributes["gen_ai.usage.input_tokens"] != nil or span.attributes["gen_ai.usage.output_tokens"] != nil)`,
	`set(span.cache["model"], ToLowerCase(span.attributes["gen_ai.request.model"])) where span.cache["llm"] == true and span.attributes["gen_ai.request.model"] != nil`,
	`set(span.cache["model"], ToLowerCase(span.attributes["gen_ai.response.model"])) where span.cache["llm"] == true and span.attributes["gen_ai.response.model"] != nil`,
	`set(span.cache["in"], 0.0) where span.cache["llm"] == true`,
	`set(span.cache["in"], Double(span.attributes["gen_ai.usage.input_tokens"])) where span.cache["llm"] == true and span.attributes["gen_ai.usage.input_tokens"] != nil`,
	`set(span.cache["out"], 0.0) where span.cache["llm"] == true`,
	`set(span.cache["out"], Double(span.attributes["gen_ai.usage.output_tokens"])) where span.cache["llm"] == true and span.attributes["gen_ai.usage.output_tokens"] != nil`,
	`set(span.cache["read"], 0.0) where span.cache["llm"] == true`,
	`set(span.cache["read"], Double(span.attributes["gen_ai.usage.cache_read.input_tokens"])) where span.cache["llm"] == true and span.attributes["gen_ai.usage.cache_read.input_tokens"] != nil`,
	`set(span.cache["write"], 0.0) where span.cache["llm"] == true`,
	`set(span.cache["write"], Double(span.attributes["gen_ai.usage.cache_creation.input_tokens"])) where span.cache["llm"] == true and span.attributes["gen_ai.usage.cache_creation.input_tokens"] != nil`,
	`set(span.cache["w1h"], 0.0) where span.cache["llm"] == true`,
	`set(span.cache["w1h"], Double(span.attributes["llmcost.usage.cache_creation_1h.input_tokens"])) where span.cache["llm"] == true and span.attributes["llmcost.usage.cache_creation_1h.input_tokens"] != nil`,
	`set(span.cache["reason"], 0.0) where span.cache["llm"] == true`,
	`set(span.cache["reason"], Double(span.attributes["gen_ai.usage.reasoning.output_tokens"])) where span.cache["llm"] == true and span.attributes["gen_ai.usage.reasoning.output_tokens"] != nil`,
}

func epilogue(version string) []string {
	return []string{
		`set(span.attributes["llmcost.cost.input"], span.cache["input_cost"]) where span.cache["model_id"] != nil`,
		`set(span.attributes["llmcost.cost.output"], span.cache["output_cost"]) where span.cache["model_id"] != nil`,
		`set(span.attributes["gen_ai.usage.cost"], span.cache["input_cost"] + span.cache["output_cost"]) where span.cache["model_id"] != nil`,
		`set(span.attributes["llmcost.pricing.model"], span.cache["model_id"]) where span.cache["model_id"] != nil`,
		`set(span.attributes["llmcost.cost.source"], "pricing_data") where span.cache["model_id"] != nil`,
		fmt.Sprintf(`set(span.attributes["llmcost.price_data.version"], %q) where span.cache["model_id"] != nil`, version),
		`set(span.attributes["llmcost.priced_by"], "ottl") where span.cache["model_id"] != nil`,
	}
}

func modelStatements(d *pricing.Data, spec Spec, at time.Time) ([]string, error) {
	var model *pricing.Model
	for _, p := range d.Providers {
		if p.ID != spec.Provider {
			continue
		}
		for _, m := range p.Models {
			if m.ID == spec.Model {
				model = m
			}
		}
	}
	if model == nil {
		return nil, fmt.Errorf("model %s:%s is not in %s: use genai-prices provider and model ids (e.g. openai:gpt-4o)", spec.Provider, spec.Model, d.Version)
	}
	cond, err := matchCondition(model.Match)
	if err != nil {
		return nil, fmt.Errorf("model %s:%s: %w", spec.Provider, spec.Model, err)
	}
	mp := pricing.PricesAt(model.Prices, at)
	prices := map[string]pricing.PriceValue{}
	for _, it := range mp.Items {
		prices[it.Key] = it.Value
	}
	// Whole-request tiers: one region per tier start (input > start); the base below the first.
	starts := map[float64]bool{}
	for _, v := range prices {
		if v.Tiered != nil {
			for _, t := range v.Tiered.Tiers {
				starts[t.Start] = true
			}
		}
	}
	bounds := []float64{-1}
	for s := range starts {
		bounds = append(bounds, s)
	}
	sort.Float64s(bounds)
	var out []string
	for i, lo := range bounds {
		region := ""
		if lo >= 0 {
			region += fmt.Sprintf(` and span.cache["in"] > %s`, num(lo))
		}
		if i+1 < len(bounds) {
			region += fmt.Sprintf(` and span.cache["in"] <= %s`, num(bounds[i+1]))
		}
		at := func(key string) (float64, bool) {
			v, ok := prices[key]
			if !ok {
				return 0, false
			}
			if v.Tiered == nil {
				return v.Flat, true
			}
			p := v.Tiered.Base
			for _, t := range v.Tiered.Tiers {
				if lo >= 0 && t.Start <= lo {
					p = t.Price
				}
			}
			return p, true
		}
		in, _ := at("input_mtok")
		plainIn := `span.cache["in"]`
		var terms []string
		if r, ok := at("cache_read_mtok"); ok {
			plainIn += ` - span.cache["read"]`
			terms = append(terms, fmt.Sprintf(`span.cache["read"] * %s`, num(r)))
		}
		if w, ok := at("cache_write_mtok"); ok {
			plainIn += ` - span.cache["write"]`
			w5 := `span.cache["write"]`
			if w1, ok := at("cache_write_1h_mtok"); ok {
				w5 += ` - span.cache["w1h"]`
				terms = append(terms, fmt.Sprintf(`span.cache["w1h"] * %s`, num(w1)))
			}
			terms = append(terms, fmt.Sprintf(`(%s) * %s`, w5, num(w)))
		}
		terms = append([]string{fmt.Sprintf(`(%s) * %s`, plainIn, num(in))}, terms...)
		outPrice, _ := at("output_mtok")
		plainOut := `span.cache["out"]`
		outTerms := []string{}
		if r, ok := at("output_reasoning_mtok"); ok {
			plainOut += ` - span.cache["reason"]`
			outTerms = append(outTerms, fmt.Sprintf(`span.cache["reason"] * %s`, num(r)))
		}
		outTerms = append([]string{fmt.Sprintf(`(%s) * %s`, plainOut, num(outPrice))}, outTerms...)
		outExpr := fmt.Sprintf(`Double(%s) / 1000000.0`, strings.Join(outTerms, " + "))
		if r, ok := at("requests_kcount"); ok {
			outExpr += fmt.Sprintf(` + %s`, num(r/1000))
		}
		where := fmt.Sprintf(`%s and (%s)%s`, gate, cond, region)
		out = append(out,
			fmt.Sprintf(`set(span.cache["input_cost"], Double(%s) / 1000000.0) where %s`, strings.Join(terms, " + "), where),
			fmt.Sprintf(`set(span.cache["output_cost"], %s) where %s`, outExpr, where),
		)
	}
	// Marks the span priced last, so that the statements above see model_id == nil.
	out = append(out, fmt.Sprintf(`set(span.cache["model_id"], %q) where %s and span.cache["input_cost"] != nil`, model.ID, fmt.Sprintf(`%s and (%s)`, gate, cond)))
	return out, nil
}

// matchCondition translates genai-prices match logic to an OTTL condition on the lower-cased model.
func matchCondition(m *pricing.Match) (string, error) {
	q := func(s string) string { return strconv.Quote(strings.ToLower(s)) }
	re := func(s string) string { return strconv.Quote(s) }
	switch {
	case m.Or != nil || m.And != nil:
		list, op := m.Or, " or "
		if m.And != nil {
			list, op = m.And, " and "
		}
		var parts []string
		for i := range *list {
			c, err := matchCondition(&(*list)[i])
			if err != nil {
				return "", err
			}
			parts = append(parts, "("+c+")")
		}
		return strings.Join(parts, op), nil
	case m.Equals != nil:
		return `span.cache["model"] == ` + q(*m.Equals), nil
	case m.StartsWith != nil:
		return `IsMatch(span.cache["model"], ` + re("^"+regexp.QuoteMeta(strings.ToLower(*m.StartsWith))) + `)`, nil
	case m.EndsWith != nil:
		return `IsMatch(span.cache["model"], ` + re(regexp.QuoteMeta(strings.ToLower(*m.EndsWith))+"$") + `)`, nil
	case m.Contains != nil:
		return `IsMatch(span.cache["model"], ` + re(regexp.QuoteMeta(strings.ToLower(*m.Contains))) + `)`, nil
	case m.Regex != nil:
		return regexCondition(*m.Regex)
	}
	return "", fmt.Errorf("empty match logic")
}

// regexCondition translates a JS regex; a leading negative look-ahead ^(?!X)rest, which RE2 lacks,
// becomes not IsMatch("^X") and IsMatch("^rest").
func regexCondition(r string) (string, error) {
	isMatch := func(p string) (string, error) {
		if _, err := regexp.Compile(p); err != nil {
			return "", fmt.Errorf("regex %q has no RE2 (OTTL) equivalent: %w", r, err)
		}
		return `IsMatch(span.cache["model"], ` + strconv.Quote(p) + `)`, nil
	}
	if !strings.HasPrefix(r, "^(?!") {
		return isMatch(r)
	}
	depth, end := 0, -1
	for i := 1; i < len(r) && end < 0; i++ {
		switch r[i] {
		case '\\':
			i++
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				end = i
			}
		}
	}
	if end < 0 {
		return "", fmt.Errorf("regex %q: unbalanced look-ahead", r)
	}
	neg, err := isMatch("^" + r[len("^(?!"):end])
	if err != nil {
		return "", err
	}
	cond := "not " + neg
	if rest := r[end+1:]; rest != "" {
		pos, err := isMatch("^" + rest)
		if err != nil {
			return "", err
		}
		cond += " and " + pos
	}
	return cond, nil
}

func num(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

func yamlQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
