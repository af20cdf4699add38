package pricing

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Override is one validated user price (packages/pricing/src/overrides.ts):
//
//	models:
//	  - model: ft:gpt-4o-mini:acme::a1b2          # exact name (case-insensitive), or
//	    match: { starts_with: "ft:gpt-4o-mini" }  # genai-prices match logic
//	    provider: openai                          # optional: only for this provider
//	    prices: { input_mtok: 0.3, output_mtok: 1.2 }   # or [{ constraint: { start_date }, prices }]
type Override struct {
	ID         string
	Match      *Match
	ProviderID string
	Prices     *Prices
}

// LoadOverridesFile reads a YAML or JSON overrides file; errors name the file, entry and field.
func LoadOverridesFile(d *Data, path string) ([]*Override, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("price overrides file %s cannot be read: %w", path, err)
	}
	return ParseOverrides(d, text, path)
}

// ParseOverrides validates an overrides document (YAML, or JSON which YAML reads too).
func ParseOverrides(d *Data, text []byte, origin string) ([]*Override, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(text, &root); err != nil {
		return nil, fmt.Errorf("%s: not valid YAML/JSON: %w", origin, err)
	}
	doc := &root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		doc = doc.Content[0]
	}
	models := mapGet(doc, "models")
	if doc.Kind != yaml.MappingNode || models == nil || models.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf(`%s: expected a top-level "models" list, e.g. models: [{ model: ..., prices: {...} }]`, origin)
	}
	out := make([]*Override, 0, len(models.Content))
	for i, entry := range models.Content {
		o, err := compileOverride(d, entry, fmt.Sprintf("%s: models[%d]", origin, i))
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

func compileOverride(d *Data, entry *yaml.Node, where string) (*Override, error) {
	if entry.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: each entry must be an object", where)
	}
	model, match, provider, prices := mapGet(entry, "model"), mapGet(entry, "match"), mapGet(entry, "provider"), mapGet(entry, "prices")
	if model != nil && model.Kind == yaml.ScalarNode {
		where = fmt.Sprintf("%s (model %q)", where, model.Value)
	}
	if (model == nil) == (match == nil) {
		return nil, fmt.Errorf(`%s: give exactly one of "model" (exact name) or "match" (match logic)`, where)
	}
	o := &Override{}
	if model != nil {
		if model.Kind != yaml.ScalarNode || model.Tag != "!!str" || strings.TrimSpace(model.Value) == "" {
			return nil, fmt.Errorf(`%s: "model" must be a non-empty string`, where)
		}
		eq := strings.TrimSpace(model.Value)
		o.ID, o.Match = model.Value, &Match{Equals: &eq}
	} else {
		if !validMatch(match) {
			return nil, fmt.Errorf(`%s: "match" must be one of {equals|starts_with|ends_with|contains|regex: "..."} or {and|or: [...]}`, where)
		}
		js := nodeJSON(match)
		o.ID, o.Match = js, &Match{}
		if err := json.Unmarshal([]byte(js), o.Match); err != nil {
			return nil, fmt.Errorf("%s: match: %w", where, err)
		}
	}
	if provider != nil {
		if provider.Kind != yaml.ScalarNode || provider.Tag != "!!str" || provider.Value == "" {
			return nil, fmt.Errorf(`%s: "provider" must be a string such as "openai"`, where)
		}
		o.ProviderID = d.ResolveProviderID(provider.Value)
		if o.ProviderID == "" {
			o.ProviderID = strings.ToLower(provider.Value)
		}
	}
	if prices == nil {
		return nil, fmt.Errorf("%s: prices must be an object such as { input_mtok: 2.5, output_mtok: 10 }", where)
	}
	if prices.Kind == yaml.SequenceNode {
		if len(prices.Content) == 0 {
			return nil, fmt.Errorf("%s: prices list is empty", where)
		}
		for j, p := range prices.Content {
			if p.Kind != yaml.MappingNode {
				return nil, fmt.Errorf("%s: prices[%d] must be { constraint?, prices }", where, j)
			}
			if c := mapGet(p, "constraint"); c != nil {
				sd := mapGet(c, "start_date")
				if c.Kind != yaml.MappingNode || sd == nil || !isDate(sd.Value) {
					return nil, fmt.Errorf(`%s: prices[%d].constraint must be { start_date: "YYYY-MM-DD" }`, where, j)
				}
			}
			if err := checkPrices(d, mapGet(p, "prices"), fmt.Sprintf("%s: prices[%d]", where, j)); err != nil {
				return nil, err
			}
		}
	} else if err := checkPrices(d, prices, where); err != nil {
		return nil, err
	}
	o.Prices = &Prices{}
	if err := json.Unmarshal([]byte(nodeJSON(prices)), o.Prices); err != nil {
		return nil, fmt.Errorf("%s: prices: %w", where, err)
	}
	return o, nil
}

func isDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i, c := range s {
		if i != 4 && i != 7 && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

var matchKeys = map[string]bool{"equals": true, "starts_with": true, "ends_with": true, "contains": true, "regex": true, "and": true, "or": true}

func validMatch(m *yaml.Node) bool {
	if m == nil || m.Kind != yaml.MappingNode || len(m.Content) != 2 || !matchKeys[m.Content[0].Value] {
		return false
	}
	k, v := m.Content[0].Value, m.Content[1]
	if k == "and" || k == "or" {
		if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
			return false
		}
		for _, c := range v.Content {
			if !validMatch(c) {
				return false
			}
		}
		return true
	}
	if v.Kind != yaml.ScalarNode || v.Tag != "!!str" || v.Value == "" {
		return false
	}
	if k == "regex" {
		if _, err := compileRegex(v.Value); err != nil {
			return false
		}
	}
	return true
}

func checkPrices(d *Data, prices *yaml.Node, where string) error {
	if prices == nil || prices.Kind != yaml.MappingNode || len(prices.Content) == 0 {
		return fmt.Errorf("%s: prices must be an object such as { input_mtok: 2.5, output_mtok: 10 }", where)
	}
	for i := 0; i+1 < len(prices.Content); i += 2 {
		key, v := prices.Content[i].Value, prices.Content[i+1]
		if d.Units.byPrice[key] == nil {
			return fmt.Errorf(`%s: unknown price key "%s" (known keys include input_mtok, output_mtok, cache_read_mtok, cache_write_mtok, cache_write_1h_mtok, output_reasoning_mtok, ...)`, where, key)
		}
		ok := false
		if f, isNum := number(v); isNum {
			ok = f >= 0 && !math.IsInf(f, 0)
		} else if v.Kind == yaml.MappingNode {
			base, bok := number(mapGet(v, "base"))
			tiers := mapGet(v, "tiers")
			ok = bok && base >= 0 && tiers != nil && tiers.Kind == yaml.SequenceNode
			if ok {
				for _, t := range tiers.Content {
					s, sok := number(mapGet(t, "start"))
					_, pok := number(mapGet(t, "price"))
					if !sok || !pok || s < 0 || s != math.Trunc(s) || s > 9007199254740991 {
						ok = false
					}
				}
			}
		}
		if !ok {
			return fmt.Errorf("%s: prices.%s must be a non-negative number of USD (per million tokens for *_mtok) or { base, tiers: [{ start, price }] }, got %s",
				where, key, nodeJSON(v))
		}
	}
	return nil
}

func number(n *yaml.Node) (float64, bool) {
	if n == nil || n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
		return 0, false
	}
	f, err := strconv.ParseFloat(n.Value, 64)
	return f, err == nil && !math.IsNaN(f)
}

func mapGet(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// nodeJSON writes a YAML node as compact JSON, keeping key order (JSON.stringify of the document).
func nodeJSON(n *yaml.Node) string {
	var b bytes.Buffer
	writeJSON(&b, n)
	return b.String()
}

func writeJSON(b *bytes.Buffer, n *yaml.Node) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) > 0 {
			writeJSON(b, n.Content[0])
		}
	case yaml.AliasNode:
		writeJSON(b, n.Alias)
	case yaml.MappingNode:
		b.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, n.Content[i].Value)
			b.WriteByte(':')
			writeJSON(b, n.Content[i+1])
		}
		b.WriteByte('}')
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, c)
		}
		b.WriteByte(']')
	default:
		switch n.Tag {
		case "!!int", "!!float":
			if f, err := strconv.ParseFloat(n.Value, 64); err == nil {
				b.WriteString(strconv.FormatFloat(f, 'g', -1, 64))
				return
			}
		case "!!bool":
			b.WriteString(n.Value)
			return
		case "!!null":
			b.WriteString("null")
			return
		}
		writeString(b, n.Value)
	}
}

func writeString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	b.Truncate(b.Len() - 1) // Encode appends a newline
}
