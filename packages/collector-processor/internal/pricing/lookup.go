package pricing

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// findProviderByID is genai-prices `find_provider_by_id`: a provider whose id equals the lowercased,
// trimmed name, else the first whose provider_match matches it.
func (d *Data) findProviderByID(id string) *Provider {
	a := strings.ToLower(strings.TrimSpace(id))
	for _, p := range d.Providers {
		if p.ID == a {
			return p
		}
	}
	for _, p := range d.Providers {
		if p.ProviderMatch != nil && p.ProviderMatch.Matches(a) {
			return p
		}
	}
	return nil
}

// findProvider is genai-prices `DataSnapshot.find_provider` without the API-URL lookup: by id when one
// is given (litellm falls through to the model), else the first provider whose model_match matches.
func (d *Data) findProvider(modelRef, providerID string) *Provider {
	if providerID != "" {
		p := d.findProviderByID(providerID)
		if p != nil || strings.ToLower(providerID) != "litellm" {
			return p
		}
	}
	if modelRef != "" {
		for _, p := range d.Providers {
			if p.ModelMatch != nil && p.ModelMatch.Matches(modelRef) {
				return p
			}
		}
	}
	return nil
}

func (d *Data) providerByExactID(id string) *Provider {
	for _, p := range d.Providers {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// ResolveProviderID maps an OpenTelemetry gen_ai.provider.name (or gen_ai.system, or a
// genai-prices id) to a genai-prices provider id; "" when unknown.
func (d *Data) ResolveProviderID(name string) string {
	if name == "" {
		return ""
	}
	key := strings.ToLower(strings.TrimSpace(name))
	if a, ok := d.Aliases[key]; ok && a != "" {
		if d.providerByExactID(a) != nil {
			return a
		}
	}
	if p := d.findProvider("", key); p != nil {
		return p.ID
	}
	return ""
}

// matchModel is genai-prices `Provider._match_model`: the provider's own models in order, then (one
// step only) the models of its fallback_model_providers. own is false for a fallback provider's model.
func (d *Data) matchModel(p *Provider, ref string) (m *Model, own bool) {
	for _, m := range p.Models {
		if m.Match != nil && m.Match.Matches(ref) {
			return m, true
		}
	}
	for _, id := range p.FallbackModelProviders {
		if fp := d.providerByExactID(id); fp != nil {
			for _, m := range fp.Models {
				if m.Match != nil && m.Match.Matches(ref) {
					return m, false
				}
			}
		}
	}
	return nil, false
}

// findModel is genai-prices `Provider.find_model`: the lowercased ref as it is, then with compact
// dates (-20251211) rewritten to dashed ones (-2025-12-11).
func (d *Data) findModel(p *Provider, ref string) (*Model, bool) {
	ref = strings.ToLower(ref)
	if m, own := d.matchModel(p, ref); m != nil {
		return m, own
	}
	if n := normalizeDates(ref); n != ref {
		return d.matchModel(p, n)
	}
	return nil, false
}

// lookup is genai-prices `DataSnapshot.find_provider_model`. own reports whether the model is one of
// the found provider's own models (price variants apply only then, as in ModelInfo.calc_price).
func (d *Data) lookup(model, providerID string) (prov *Provider, m *Model, own bool) {
	ref := strings.ToLower(model)
	if providerID != "" && strings.ToLower(providerID) == "litellm" && strings.Contains(ref, "/") {
		actual, rest, _ := strings.Cut(ref, "/")
		if actual != "" && d.findProviderByID(actual) != nil {
			providerID, ref = actual, rest
		}
	}
	prov = d.findProvider(ref, providerID)
	if prov == nil {
		return nil, nil, false
	}
	m, own = d.findModel(prov, ref)
	return prov, m, own
}

var compactDate = regexp.MustCompile(`-(20\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])`)

// normalizeDates rewrites -YYYYMMDD (followed by -, : or the end, and a real date) to -YYYY-MM-DD,
// as genai-prices `_normalize_compact_dated_ref` (whose regex uses a look-ahead, checked here by hand).
func normalizeDates(s string) string {
	var b strings.Builder
	last := 0
	pos := 0
	for pos < len(s) {
		loc := compactDate.FindStringSubmatchIndex(s[pos:])
		if loc == nil {
			break
		}
		start, end := pos+loc[0], pos+loc[1]
		if end < len(s) && s[end] != '-' && s[end] != ':' {
			pos = start + 1 // the look-ahead failed here; the regex engine retries at the next index
			continue
		}
		y, _ := strconv.Atoi(s[pos+loc[2] : pos+loc[3]])
		mo, _ := strconv.Atoi(s[pos+loc[4] : pos+loc[5]])
		da, _ := strconv.Atoi(s[pos+loc[6] : pos+loc[7]])
		t := time.Date(y, time.Month(mo), da, 0, 0, 0, 0, time.UTC)
		b.WriteString(s[last:start])
		if t.Year() != y || int(t.Month()) != mo || t.Day() != da {
			b.WriteString(s[start:end])
		} else {
			fmt.Fprintf(&b, "-%04d-%02d-%02d", y, mo, da)
		}
		last, pos = end, end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}
