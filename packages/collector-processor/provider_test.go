package llmcostprocessor

import "testing"

// The provider-name normalisation gives what the contract's examples say (the Node package is tested
// against the same examples).
func TestNormalizeProviderContractExamples(t *testing.T) {
	if len(providerExamples) == 0 {
		t.Fatal("the contract has no provider examples")
	}
	for raw, want := range providerExamples {
		if got := normalizeProvider(raw); got != want {
			t.Errorf("normalizeProvider(%q) = %q, want %q", raw, got, want)
		}
	}
}
