package pricing

import (
	"encoding/json"
	"fmt"
	"sort"
)

// Unit is one genai-prices unit: a usage key (e.g. cache_read_tokens), its price key
// (cache_read_mtok), the count a price is per (1e6) and its dimensions.
type Unit struct {
	UsageKey string
	PriceKey string
	Per      float64
	Dims     map[string]string
}

// Lattice is genai-prices' unit table: units ordered by their dimensions (a unit whose dimensions
// all hold in another is its ancestor: input_tokens is an ancestor of cache_read_tokens).
type Lattice struct {
	byUsage map[string]*Unit
	byPrice map[string]*Unit
	byDims  map[string]*Unit
	all     []*Unit
}

func newLattice(raw map[string]json.RawMessage) (*Lattice, error) {
	l := &Lattice{byUsage: map[string]*Unit{}, byPrice: map[string]*Unit{}, byDims: map[string]*Unit{}}
	for key, msg := range raw {
		var u struct {
			Dimensions map[string]string `json:"dimensions"`
			Per        float64           `json:"per"`
			PriceKey   string            `json:"price_key"`
		}
		if err := json.Unmarshal(msg, &u); err != nil {
			return nil, fmt.Errorf("unit %s in units.json: %w", key, err)
		}
		pk := u.PriceKey
		if pk == "" {
			pk = key
		}
		unit := &Unit{UsageKey: key, PriceKey: pk, Per: u.Per, Dims: u.Dimensions}
		l.byUsage[key] = unit
		l.byPrice[pk] = unit
		l.byDims[dimsKey(unit.Dims)] = unit
		l.all = append(l.all, unit)
	}
	sort.Slice(l.all, func(i, j int) bool { return l.all[i].UsageKey < l.all[j].UsageKey })
	return l, nil
}

// ByPriceKey returns the unit of a price key such as input_mtok.
func (l *Lattice) ByPriceKey(k string) *Unit { return l.byPrice[k] }

// dimsKey identifies a set of dimensions (the lattice's lookup key).
func dimsKey(d map[string]string) string { return joinSorted(d, ';') }

// contains reports whether all of a's dimensions hold in b (b is a, or more specific than a).
func contains(a, b *Unit) bool {
	for k, v := range a.Dims {
		if bv, ok := b.Dims[k]; !ok || bv != v {
			return false
		}
	}
	return true
}

// compatible reports whether a and b have no dimension with different values (genai-prices `Q`).
func compatible(a, b *Unit) bool {
	for k, v := range a.Dims {
		if bv, ok := b.Dims[k]; ok && bv != v {
			return false
		}
	}
	return true
}

// join is the unit whose dimensions are the union of a's and b's, if registered.
func (l *Lattice) join(a, b *Unit) *Unit {
	if !compatible(a, b) {
		return nil
	}
	return l.byDims[dimsKey(union(a, b))]
}

// ancestors are the units, other than u, whose dimensions all hold in u.
func (l *Lattice) ancestors(u *Unit) []*Unit {
	var out []*Unit
	for _, o := range l.all {
		if o != u && contains(o, u) {
			out = append(out, o)
		}
	}
	return out
}

// union is the dimensions of a and b together (for compatible units).
func union(a, b *Unit) map[string]string {
	m := make(map[string]string, len(a.Dims)+len(b.Dims))
	for k, v := range a.Dims {
		m[k] = v
	}
	for k, v := range b.Dims {
		m[k] = v
	}
	return m
}

func sameDims(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if bv, ok := b[k]; !ok || bv != v {
			return false
		}
	}
	return true
}
