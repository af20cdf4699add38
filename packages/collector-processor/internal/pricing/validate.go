package pricing

import (
	"fmt"
	"math"
)

// validatePrice reproduces the checks genai-prices' calcPrice makes on a price object before
// pricing (`le`, `ce`, `me`): a model whose current price fails them is not priced by the
// TypeScript package (calcPrice throws, the pricer treats the model as unknown), so neither here.
func validatePrice(l *Lattice, mp *ModelPrice) error {
	var units []*Unit
	keys := map[string]bool{}
	for _, it := range mp.Items {
		u := l.byPrice[it.Key]
		if u == nil {
			continue
		}
		if t := it.Value.Tiered; t != nil {
			if !validNumber(t.Base) {
				return fmt.Errorf("invalid price value for %s", it.Key)
			}
			for _, tier := range t.Tiers {
				if tier.Start < 0 || tier.Start != math.Trunc(tier.Start) || tier.Start > 9007199254740991 || !validNumber(tier.Price) {
					return fmt.Errorf("invalid price value for %s", it.Key)
				}
			}
		} else if !validNumber(it.Value.Flat) {
			return fmt.Errorf("invalid price value for %s", it.Key)
		}
		units = append(units, u)
		keys[u.PriceKey] = true
	}
	for _, u := range units {
		for _, a := range l.ancestors(u) {
			if !keys[a.PriceKey] {
				return fmt.Errorf("missing ancestor price key %s for %s", a.PriceKey, u.PriceKey)
			}
		}
	}
	for i := range units {
		for j := i + 1; j < len(units); j++ {
			a, b := units[i], units[j]
			if !compatible(a, b) {
				continue
			}
			m := l.join(a, b)
			if m == nil {
				return fmt.Errorf("missing registered join unit for %s and %s", a.PriceKey, b.PriceKey)
			}
			if !keys[m.PriceKey] {
				return fmt.Errorf("missing join price key %s for %s and %s", m.PriceKey, a.PriceKey, b.PriceKey)
			}
		}
	}
	return nil
}

func validNumber(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) && f >= 0 }
