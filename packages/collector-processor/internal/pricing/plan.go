package pricing

import (
	"fmt"
	"sort"
	"strings"
)

// Usage is in genai-prices usage keys; every subset is included in its total.
type Usage struct {
	InputTokens        float64
	CacheReadTokens    float64
	CacheWriteTokens   float64
	CacheWrite1hTokens float64
	OutputTokens       float64
	ReasoningTokens    float64 // genai-prices output_reasoning_tokens
}

// usage value by genai-prices usage key; absent keys are 0 (as `usage[key] ?? 0`).
func (u *Usage) get(idx int) float64 {
	switch idx {
	case 0:
		return u.InputTokens
	case 1:
		return u.CacheReadTokens
	case 2:
		return u.CacheWriteTokens
	case 3:
		return u.CacheWrite1hTokens
	case 4:
		return u.OutputTokens
	case 5:
		return u.ReasoningTokens
	}
	return 0
}

var usageIndex = map[string]int{
	"input_tokens": 0, "cache_read_tokens": 1, "cache_write_tokens": 2,
	"cache_write_1h_tokens": 3, "output_tokens": 4, "output_reasoning_tokens": 5,
}

type planEntry struct {
	unit   *Unit
	flat   float64
	tiered *Tiered // tiers sorted by start
	leaf   int     // index into leaves, -1: count 0, -2: requests (count 1)
	dir    byte    // 'i' input, 'o' output, 0 other
}

type planLeaf struct {
	unit        *Unit
	usage       int   // index into Usage, -1 when not a key we report
	descendants []int // indexes of leaves more specific than this one
}

// Plan is the price computation of genai-prices' calcPrice compiled for one ModelPrice
// (the port of packages/pricing/src/plan.ts).
type Plan struct {
	entries []planEntry
	leaves  []planLeaf
	hasTier bool
	// pricesTokens is false when the model has prices but none for the units a token usage feeds
	// (e.g. whisper-1, priced per audio hour): pricing it from tokens would give a silent 0.
	// A model with no prices at all is free.
	pricesTokens bool
}

// InvalidUsageError is returned when a part of the usage exceeds its total.
type InvalidUsageError struct{ msg string }

func (e *InvalidUsageError) Error() string { return e.msg }

func compilePlan(l *Lattice, mp *ModelPrice) *Plan {
	p := &Plan{}
	hasRequests := false
	var units []*Unit
	seen := map[*Unit]bool{}
	for _, it := range mp.Items {
		u := l.byPrice[it.Key]
		if u == nil {
			continue // genai-prices skips price keys it has no unit for
		}
		e := planEntry{unit: u, flat: it.Value.Flat}
		if it.Value.Tiered != nil {
			e.tiered = &Tiered{Base: it.Value.Tiered.Base, Tiers: sortedTiers(it.Value.Tiered)}
			p.hasTier = true
		}
		switch u.Dims["direction"] {
		case "input":
			e.dir = 'i'
		case "output":
			e.dir = 'o'
		}
		if _, fed := usageIndex[u.UsageKey]; fed || u.UsageKey == "requests" {
			p.pricesTokens = true
		}
		if u.UsageKey == "requests" {
			hasRequests = true
		} else if !seen[u] {
			seen[u] = true
			units = append(units, u)
		}
		p.entries = append(p.entries, e)
	}
	if len(p.entries) == 0 {
		p.pricesTokens = true
	}
	sort.SliceStable(units, func(i, j int) bool {
		if len(units[i].Dims) != len(units[j].Dims) {
			return len(units[i].Dims) > len(units[j].Dims)
		}
		return units[i].UsageKey < units[j].UsageKey
	})
	pos := map[*Unit]int{}
	for i, u := range units {
		pos[u] = i
		idx, ok := usageIndex[u.UsageKey]
		if !ok {
			idx = -1
		}
		leaf := planLeaf{unit: u, usage: idx}
		for j, d := range units {
			if d != u && contains(u, d) {
				leaf.descendants = append(leaf.descendants, j)
			}
		}
		p.leaves = append(p.leaves, leaf)
	}
	for i := range p.entries {
		e := &p.entries[i]
		switch {
		case e.unit.UsageKey == "requests" && hasRequests:
			e.leaf = -2
		default:
			e.leaf = pos[e.unit]
		}
	}
	return p
}

// Cost is a computed price, unrounded.
type Cost struct{ Input, Output, Total float64 }

func tieredCost(t *Tiered, count, inputTotal float64) float64 {
	if count <= 0 {
		return 0
	}
	p := t.Base
	for _, tier := range t.Tiers {
		if inputTotal > tier.Start {
			p = tier.Price
		}
	}
	return float64(p*count) / 1e6
}

// Run prices usage. Arithmetic follows plan.ts / genai-prices operation by operation; the explicit
// float64 conversions forbid fused multiply-adds, so results are bit-identical to JavaScript.
func (p *Plan) Run(u *Usage) (Cost, error) {
	var buf [16]float64
	leaf := buf[:0]
	if len(p.leaves) > len(buf) {
		leaf = make([]float64, 0, len(p.leaves))
	}
	n := float64(len(p.leaves))
	for _, l := range p.leaves {
		value := 0.0
		if l.usage >= 0 {
			value = u.get(l.usage)
		}
		more := 0.0
		for _, d := range l.descendants {
			more = float64(more + leaf[d])
		}
		rest := float64(value - more)
		tol := epsilon * max(1, abs(value), abs(more)) * (n + 1)
		if rest < 0 && abs(rest) <= tol {
			rest = 0
		}
		if rest < 0 {
			names := make([]string, len(l.descendants))
			for i, d := range l.descendants {
				names[i] = p.leaves[d].unit.UsageKey
			}
			return Cost{}, &InvalidUsageError{fmt.Sprintf("%s (%v) exceeds %s (%v)", strings.Join(names, " + "), more, l.unit.UsageKey, value)}
		}
		leaf = append(leaf, rest)
	}
	inputTotal := 0.0
	if p.hasTier {
		inputTotal = u.InputTokens
	}
	var input, output, other float64
	for i := range p.entries {
		e := &p.entries[i]
		count := 0.0
		switch {
		case e.leaf == -2:
			count = 1
		case e.leaf >= 0:
			count = leaf[e.leaf]
		}
		var cost float64
		if e.tiered == nil {
			cost = float64(float64(e.flat*count) / e.unit.Per)
		} else {
			cost = float64(float64(tieredCost(e.tiered, count, inputTotal)*1e6) / e.unit.Per)
		}
		switch e.dir {
		case 'i':
			input = float64(input + cost)
		case 'o':
			output = float64(output + cost)
		default:
			other = float64(other + cost)
		}
	}
	return Cost{Input: input, Output: output, Total: float64(float64(input+output) + other)}, nil
}

const epsilon = 2.220446049250313e-16 // Number.EPSILON

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
