package pricing

import (
	"fmt"
	"sort"
	"strings"
)

// Usage is in genai-prices usage keys; every part is included in its total(s).
type Usage struct {
	InputTokens          float64 // input_tokens
	CacheReadTokens      float64 // cache_read_tokens
	CacheWriteTokens     float64 // cache_write_tokens
	CacheWrite1hTokens   float64 // cache_write_1h_tokens
	OutputTokens         float64 // output_tokens
	ReasoningTokens      float64 // output_reasoning_tokens
	InputAudioTokens     float64 // input_audio_tokens
	InputImageTokens     float64 // input_image_tokens
	InputVideoTokens     float64 // input_video_tokens
	CacheReadAudioTokens float64 // cache_audio_read_tokens: part of both cache_read and input_audio
	OutputAudioTokens    float64 // output_audio_tokens
	OutputImageTokens    float64 // output_image_tokens
}

// UsageKeys are the genai-prices usage keys a Usage reports, in the order of usageVector.
var UsageKeys = [nUsage]string{
	"input_tokens", "cache_read_tokens", "cache_write_tokens", "cache_write_1h_tokens",
	"output_tokens", "output_reasoning_tokens",
	"input_audio_tokens", "input_image_tokens", "input_video_tokens", "cache_audio_read_tokens",
	"output_audio_tokens", "output_image_tokens",
}

const nUsage = 12

// Indexes of UsageKeys that the pricer reads by name.
const (
	usageCacheRead      = 1 // cache_read_tokens
	usageCacheReadAudio = 9 // cache_audio_read_tokens
)

var usageIndex = func() map[string]int {
	m := make(map[string]int, nUsage)
	for i, k := range UsageKeys {
		m[k] = i
	}
	return m
}()

func (u *Usage) vector() [nUsage]float64 {
	return [nUsage]float64{
		u.InputTokens, u.CacheReadTokens, u.CacheWriteTokens, u.CacheWrite1hTokens,
		u.OutputTokens, u.ReasoningTokens,
		u.InputAudioTokens, u.InputImageTokens, u.InputVideoTokens, u.CacheReadAudioTokens,
		u.OutputAudioTokens, u.OutputImageTokens,
	}
}

type planEntry struct {
	unit   *Unit
	flat   float64
	tiered *Tiered // tiers sorted by start
	leaf   int     // index into leaves, -2: requests (count 1)
	dir    byte    // 'i' input, 'o' output, 0 other
}

type planLeaf struct {
	unit        *Unit
	usage       int   // index into the usage vector, -1 when Usage does not report this key
	descendants []int // indexes of priced leaves more specific than this one
	// A zero usage value counts as not reported. genai-prices cannot infer a missing value when a
	// more specific key is reported (reported), or when two reported keys overlap exactly on this
	// unit (overlaps): it raises instead of assuming 0.
	reported []int    // usage indexes of strict descendants
	overlaps [][2]int // usage index pairs whose join is exactly this unit
	// zeroOK: neither of those can make a zero value an error (no reported, no overlaps), so a zero is
	// taken as it is without value (as for web_searches, which token usage never reports).
	zeroOK bool
}

// Plan is genai-prices' ModelPrice.calc_price compiled for one ModelPrice.
type Plan struct {
	entries []planEntry
	leaves  []planLeaf
	hasTier bool
	input   planLeaf // input_tokens, read as the tier threshold
	// pricesTokens is false when the model has prices but none for the units a token usage feeds
	// (e.g. whisper-1, priced per audio hour): pricing it from tokens would give a silent 0.
	// A model with no prices at all is free.
	pricesTokens bool
}

// InvalidUsageError is returned when a part of the usage exceeds its total, or a total that a
// price needs is missing while its parts are reported.
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
	// genai-prices compute_leaf_values: most specific first, then by usage key.
	sort.SliceStable(units, func(i, j int) bool {
		if len(units[i].Dims) != len(units[j].Dims) {
			return len(units[i].Dims) > len(units[j].Dims)
		}
		return units[i].UsageKey < units[j].UsageKey
	})
	pos := map[*Unit]int{}
	for i, u := range units {
		pos[u] = i
		leaf := l.leafFor(u)
		leaf.zeroOK = len(leaf.reported) == 0 && len(leaf.overlaps) == 0
		for j, d := range units {
			if d != u && contains(u, d) {
				leaf.descendants = append(leaf.descendants, j)
			}
		}
		p.leaves = append(p.leaves, leaf)
	}
	if in := l.byUsage["input_tokens"]; in != nil {
		p.input = l.leafFor(in)
	}
	for i := range p.entries {
		e := &p.entries[i]
		if e.unit.UsageKey == "requests" && hasRequests {
			e.leaf = -2
		} else {
			e.leaf = pos[e.unit]
		}
	}
	return p
}

// leafFor is a leaf of unit u without descendants, with the reported keys genai-prices' usage
// inference (Usage._infer_missing_value) looks at when u's own value is missing.
func (l *Lattice) leafFor(u *Unit) planLeaf {
	leaf := planLeaf{unit: u, usage: -1}
	if idx, ok := usageIndex[u.UsageKey]; ok {
		leaf.usage = idx
	}
	var fed []*Unit
	for _, k := range UsageKeys {
		if f := l.byUsage[k]; f != nil {
			fed = append(fed, f)
		}
	}
	for _, f := range fed {
		if f != u && contains(u, f) {
			leaf.reported = append(leaf.reported, usageIndex[f.UsageKey])
		}
	}
	// Pairs in usage-key order, as genai-prices' _reported_overlap_keys_for_join.
	sorted := append([]*Unit(nil), fed...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].UsageKey < sorted[j].UsageKey })
	for i, a := range sorted {
		for _, b := range sorted[i+1:] {
			if !compatible(a, b) || contains(a, b) || contains(b, a) {
				continue
			}
			if sameDims(union(a, b), u.Dims) {
				leaf.overlaps = append(leaf.overlaps, [2]int{usageIndex[a.UsageKey], usageIndex[b.UsageKey]})
			}
		}
	}
	return leaf
}

// value is the usage of the leaf's unit, or an error where genai-prices cannot infer a missing one.
func (l *planLeaf) value(u *[nUsage]float64) (float64, error) {
	v := 0.0
	if l.usage >= 0 {
		v = u[l.usage]
	}
	if v != 0 {
		return v, nil
	}
	var more []string
	for _, r := range l.reported {
		if u[r] > 0 {
			more = append(more, UsageKeys[r])
		}
	}
	if len(more) > 0 {
		sort.Strings(more)
		return 0, &InvalidUsageError{fmt.Sprintf("missing usage for %s: reported usage keys %s are part of it, so %s must be reported too",
			l.unit.UsageKey, strings.Join(more, ", "), l.unit.UsageKey)}
	}
	for _, pair := range l.overlaps {
		if u[pair[0]] > 0 && u[pair[1]] > 0 {
			return 0, &InvalidUsageError{fmt.Sprintf("missing usage for %s: reported usage keys %s and %s overlap on it, so %s must be reported too",
				l.unit.UsageKey, UsageKeys[pair[0]], UsageKeys[pair[1]], l.unit.UsageKey)}
		}
	}
	return 0, nil
}

// Cost is a computed price, unrounded.
type Cost struct{ Input, Output, Total float64 }

// Run prices usage as genai-prices ModelPrice.calc_price: each priced unit gets its leaf count (its
// usage minus that of its more specific priced units), times its price, divided by its per; a tiered
// price uses the highest tier whose start is below the total input tokens, for all tokens.
func (p *Plan) Run(usage *Usage) (Cost, error) {
	u := usage.vector()
	return p.run(&u)
}

// run is Run of usage in the order of UsageKeys.
func (p *Plan) run(u *[nUsage]float64) (Cost, error) {
	var buf [16]float64
	leaf := buf[:]
	if len(p.leaves) > len(buf) {
		leaf = make([]float64, len(p.leaves))
	}
	for i := range p.leaves {
		l := &p.leaves[i]
		value := 0.0
		if l.usage >= 0 {
			value = u[l.usage]
		}
		if value == 0 && !l.zeroOK { // a zero is not reported: genai-prices may refuse to take it as 0
			var err error
			if value, err = l.value(u); err != nil {
				return Cost{}, err
			}
		}
		more := 0.0
		for _, d := range l.descendants {
			more += leaf[d]
		}
		rest := value - more
		if rest < 0 {
			return Cost{}, p.negativeLeaf(l, u, value)
		}
		leaf[i] = rest
	}
	inputTotal := 0.0
	if p.hasTier {
		v, err := p.input.value(u)
		if err != nil {
			return Cost{}, err
		}
		inputTotal = v
	}
	var input, output, total float64
	for i := range p.entries {
		e := &p.entries[i]
		count := 1.0
		if e.leaf >= 0 {
			count = leaf[e.leaf]
		}
		price := e.flat
		if e.tiered != nil {
			price = e.tiered.Base
			for j := len(e.tiered.Tiers) - 1; j >= 0; j-- {
				if inputTotal > e.tiered.Tiers[j].Start {
					price = e.tiered.Tiers[j].Price
					break
				}
			}
		}
		cost := price * count / e.unit.Per
		total += cost
		switch e.dir {
		case 'i':
			input += cost
		case 'o':
			output += cost
		}
	}
	return Cost{Input: input, Output: output, Total: total}, nil
}

func (p *Plan) negativeLeaf(l *planLeaf, u *[nUsage]float64, value float64) error {
	var names []string
	for _, d := range l.descendants {
		dl := &p.leaves[d]
		if dl.usage >= 0 && u[dl.usage] > 0 {
			if u[dl.usage] > value {
				return &InvalidUsageError{fmt.Sprintf("%s (%v) cannot exceed %s (%v)", dl.unit.UsageKey, u[dl.usage], l.unit.UsageKey, value)}
			}
			names = append(names, dl.unit.UsageKey)
		}
	}
	return &InvalidUsageError{fmt.Sprintf("the more specific usage %s exceeds %s (%v)", strings.Join(names, " + "), l.unit.UsageKey, value)}
}
