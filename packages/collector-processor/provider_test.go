package llmcostprocessor

import (
	"strings"
	"testing"
)

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

// The lookup of Vercel keys by first segment finds what trying every key (longest first) finds.
func TestNormalizeProviderVercelKeysBySegment(t *testing.T) {
	linear := func(lower string) (string, bool) {
		for _, k := range vercelKeys {
			if strings.HasPrefix(lower, k) && (len(lower) == len(k) || lower[len(k)] == '.') {
				return vercelProviders[k], true
			}
		}
		return "", false
	}
	var names []string
	for k := range vercelProviders {
		names = append(names, k, k+".chat", k+"x", k+"-x.chat", k+".", "."+k, strings.ToUpper(k)+".Chat", " "+k+" ")
		if dot := strings.IndexByte(k, '.'); dot >= 0 {
			names = append(names, k[:dot], k[:dot]+".other", k[:dot+2])
		}
	}
	for raw := range providerExamples {
		names = append(names, raw)
	}
	for _, raw := range names {
		lower := strings.ToLower(strings.TrimSpace(raw))
		want, ok := linear(lower)
		if !ok {
			continue
		}
		if got := normalizeProvider(raw); got != want {
			t.Errorf("normalizeProvider(%q) = %q, want %q", raw, got, want)
		}
	}
}

// The batch memo gives what normalizeProvider gives, also when more names than it keeps alternate.
func TestProviderMemo(t *testing.T) {
	var m providerMemo
	names := []string{"", "openai.chat", "Anthropic", "google.vertex.chat", "xai", "aws.bedrock", "gcp.gemini", " OpenAI "}
	for round := 0; round < 3; round++ {
		for i, raw := range names {
			for _, r := range []string{raw, names[(i*3)%len(names)]} {
				if got, want := m.normalize(r), normalizeProvider(r); got != want {
					t.Errorf("memo normalize(%q) = %q, want %q", r, got, want)
				}
			}
		}
	}
}
