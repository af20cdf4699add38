package pricing

import (
	"strings"
	"sync"
	"time"

	"github.com/dlclark/regexp2"
)

// Match is genai-prices' match logic: exactly one of the fields is set. Comparisons are
// case-insensitive, except regex, which is an ECMAScript regular expression tested as given
// (the data uses look-aheads, which Go's regexp lacks, hence regexp2 in ECMAScript mode).
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
			m.re, _ = regexp2.Compile(*m.Regex, regexp2.ECMAScript)
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
