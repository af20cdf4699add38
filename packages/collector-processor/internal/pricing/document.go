package pricing

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"
)

// FormatFetchedAt writes a fetch time as RFC 3339 UTC with milliseconds (2026-12-01T16:00:00.000Z),
// the form used in live data versions and in the disk cache.
func FormatFetchedAt(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// LiveVersion is the price data version of a live document fetched at t: live@<fetched_at>.
func LiveVersion(t time.Time) string { return "live@" + FormatFetchedAt(t) }

// ParseLive validates a live genai-prices document (the JSON list of providers that genai-prices'
// auto-updater fetches) and parses it. The document is rejected whole when any part of it is
// invalid, or when it has fewer than half the providers or fewer than half the models of base (the
// bundled data): a truncated or emptied upstream file must not replace good prices. Units and
// provider aliases come from base.
func ParseLive(doc []byte, source string, fetchedAt time.Time, base *Data) (*Data, error) {
	if err := ValidateDocument(doc); err != nil {
		return nil, err
	}
	var providers []*Provider
	if err := json.Unmarshal(doc, &providers); err != nil {
		return nil, fmt.Errorf("document does not parse: %w", err)
	}
	d := newData(source, LiveVersion(fetchedAt), providers, base.Units, base.Aliases)
	if 2*len(d.Providers) < len(base.Providers) {
		return nil, fmt.Errorf("document has %d providers, fewer than half of the %d in %s", len(d.Providers), len(base.Providers), base.Version)
	}
	if 2*d.Models < base.Models {
		return nil, fmt.Errorf("document has %d models, fewer than half of the %d in %s", d.Models, base.Models, base.Version)
	}
	return d, nil
}

// ValidateDocument checks the shape of a genai-prices document: a JSON list of providers, each with a
// string id and a list of models; each model with a string id, a valid match clause, valid prices
// (numbers finite and >= 0; tiers with integer starts >= 0; dated or time-of-day constraints that
// parse) and valid price variants (a non-empty when of strings, partial prices). The error names the
// first problem by its path, e.g. `[3].models[12].prices.input_mtok`.
func ValidateDocument(doc []byte) error {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var root any
	if err := dec.Decode(&root); err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	if dec.More() {
		return errors.New("not one JSON value: trailing data after the list of providers")
	}
	providers, ok := root.([]any)
	if !ok {
		return fmt.Errorf("not a genai-prices document: want a JSON list of providers, got %s", kind(root))
	}
	if len(providers) == 0 {
		return errors.New("the list of providers is empty")
	}
	ids := map[string]bool{}
	for i, raw := range providers {
		where := fmt.Sprintf("[%d]", i)
		p, ok := raw.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: a provider must be an object, got %s", where, kind(raw))
		}
		id, ok := p["id"].(string)
		if !ok || id == "" {
			return fmt.Errorf("%s.id: must be a non-empty string", where)
		}
		where = fmt.Sprintf("[%d] (provider %q)", i, id)
		if ids[id] {
			return fmt.Errorf("%s: provider id given twice", where)
		}
		ids[id] = true
		for _, k := range []string{"model_match", "provider_match"} {
			if v, present := p[k]; present && v != nil {
				if err := checkMatch(v, where+"."+k); err != nil {
					return err
				}
			}
		}
		if v, present := p["fallback_model_providers"]; present && v != nil {
			list, ok := v.([]any)
			if !ok {
				return fmt.Errorf("%s.fallback_model_providers: must be a list of provider ids", where)
			}
			for j, f := range list {
				if _, ok := f.(string); !ok {
					return fmt.Errorf("%s.fallback_model_providers[%d]: must be a string", where, j)
				}
			}
		}
		models, ok := p["models"].([]any)
		if !ok {
			return fmt.Errorf("%s.models: must be a list of models, got %s", where, kind(p["models"]))
		}
		for j, rm := range models {
			if err := checkModel(rm, fmt.Sprintf("%s.models[%d]", where, j)); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkModel(raw any, where string) error {
	m, ok := raw.(map[string]any)
	if !ok {
		return fmt.Errorf("%s: a model must be an object, got %s", where, kind(raw))
	}
	id, ok := m["id"].(string)
	if !ok || id == "" {
		return fmt.Errorf("%s.id: must be a non-empty string", where)
	}
	where = fmt.Sprintf("%s (model %q)", where, id)
	if err := checkMatch(m["match"], where+".match"); err != nil {
		return err
	}
	switch prices := m["prices"].(type) {
	case nil:
		// genai-prices' default: no prices
	case map[string]any:
		if err := checkModelPrice(prices, where+".prices"); err != nil {
			return err
		}
	case []any:
		for k, rc := range prices {
			w := fmt.Sprintf("%s.prices[%d]", where, k)
			c, ok := rc.(map[string]any)
			if !ok {
				return fmt.Errorf("%s: must be { constraint?, prices }, got %s", w, kind(rc))
			}
			if err := checkConstraint(c["constraint"], w+".constraint"); err != nil {
				return err
			}
			mp, ok := c["prices"].(map[string]any)
			if !ok {
				return fmt.Errorf("%s.prices: must be an object of prices, got %s", w, kind(c["prices"]))
			}
			if err := checkModelPrice(mp, w+".prices"); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("%s.prices: must be an object of prices or a list of { constraint?, prices }, got %s", where, kind(prices))
	}
	if v, present := m["price_variants"]; present && v != nil {
		list, ok := v.([]any)
		if !ok {
			return fmt.Errorf("%s.price_variants: must be a list, got %s", where, kind(v))
		}
		for k, rv := range list {
			w := fmt.Sprintf("%s.price_variants[%d]", where, k)
			pv, ok := rv.(map[string]any)
			if !ok {
				return fmt.Errorf("%s: must be { when, prices, constraint? }, got %s", w, kind(rv))
			}
			when, ok := pv["when"].(map[string]any)
			if !ok || len(when) == 0 {
				return fmt.Errorf("%s.when: must be a non-empty object of strings such as {\"service_tier\": \"priority\"}", w)
			}
			for key, val := range when {
				if _, ok := val.(string); !ok {
					return fmt.Errorf("%s.when.%s: must be a string, got %s", w, key, kind(val))
				}
			}
			mp, ok := pv["prices"].(map[string]any)
			if !ok {
				return fmt.Errorf("%s.prices: must be an object of prices, got %s", w, kind(pv["prices"]))
			}
			if err := checkModelPrice(mp, w+".prices"); err != nil {
				return err
			}
			if err := checkConstraint(pv["constraint"], w+".constraint"); err != nil {
				return err
			}
		}
	}
	return nil
}

var clauseKeys = []string{"equals", "starts_with", "ends_with", "contains", "regex", "and", "or"}

// checkMatch validates genai-prices match logic: an object with exactly one clause.
func checkMatch(raw any, where string) error {
	m, ok := raw.(map[string]any)
	if !ok {
		return fmt.Errorf("%s: must be a match clause such as {\"equals\": \"gpt-4o\"}, got %s", where, kind(raw))
	}
	found := ""
	for _, k := range clauseKeys {
		if _, ok := m[k]; ok {
			if found != "" {
				return fmt.Errorf("%s: has both %q and %q; a clause has exactly one", where, found, k)
			}
			found = k
		}
	}
	switch found {
	case "":
		return fmt.Errorf("%s: must have one of equals, starts_with, ends_with, contains, regex, and, or", where)
	case "and", "or":
		list, ok := m[found].([]any)
		if !ok {
			return fmt.Errorf("%s.%s: must be a list of clauses", where, found)
		}
		for i, c := range list {
			if err := checkMatch(c, fmt.Sprintf("%s.%s[%d]", where, found, i)); err != nil {
				return err
			}
		}
	default:
		s, ok := m[found].(string)
		if !ok {
			return fmt.Errorf("%s.%s: must be a string, got %s", where, found, kind(m[found]))
		}
		if found == "regex" {
			if _, err := compileRegex(s); err != nil {
				return fmt.Errorf("%s.regex: %q does not compile: %v", where, s, err)
			}
		}
	}
	return nil
}

func checkModelPrice(mp map[string]any, where string) error {
	for key, v := range mp {
		w := where + "." + key
		switch val := v.(type) {
		case nil:
		case json.Number:
			if err := checkNumber(val, w); err != nil {
				return err
			}
		case map[string]any:
			base, ok := val["base"].(json.Number)
			if !ok {
				return fmt.Errorf("%s.base: must be a number", w)
			}
			if err := checkNumber(base, w+".base"); err != nil {
				return err
			}
			tiers, ok := val["tiers"].([]any)
			if !ok {
				return fmt.Errorf("%s.tiers: must be a list of { start, price }", w)
			}
			for i, rt := range tiers {
				tw := fmt.Sprintf("%s.tiers[%d]", w, i)
				t, ok := rt.(map[string]any)
				if !ok {
					return fmt.Errorf("%s: must be { start, price }", tw)
				}
				start, ok := t["start"].(json.Number)
				if !ok {
					return fmt.Errorf("%s.start: must be an integer", tw)
				}
				f, err := start.Float64()
				if err != nil || f < 0 || f != math.Trunc(f) || f > 1<<53 {
					return fmt.Errorf("%s.start: must be an integer >= 0, got %s", tw, start)
				}
				price, ok := t["price"].(json.Number)
				if !ok {
					return fmt.Errorf("%s.price: must be a number", tw)
				}
				if err := checkNumber(price, tw+".price"); err != nil {
					return err
				}
			}
		default:
			return fmt.Errorf("%s: must be a number or { base, tiers }, got %s", w, kind(v))
		}
	}
	return nil
}

func checkNumber(n json.Number, where string) error {
	f, err := n.Float64()
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		return fmt.Errorf("%s: must be a finite number >= 0, got %s", where, n)
	}
	return nil
}

func checkConstraint(raw any, where string) error {
	if raw == nil {
		return nil
	}
	c, ok := raw.(map[string]any)
	if !ok {
		return fmt.Errorf("%s: must be { start_date } or { start_time, end_time }, got %s", where, kind(raw))
	}
	if sd, present := c["start_date"]; present {
		s, ok := sd.(string)
		if _, err := time.Parse("2006-01-02", s); !ok || err != nil {
			return fmt.Errorf("%s.start_date: must be a date YYYY-MM-DD, got %v", where, sd)
		}
		return nil
	}
	st, ok1 := c["start_time"].(string)
	et, ok2 := c["end_time"].(string)
	if !ok1 || !ok2 {
		return fmt.Errorf("%s: must be { start_date: \"YYYY-MM-DD\" } or { start_time, end_time: \"HH:MM:SS+00:00\" }", where)
	}
	if _, err := timeOfDay(st); err != nil {
		return fmt.Errorf("%s.start_time: %v", where, err)
	}
	if _, err := timeOfDay(et); err != nil {
		return fmt.Errorf("%s.end_time: %v", where, err)
	}
	return nil
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	}
	return fmt.Sprintf("%T", v)
}
