package pricing

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
)

// Tier is one step of a whole-request tiered price: above Start input tokens, Price applies.
type Tier struct {
	Start float64 `json:"start"`
	Price float64 `json:"price"`
}

// Tiered is a price that depends on the request's total input tokens.
type Tiered struct {
	Base  float64 `json:"base"`
	Tiers []Tier  `json:"tiers"`
}

// PriceValue is one price: a flat USD amount per unit.Per, or tiered.
type PriceValue struct {
	Flat   float64
	Tiered *Tiered
}

// PriceItem is one key of a ModelPrice, in document order (the order of the sums matters for
// bit-exact results, as in JavaScript's Object.entries).
type PriceItem struct {
	Key   string
	Value PriceValue
}

// ModelPrice is a genai-prices price object such as {input_mtok: 2.5, output_mtok: 10}.
type ModelPrice struct {
	Items []PriceItem
}

// Constraint selects when a ConditionalPrice applies.
type Constraint struct {
	Type      string `json:"type"`
	StartDate string `json:"start_date"`
	StartTime string `json:"start_time"`
	EndTime   string `json:"end_time"`
}

// ConditionalPrice is one entry of a dated / time-of-day price list.
type ConditionalPrice struct {
	Constraint *Constraint `json:"constraint"`
	Prices     *ModelPrice `json:"prices"`
}

// Prices is either one ModelPrice or a list of ConditionalPrice.
type Prices struct {
	Single *ModelPrice
	List   []ConditionalPrice
}

// UnmarshalJSON accepts an object (ModelPrice) or a list of conditional prices.
func (p *Prices) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		return json.Unmarshal(b, &p.List)
	}
	p.Single = &ModelPrice{}
	return json.Unmarshal(b, p.Single)
}

// UnmarshalJSON reads the price keys in document order.
func (m *ModelPrice) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return errors.New("prices must be an object")
	}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return err
		}
		key := kt.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
		v, err := parsePriceValue(key, raw)
		if err != nil {
			return err
		}
		m.Items = append(m.Items, PriceItem{Key: key, Value: v})
	}
	_, err = dec.Token()
	return err
}

func parsePriceValue(key string, raw json.RawMessage) (PriceValue, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '{' {
		var t Tiered
		if err := json.Unmarshal(raw, &t); err != nil {
			return PriceValue{}, fmt.Errorf("price %s: %w", key, err)
		}
		return PriceValue{Tiered: &t}, nil
	}
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil {
		return PriceValue{}, fmt.Errorf("price %s must be a number or {base, tiers}: %w", key, err)
	}
	return PriceValue{Flat: f}, nil
}

// sortedTiers returns the tiers ordered by start (stable, as Array.prototype.sort).
func sortedTiers(t *Tiered) []Tier {
	out := append([]Tier(nil), t.Tiers...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}
