package llmcostprocessor

import (
	"strings"
	"testing"

	"github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor/internal/modelcalls"
)

// The key index finds every name read here and every name the model-call rules read, at its slot, and
// nothing else.
func TestKeyIndexLookup(t *testing.T) {
	tbl, err := modelcalls.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	ix := newKeyIndex(tbl)
	want := map[string]keySlot{}
	for i, k := range indexedAttrs {
		want[k] = keySlot{attr: int16(i), ruleKey: -1}
	}
	for i, k := range tbl.Keys() {
		s, ok := want[k]
		if !ok {
			s.attr = -1
		}
		s.ruleKey = int16(i)
		want[k] = s
	}
	for k, w := range want {
		if got, ok := ix.lookup(k); !ok || got != w {
			t.Errorf("lookup(%q) = %v, %v; want %v", k, got, ok, w)
		}
	}
	for _, k := range []string{"", "server.address", "gen_ai.response.id", "gen_ai.usage.input_token", "gen_ai.usage.input_tokens.x",
		"llmcost.price.context.service_tier", "GEN_AI.USAGE.INPUT_TOKENS", "x"} {
		if got, ok := ix.lookup(k); ok {
			t.Errorf("lookup(%q) = %v, want none", k, got)
		}
	}
}

func TestTrimSpace(t *testing.T) {
	for _, s := range []string{"", " ", "gpt-4o", " gpt-4o", "gpt-4o\n", "\u00a0gpt-4o", "gpt-4o\u3000", "\u0085x\u0085", "é", "x\u2000", "\x7fx\x7f", "a", "a b"} {
		if got, want := trimSpace(s), strings.TrimSpace(s); got != want {
			t.Errorf("trimSpace(%q) = %q, want %q", s, got, want)
		}
	}
}
