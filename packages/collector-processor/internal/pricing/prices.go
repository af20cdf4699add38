package pricing

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
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

// PriceItem is one key of a ModelPrice, in document order.
type PriceItem struct {
	Key   string
	Value PriceValue
}

// ModelPrice is a genai-prices price object such as {input_mtok: 2.5, output_mtok: 10}.
type ModelPrice struct {
	Items []PriceItem
}

// Constraint selects when a ConditionalPrice or a PriceVariant applies: from a UTC date on
// (genai-prices StartDateConstraint), or during a daily UTC interval (TimeOfDateConstraint).
type Constraint struct {
	StartDate string `json:"start_date"`
	StartTime string `json:"start_time"`
	EndTime   string `json:"end_time"`

	kind       byte      // 'd' start date, 't' time of day, 0 invalid (never active)
	startDay   time.Time // UTC midnight of StartDate
	start, end int64     // microseconds since UTC midnight
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

// PriceVariant is a partial price selected when every key of When equals the request's price
// context exactly (genai-prices PriceVariant), optionally only while Constraint is active.
type PriceVariant struct {
	When       map[string]string `json:"when"`
	Prices     *ModelPrice       `json:"prices"`
	Constraint *Constraint       `json:"constraint"`
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

// UnmarshalJSON reads the price keys in document order. A null value is no price (as genai-prices
// skips None); a key given twice keeps its first position and its last value (as a Python dict).
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
	m.Items = m.Items[:0]
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
		if string(bytes.TrimSpace(raw)) == "null" {
			continue
		}
		v, err := parsePriceValue(key, raw)
		if err != nil {
			return err
		}
		if i := m.index(key); i >= 0 {
			m.Items[i].Value = v
		} else {
			m.Items = append(m.Items, PriceItem{Key: key, Value: v})
		}
	}
	_, err = dec.Token()
	return err
}

func (m *ModelPrice) index(key string) int {
	for i := range m.Items {
		if m.Items[i].Key == key {
			return i
		}
	}
	return -1
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

// sortedTiers returns the tiers ordered by start (genai-prices sorts them when it loads the data).
func sortedTiers(t *Tiered) []Tier {
	out := append([]Tier(nil), t.Tiers...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// UnmarshalJSON reads a constraint and parses its date or times once.
func (c *Constraint) UnmarshalJSON(b []byte) error {
	type plain Constraint
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*c = Constraint(p)
	c.compile()
	return nil
}

func (c *Constraint) compile() {
	c.kind = 0
	switch {
	case c.StartDate != "":
		if d, err := time.Parse("2006-01-02", c.StartDate); err == nil {
			c.kind, c.startDay = 'd', d
		}
	case c.StartTime != "" && c.EndTime != "":
		s, err1 := timeOfDay(c.StartTime)
		e, err2 := timeOfDay(c.EndTime)
		if err1 == nil && err2 == nil {
			c.kind, c.start, c.end = 't', s, e
		}
	}
}

// Active reports whether the constraint holds at t: a start date holds from that UTC date on; a
// time-of-day interval holds while t's UTC time of day is in [start, end) (wrapping past midnight
// when end < start). A constraint that is neither never holds.
func (c *Constraint) Active(t time.Time) bool {
	if c.kind == 0 && (c.StartDate != "" || c.StartTime != "") {
		c.compile() // built in code rather than parsed
	}
	switch c.kind {
	case 'd':
		return !t.Before(c.startDay)
	case 't':
		u := t.UTC()
		now := int64(u.Hour())*3600e6 + int64(u.Minute())*60e6 + int64(u.Second())*1e6 + int64(u.Nanosecond()/1000)
		if c.end < c.start {
			return now >= c.start || now < c.end
		}
		return now >= c.start && now < c.end
	}
	return false
}

var timeOfDayRe = regexp.MustCompile(`^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(?:(Z|z)|([+-])(\d{2}):?(\d{2}))?$`)

// timeOfDay is microseconds since UTC midnight of HH:MM[:SS[.ffffff]][Z|±HH:MM]; no offset is UTC.
func timeOfDay(v string) (int64, error) {
	m := timeOfDayRe.FindStringSubmatch(v)
	if m == nil {
		return 0, fmt.Errorf("invalid time of day %q: want HH:MM:SS with an optional offset such as +00:00", v)
	}
	h, _ := strconv.Atoi(m[1])
	mi, _ := strconv.Atoi(m[2])
	s, _ := strconv.Atoi(m[3]) // "" -> 0
	if h > 23 || mi > 59 || s > 59 {
		return 0, fmt.Errorf("invalid time of day %q", v)
	}
	var frac int64
	if m[4] != "" {
		f, _ := strconv.ParseInt((m[4] + "00000")[:6], 10, 64)
		frac = f
	}
	var offset int64
	if m[6] != "" {
		zh, _ := strconv.Atoi(m[7])
		zm, _ := strconv.Atoi(m[8])
		if zh > 23 || zm > 59 {
			return 0, fmt.Errorf("invalid offset in time of day %q", v)
		}
		offset = int64(zh*3600+zm*60) * 1e6
		if m[6] == "-" {
			offset = -offset
		}
	}
	const day = int64(86400e6)
	x := int64(h*3600+mi*60+s)*1e6 + frac - offset
	return ((x % day) + day) % day, nil
}

// PricesAt returns the price entry in force at t: the last entry whose constraint is absent or
// active, else the first (genai-prices ModelInfo.get_prices without a price context).
func PricesAt(p *Prices, t time.Time) *ModelPrice {
	if p == nil {
		return emptyPrice
	}
	if p.List == nil {
		if p.Single == nil {
			return emptyPrice
		}
		return p.Single
	}
	if len(p.List) == 0 {
		return emptyPrice
	}
	for i := len(p.List) - 1; i >= 0; i-- {
		e := p.List[i]
		if e.Constraint == nil || e.Constraint.Active(t) {
			return nonNil(e.Prices)
		}
	}
	return nonNil(p.List[0].Prices)
}

var emptyPrice = &ModelPrice{}

func nonNil(mp *ModelPrice) *ModelPrice {
	if mp == nil {
		return emptyPrice
	}
	return mp
}

// formatWhen writes a variant's when as key=value pairs, keys sorted, joined with "&".
func formatWhen(w map[string]string) string { return joinSorted(w, '&') }

// joinSorted writes a string map as key=value pairs, keys sorted, joined with sep.
func joinSorted(m map[string]string, sep byte) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(sep)
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(m[k])
	}
	return b.String()
}
