package pricing

import (
	"strings"
	"sync"
	"time"

	"github.com/dlclark/regexp2"
)

// Match is genai-prices' match logic: exactly one of the fields is set. Comparisons are
// case-insensitive, except regex, which is searched (Python re.search) in the value as given; callers
// pass the lowercased model name, as genai-prices does. The data uses look-aheads, which Go's regexp
// lacks, hence regexp2 (in its default, Python-like mode: \d is any digit, $ also matches before a
// final newline).
type Match struct {
	Equals     *string  `json:"equals"`
	StartsWith *string  `json:"starts_with"`
	EndsWith   *string  `json:"ends_with"`
	Contains   *string  `json:"contains"`
	Regex      *string  `json:"regex"`
	And        *[]Match `json:"and"`
	Or         *[]Match `json:"or"`

	once sync.Once
	re   *regexp2.Regexp
}

// Matches evaluates the logic on value (genai-prices `f`, in its order of checks).
func (m *Match) Matches(value string) bool {
	switch {
	case m.Or != nil:
		for i := range *m.Or {
			if (*m.Or)[i].Matches(value) {
				return true
			}
		}
		return false
	case m.And != nil:
		for i := range *m.And {
			if !(*m.And)[i].Matches(value) {
				return false
			}
		}
		return true
	case m.Equals != nil:
		return strings.ToLower(value) == strings.ToLower(*m.Equals)
	case m.StartsWith != nil:
		return strings.HasPrefix(strings.ToLower(value), strings.ToLower(*m.StartsWith))
	case m.EndsWith != nil:
		return strings.HasSuffix(strings.ToLower(value), strings.ToLower(*m.EndsWith))
	case m.Contains != nil:
		return strings.Contains(strings.ToLower(value), strings.ToLower(*m.Contains))
	case m.Regex != nil:
		m.once.Do(func() {
			// An invalid pattern matches nothing (overrides are validated when loaded).
			m.re, _ = compileRegex(*m.Regex)
			if m.re != nil {
				m.re.MatchTimeout = 100 * time.Millisecond // a pathological user regex cannot stall the pipeline
			}
		})
		if m.re == nil {
			return false
		}
		ok, err := m.re.MatchString(value)
		return err == nil && ok
	}
	return false
}

// compileRegex compiles a genai-prices regex clause (Python re syntax; regexp2's default mode is
// the closest to it).
func compileRegex(pattern string) (*regexp2.Regexp, error) {
	return regexp2.Compile(pattern, regexp2.None)
}
