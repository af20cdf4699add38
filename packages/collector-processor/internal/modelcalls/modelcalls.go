// Package modelcalls decides which spans are model calls, from the rule table that the collector
// processor and @otel-llm-cost/node share (model_calls in packages/contract/telemetry.yaml; the copy
// embedded here is generated from it, and CI fails when it differs). One model call is often described by several spans:
// only the innermost span that is the provider call is priced and metered; agent, workflow, chain and
// framework spans over it are not. The decision needs only the span itself (attributes, name, scope).
package modelcalls // import "github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor/internal/modelcalls"

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math/bits"
	"strings"
	"sync"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// The table, generated from packages/contract/telemetry.yaml by node packages/contract/generate.mjs
// (do not edit it here: edit the contract and run the generator).
//
//go:embed model-calls.json
var tableJSON []byte

// Role is what a span is to pricing.
type Role uint8

const (
	// None: no rule matched; the span is a call when it carries token usage, else no LLM span.
	None Role = iota
	// Call is the provider call itself: priced and metered; without usage it is unpriced (no_usage).
	Call
	// Summary is an agent, workflow, chain, tool or step span, or the outer span of a call.
	Summary
	// Framework is a framework's own LLM span over the client library's span of the same call.
	Framework
	// Other is a span of an LLM client that is no billed model call (count_tokens, models.list).
	Other
)

var roleNames = [...]string{None: "", Call: "call", Summary: "summary", Framework: "framework", Other: "other"}

func (r Role) String() string { return roleNames[r] }

// Document is the JSON form of the table.
type Document struct {
	GeneratedFrom string            `json:"generated_from"`
	Version       int               `json:"version"`
	Roles         map[string]string `json:"roles"`
	Rules         []RuleJSON        `json:"rules"`
}

// RuleJSON is one rule: the first one whose every condition holds gives the role.
type RuleJSON struct {
	Dialect string          `json:"dialect"`
	Role    string          `json:"role"`
	When    []ConditionJSON `json:"when"`
}

// ConditionJSON is one condition: attribute with in, suffix or present; or scope_prefix; or name_in.
type ConditionJSON struct {
	Attribute   string   `json:"attribute,omitempty"`
	In          []string `json:"in,omitempty"`
	Suffix      []string `json:"suffix,omitempty"`
	Present     bool     `json:"present,omitempty"`
	ScopePrefix []string `json:"scope_prefix,omitempty"`
	NameIn      []string `json:"name_in,omitempty"`
}

type condKind uint8

const (
	condIn condKind = iota
	condSuffix
	condPresent
	condScopePrefix
	condNameIn
)

type condition struct {
	kind   condKind
	key    int // index into Table.keys for attribute conditions
	values []string
	// lengths has bit n set when a value of an `in` condition is n bytes long (bit 63: 63 or more), so
	// that most strings that are none of the values are told so without comparing them.
	lengths uint64
}

func lengthBit(n int) uint64 { return 1 << min(n, 63) }

// in: s is one of the values of an `in` condition.
func (c *condition) in(s string) bool {
	return c.lengths&lengthBit(len(s)) != 0 && oneOf(s, c.values)
}

type rule struct {
	dialect string
	role    Role
	when    []condition
	needs   uint32 // bit i: a condition reads Table.keys[i], so the rule holds only when it is present
}

// Table is a compiled rule table; safe for concurrent use.
type Table struct {
	keys  []string // the distinct attribute keys the rules read
	rules []rule
	needs []uint32 // rules[i].needs: a span is usually tried against every rule, most skipped on this alone
}

// maxKeys bounds the distinct attribute keys of a table (a span's values are looked up into a fixed
// array; rule.needs has a bit per key).
const maxKeys = 16

// Parse compiles a table document and checks it: known roles, conditions of exactly one kind, values
// where a kind needs them.
func Parse(raw []byte) (*Table, error) {
	var doc Document
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("model-calls table: %w", err)
	}
	if doc.Version != 1 {
		return nil, fmt.Errorf("model-calls table: version %d, want 1", doc.Version)
	}
	t := &Table{}
	keyIndex := map[string]int{}
	for i, r := range doc.Rules {
		role := None
		for j, n := range roleNames {
			if n != "" && n == r.Role {
				role = Role(j)
			}
		}
		if role == None {
			return nil, fmt.Errorf("model-calls table: rule %d (%s): unknown role %q", i, r.Dialect, r.Role)
		}
		if _, documented := doc.Roles[r.Role]; !documented {
			return nil, fmt.Errorf("model-calls table: rule %d (%s): role %q is not described under roles", i, r.Dialect, r.Role)
		}
		if r.Dialect == "" || len(r.When) == 0 {
			return nil, fmt.Errorf("model-calls table: rule %d needs a dialect and at least one condition", i)
		}
		cr := rule{dialect: r.Dialect, role: role}
		for _, c := range r.When {
			cc, err := compileCondition(c, keyIndex, t)
			if err != nil {
				return nil, fmt.Errorf("model-calls table: rule %d (%s): %w", i, r.Dialect, err)
			}
			cr.when = append(cr.when, cc)
			if cc.kind == condIn || cc.kind == condSuffix || cc.kind == condPresent {
				cr.needs |= 1 << cc.key
			}
		}
		t.rules = append(t.rules, cr)
		t.needs = append(t.needs, cr.needs)
	}
	if len(t.keys) > maxKeys {
		return nil, fmt.Errorf("model-calls table: %d distinct attributes, at most %d", len(t.keys), maxKeys)
	}
	return t, nil
}

func compileCondition(c ConditionJSON, keyIndex map[string]int, t *Table) (condition, error) {
	kinds := 0
	var out condition
	if len(c.In) > 0 {
		kinds++
		out = condition{kind: condIn, values: c.In}
		for _, v := range c.In {
			out.lengths |= lengthBit(len(v))
		}
	}
	if len(c.Suffix) > 0 {
		kinds++
		out = condition{kind: condSuffix, values: c.Suffix}
	}
	if c.Present {
		kinds++
		out = condition{kind: condPresent}
	}
	if len(c.ScopePrefix) > 0 {
		kinds++
		out = condition{kind: condScopePrefix, values: c.ScopePrefix}
	}
	if len(c.NameIn) > 0 {
		kinds++
		out = condition{kind: condNameIn, values: c.NameIn}
	}
	if kinds != 1 {
		return out, fmt.Errorf("a condition needs exactly one of in, suffix, present, scope_prefix, name_in (got %d)", kinds)
	}
	attrKind := out.kind == condIn || out.kind == condSuffix || out.kind == condPresent
	if attrKind != (c.Attribute != "") {
		return out, fmt.Errorf("in, suffix and present need an attribute, scope_prefix and name_in none (attribute %q)", c.Attribute)
	}
	if attrKind {
		idx, ok := keyIndex[c.Attribute]
		if !ok {
			idx = len(t.keys)
			keyIndex[c.Attribute] = idx
			t.keys = append(t.keys, c.Attribute)
		}
		out.key = idx
	}
	return out, nil
}

var (
	bundledOnce sync.Once
	bundled     *Table
	bundledErr  error
)

// Bundled is the embedded table (parsed once).
func Bundled() (*Table, error) {
	bundledOnce.Do(func() { bundled, bundledErr = Parse(tableJSON) })
	return bundled, bundledErr
}

// BundledJSON is the embedded table as it is in the file.
func BundledJSON() []byte { return tableJSON }

// Keys are the distinct attribute keys the rules read, in the order of Values.
func (t *Table) Keys() []string { return t.keys }

// Values are a span's values of the table's keys (Keys), looked up by the caller: Found[i] and
// Values[i] are what pcommon.Map.Get(Keys()[i]) gives.
type Values struct {
	Found  [maxKeys]bool
	Values [maxKeys]pcommon.Value
}

// Classify gives the role of a span from its attributes, name and instrumentation scope name, and the
// dialect of the rule that decided it ("" and None when no rule matched). Each key is looked up at most
// once, when the first rule that reads it is tried.
func (t *Table) Classify(attrs pcommon.Map, name, scope string) (Role, string) {
	var v Values
	var fetched, present uint32
	for i := range t.rules {
		r := &t.rules[i]
		for missing := r.needs &^ fetched; missing != 0; missing &= missing - 1 {
			k := bits.TrailingZeros32(missing)
			if v.Values[k], v.Found[k] = attrs.Get(t.keys[k]); v.Found[k] {
				present |= 1 << k
			}
		}
		fetched |= r.needs
		if r.needs&^present == 0 && t.holds(r, &v, name, scope) {
			return r.role, r.dialect
		}
	}
	return None, ""
}

// ClassifyValues is Classify from the span's values of Keys, looked up by the caller.
func (t *Table) ClassifyValues(v *Values, name, scope string) (Role, string) {
	var present uint32
	for i := range t.keys {
		if v.Found[i] {
			present |= 1 << i
		}
	}
	for i, needs := range t.needs {
		// A rule that reads an absent key does not hold: skipped without trying its conditions.
		if needs&^present == 0 {
			if r := &t.rules[i]; t.holds(r, v, name, scope) {
				return r.role, r.dialect
			}
		}
	}
	return None, ""
}

// holds: every condition of r holds for the span, whose values of the keys r reads are in v.
func (t *Table) holds(r *rule, v *Values, name, scope string) bool {
	for i := range r.when {
		c := &r.when[i]
		switch c.kind {
		case condScopePrefix:
			if !hasPrefix(scope, c.values) {
				return false
			}
		case condNameIn:
			if !oneOf(name, c.values) {
				return false
			}
		default:
			if !v.Found[c.key] {
				return false
			}
			if c.kind == condPresent {
				continue
			}
			val := v.Values[c.key]
			if val.Type() != pcommon.ValueTypeStr {
				return false
			}
			str := val.Str()
			if c.kind == condIn && !c.in(str) {
				return false
			}
			if c.kind == condSuffix && !hasSuffix(str, c.values) {
				return false
			}
		}
	}
	return true
}

func oneOf(s string, values []string) bool {
	for _, v := range values {
		if s == v {
			return true
		}
	}
	return false
}

func hasPrefix(s string, values []string) bool {
	for _, v := range values {
		if strings.HasPrefix(s, v) {
			return true
		}
	}
	return false
}

func hasSuffix(s string, values []string) bool {
	for _, v := range values {
		if strings.HasSuffix(s, v) {
			return true
		}
	}
	return false
}
