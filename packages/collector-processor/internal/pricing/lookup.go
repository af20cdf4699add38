package pricing

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// findProviderByID is genai-prices `qe`: a provider whose id equals the name, else whose
// provider_match matches it.
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

// findProvider is genai-prices `S` without the API-URL lookup.
func (d *Data) findProvider(modelID, providerID string) *Provider {
	if providerID != "" {
		p := d.findProviderByID(providerID)
		if p != nil || strings.ToLower(providerID) != "litellm" {
			return p
		}
	}
	if modelID != "" {
		for _, p := range d.Providers {
			if p.ModelMatch != nil && p.ModelMatch.Matches(modelID) {
				return p
			}
		}
	}
	return nil
}

// ResolveProviderID maps an OpenTelemetry gen_ai.provider.name (or gen_ai.system, or a
// genai-prices id) to a genai-prices provider id; "" when unknown (providers.ts).
func (d *Data) ResolveProviderID(name string) string {
	if name == "" {
		return ""
	}
	key := strings.ToLower(strings.TrimSpace(name))
	if a, ok := d.Aliases[key]; ok && a != "" {
		return a
	}
	if p := d.findProvider("", key); p != nil {
		return p.ID
	}
	return ""
}

func findModelIn(p *Provider, model string) *Model {
	for _, m := range p.Models {
		if m.Match != nil && m.Match.Matches(model) {
			return m
		}
	}
	return nil
}

// findModel is genai-prices `C`: the provider's models, then its fallback providers' models.
func (d *Data) findModel(p *Provider, model string, withFallback bool) *Model {
	if m := findModelIn(p, model); m != nil {
		return m
	}
	if withFallback {
		for _, id := range p.FallbackModelProviders {
			for _, fp := range d.Providers {
				if fp.ID == id {
					if m := d.findModel(fp, model, false); m != nil {
						return m
					}
					break
				}
			}
		}
	}
	return nil
}

// lookup is the model lookup of genai-prices' calcPrice (`Ce` up to `ve`).
func (d *Data) lookup(model, providerID string) (*Provider, *Model) {
	i := strings.ToLower(strings.TrimSpace(model))
	o := providerID
	if o != "" && strings.ToLower(o) == "litellm" && strings.Contains(i, "/") {
		k := strings.Index(i, "/")
		u, rest := i[:k], i[k+1:]
		if u != "" && rest != "" && d.findProvider("", u) != nil {
			o, i = u, rest
		}
	}
	p := d.findProvider(i, o)
	if p == nil {
		return nil, nil
	}
	if m := d.findModel(p, i, true); m != nil {
		return p, m
	}
	if n := normalizeDates(i); n != i {
		if m := d.findModel(p, n, true); m != nil {
			return p, m
		}
	}
	return p, nil
}

var compactDate = regexp.MustCompile(`-(20\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])`)

// normalizeDates rewrites -YYYYMMDD (followed by -, : or the end, and a real date) to
// -YYYY-MM-DD, as genai-prices `xe` (whose regex uses a look-ahead, checked here by hand).
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
			pos = start + 1 // the look-ahead failed here; JS retries at the next index
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

// PricesAt returns the price entry in force at t: the last entry whose constraint holds, else
// the first (pricer.ts pricesAt / genai-prices `we`). t is used at millisecond precision.
func PricesAt(p *Prices, t time.Time) *ModelPrice {
	if p.List == nil {
		return p.Single
	}
	t = t.Truncate(time.Millisecond)
	for i := len(p.List) - 1; i >= 0; i-- {
		e := p.List[i]
		c := e.Constraint
		if c == nil {
			return e.Prices
		}
		if c.StartDate != "" {
			if sd, err := time.Parse("2006-01-02", c.StartDate); err == nil && !t.Before(sd) {
				return e.Prices
			}
		} else if c.StartTime != "" && c.EndTime != "" {
			u := t.UTC()
			now := float64(u.Hour()*3600+u.Minute()*60+u.Second()) + float64(u.Nanosecond()/1e6)/1e3
			start, err1 := timeOfDay(c.StartTime)
			end, err2 := timeOfDay(c.EndTime)
			if err1 != nil || err2 != nil {
				continue
			}
			if end < start {
				if now >= start || now < end {
					return e.Prices
				}
			} else if now >= start && now < end {
				return e.Prices
			}
		}
	}
	return p.List[0].Prices
}

var timeOfDayRe = regexp.MustCompile(`^(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):(\d{2}))$`)

// timeOfDay is seconds since midnight UTC of HH:MM:SS(.fff)(Z|±HH:MM).
func timeOfDay(v string) (float64, error) {
	m := timeOfDayRe.FindStringSubmatch(v)
	if m == nil {
		return 0, fmt.Errorf("invalid time-of-day constraint: %s", v)
	}
	h, _ := strconv.Atoi(m[1])
	mi, _ := strconv.Atoi(m[2])
	s, _ := strconv.Atoi(m[3])
	frac, _ := strconv.ParseFloat("0."+m[4], 64)
	if m[4] == "" {
		frac = 0
	}
	offset := 0
	if m[5] != "Z" {
		zh, _ := strconv.Atoi(m[7])
		zm, _ := strconv.Atoi(m[8])
		offset = (zh*60 + zm) * 60
		if m[6] == "-" {
			offset = -offset
		}
	}
	x := float64(h*3600+mi*60+s) + frac - float64(offset) + 86400
	return math.Mod(x, 86400), nil
}
