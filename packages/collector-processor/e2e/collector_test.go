//go:build e2e

// Package e2e runs the built otelcol-llmcost binary (bash collector-config/build.sh) with the
// pipeline configs of collector-config/, sends spans over OTLP/HTTP JSON shaped like other
// languages' instrumentations, and reads back the file exporter and the prometheus exporter.
//
//	bash collector-config/build.sh && cd packages/collector-processor && go test -tags e2e -count=1 ./e2e/
package e2e

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

const repo = "../../.."

type collector struct {
	httpPort, promPort int
	tracesFile         string
	logs               *bytes.Buffer
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// start runs the collector binary with a config of collector-config/ on free loopback ports.
func start(t *testing.T, config string) *collector {
	t.Helper()
	bin := os.Getenv("LLMCOST_COLLECTOR_BIN")
	if bin == "" {
		bin = filepath.Join(repo, ".cache", "collector", "otelcol-llmcost")
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("collector binary %s not found: build it with `bash collector-config/build.sh` (or set LLMCOST_COLLECTOR_BIN)", bin)
	}
	c := &collector{httpPort: freePort(t), promPort: freePort(t), tracesFile: filepath.Join(t.TempDir(), "traces.jsonl"), logs: &bytes.Buffer{}}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "--config", filepath.Join(repo, "collector-config", config))
	cmd.Env = append(os.Environ(),
		fmt.Sprintf("LLMCOST_OTLP_GRPC_PORT=%d", freePort(t)),
		fmt.Sprintf("LLMCOST_OTLP_HTTP_PORT=%d", c.httpPort),
		fmt.Sprintf("LLMCOST_PROMETHEUS_PORT=%d", c.promPort),
		fmt.Sprintf("LLMCOST_TELEMETRY_PORT=%d", freePort(t)),
		"LLMCOST_TRACES_FILE="+c.tracesFile,
		// Costs are checked against the bundled, pinned price data: no live document may change them.
		"LLMCOST_PRICE_DATA_URL=off",
	)
	cmd.Stdout, cmd.Stderr = c.logs, c.logs
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("collector log:\n%s", c.logs.String())
		}
	})
	eventually(t, "the collector to listen", func() error {
		_, err := c.scrape()
		if err != nil {
			return err
		}
		resp, err := http.Post(c.url("/v1/traces"), "application/json", strings.NewReader(`{}`))
		if err != nil {
			return err
		}
		resp.Body.Close()
		return nil
	})
	return c
}

func (c *collector) url(path string) string {
	return fmt.Sprintf("http://127.0.0.1:%d%s", c.httpPort, path)
}

func eventually(t *testing.T, what string, f func() error) {
	t.Helper()
	var err error
	for i := 0; i < 300; i++ { // up to ~30 s
		if err = f(); err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s: %v", what, err)
}

func (c *collector) post(t *testing.T, path, file string) {
	t.Helper()
	body, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(c.url(path), "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("POST %s %s: %s %s", path, file, resp.Status, b)
	}
}

// spans reads every span the file exporter wrote, by name.
func (c *collector) spans() (map[string]pcommon.Map, error) {
	f, err := os.Open(c.tracesFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]pcommon.Map{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		td, err := (&ptrace.JSONUnmarshaler{}).UnmarshalTraces(sc.Bytes())
		if err != nil {
			return nil, err
		}
		for i := 0; i < td.ResourceSpans().Len(); i++ {
			rs := td.ResourceSpans().At(i)
			svc, _ := rs.Resource().Attributes().Get("service.name")
			for j := 0; j < rs.ScopeSpans().Len(); j++ {
				ss := rs.ScopeSpans().At(j).Spans()
				for k := 0; k < ss.Len(); k++ {
					out[svc.Str()+"/"+ss.At(k).Name()] = ss.At(k).Attributes()
				}
			}
		}
	}
	return out, sc.Err()
}

type sample struct {
	name   string
	labels map[string]string
	value  float64
}

var labelRe = regexp.MustCompile(`([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"`)

func (c *collector) scrape() ([]sample, error) {
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/metrics", c.promPort))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("/metrics: %s", resp.Status)
	}
	var out []sample
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		sp := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[sp+1:], 64)
		if err != nil {
			return nil, fmt.Errorf("bad sample %q", line)
		}
		s := sample{labels: map[string]string{}, value: v}
		head := line[:sp]
		if i := strings.IndexByte(head, '{'); i >= 0 {
			s.name = head[:i]
			for _, m := range labelRe.FindAllStringSubmatch(head[i:], -1) {
				s.labels[m[1]] = m[2]
			}
		} else {
			s.name = head
		}
		out = append(out, s)
	}
	return out, sc.Err()
}

// find returns the samples of a metric whose labels include all of want.
func find(samples []sample, name string, want map[string]string) []sample {
	var out []sample
	for _, s := range samples {
		if s.name != name {
			continue
		}
		ok := true
		for k, v := range want {
			if s.labels[k] != v {
				ok = false
			}
		}
		if ok {
			out = append(out, s)
		}
	}
	return out
}

func fixture(name string) string { return filepath.Join("..", "testdata", "otlp", name) }

type priced struct{ cost, input, output float64 }

// Hand-computed from the providers' per-million prices (see processor_test.go for the arithmetic).
var wantSpans = map[string]priced{
	"py-openinference-app/ChatCompletion#gpt-4o-mini": {0.0004032, 0.0002232, 0.00018},
	"py-openllmetry-app/anthropic.chat":               {0.01965, 0.00765, 0.012},
	"py-openllmetry-app/openai.chat":                  {0.004085, 0.003085, 0.001},
}

func checkSpans(t *testing.T, c *collector) {
	t.Helper()
	var got map[string]pcommon.Map
	eventually(t, "priced spans in the file exporter", func() error {
		var err error
		if got, err = c.spans(); err != nil {
			return err
		}
		for _, k := range []string{"py-openllmetry-app/anthropic.chat", "py-openllmetry-app/openai.chat", "py-openinference-app/ChatCompletion"} {
			if _, ok := got[k]; !ok {
				return fmt.Errorf("span %s not written yet", k)
			}
		}
		return nil
	})
	for key, w := range wantSpans {
		a, ok := got[strings.Split(key, "#")[0]]
		if strings.HasSuffix(key, "#gpt-4o-mini") {
			a, ok = findModel(t, c, "gpt-4o-mini-2024-07-18")
		}
		if !ok {
			t.Errorf("%s: missing", key)
			continue
		}
		cost, _ := a.Get("gen_ai.usage.cost")
		in, _ := a.Get("llmcost.cost.input")
		out, _ := a.Get("llmcost.cost.output")
		by, _ := a.Get("llmcost.priced_by")
		if cost.Double() != w.cost || in.Double() != w.input || out.Double() != w.output || by.Str() != "collector" {
			t.Errorf("%s: cost %v (in %v, out %v, by %q), want %v (in %v, out %v, by collector)",
				key, cost.Double(), in.Double(), out.Double(), by.Str(), w.cost, w.input, w.output)
		}
	}
}

// findModel finds the span of a model among spans that share a name.
func findModel(t *testing.T, c *collector, model string) (pcommon.Map, bool) {
	f, err := os.ReadFile(c.tracesFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range bytes.Split(f, []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		td, err := (&ptrace.JSONUnmarshaler{}).UnmarshalTraces(line)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < td.ResourceSpans().Len(); i++ {
			for j := 0; j < td.ResourceSpans().At(i).ScopeSpans().Len(); j++ {
				ss := td.ResourceSpans().At(i).ScopeSpans().At(j).Spans()
				for k := 0; k < ss.Len(); k++ {
					if m, ok := ss.At(k).Attributes().Get("llm.model_name"); ok && m.Str() == model {
						return ss.At(k).Attributes(), true
					}
				}
			}
		}
	}
	return pcommon.Map{}, false
}

func TestTracesOnlyPipeline(t *testing.T) {
	c := start(t, "config.traces-only.yaml")
	c.post(t, "/v1/traces", fixture("openinference.json"))
	c.post(t, "/v1/traces", fixture("openllmetry.json"))
	c.post(t, "/v1/traces", fixture("semconv.json"))
	c.post(t, "/v1/traces", fixture("malformed.json"))
	// The Node SDK's own metric for the span it priced in semconv.json (llmcost.sdk.metrics = true).
	c.post(t, "/v1/metrics", "testdata/sdk-metrics.json")
	checkSpans(t, c)

	type series struct {
		name   string
		labels map[string]string
		value  float64
	}
	want := []series{
		// Derived from priced spans: one span per series, so the exact span cost.
		{"llmcost_cost_USD_total", map[string]string{"job": "py-openinference-app", "gen_ai_request_model": "gpt-4o-mini-2024-07-18", "gen_ai_provider_name": "openai", "app_feature": "search", "deployment_environment_name": "prod", "llmcost_cost_source": "pricing_data"}, 0.0004032},
		{"llmcost_cost_USD_total", map[string]string{"job": "py-openinference-app", "gen_ai_request_model": "claude-sonnet-4-20250514", "app_feature": "chat"}, 0.04065},
		{"llmcost_cost_USD_total", map[string]string{"job": "py-openllmetry-app", "gen_ai_request_model": "claude-sonnet-4-20250514", "app_team": "core", "deployment_environment_name": "staging"}, 0.01965},
		{"llmcost_cost_USD_total", map[string]string{"job": "java-app", "gen_ai_request_model": "gemini-2.5-pro"}, 0.64},
		// Priced by the SDK, which sent this metric itself: counted once (0.5), not again from the span.
		{"llmcost_cost_USD_total", map[string]string{"job": "java-app", "gen_ai_request_model": "gpt-4o"}, 0.5},
		{"llmcost_request_cost_USD_count", map[string]string{"job": "py-openllmetry-app", "gen_ai_request_model": "gpt-4o"}, 1},
		{"llmcost_request_cost_USD_sum", map[string]string{"job": "py-openllmetry-app", "gen_ai_request_model": "gpt-4o"}, 0.004085},
		{"llmcost_tokens_total", map[string]string{"job": "py-openinference-app", "gen_ai_request_model": "gpt-4o-mini-2024-07-18", "llmcost_token_type": "input"}, 2000},
		{"llmcost_tokens_total", map[string]string{"job": "py-openinference-app", "gen_ai_request_model": "gpt-4o-mini-2024-07-18", "llmcost_token_type": "cache_read"}, 1024},
		{"llmcost_tokens_total", map[string]string{"job": "py-openinference-app", "gen_ai_request_model": "claude-sonnet-4-20250514", "llmcost_token_type": "cache_creation"}, 5000},
		{"llmcost_tokens_total", map[string]string{"job": "py-openllmetry-app", "gen_ai_request_model": "gpt-4o", "llmcost_token_type": "output"}, 100},
		// 3000 * (3 - 0.30) / 1e6
		{"llmcost_cache_savings_USD_total", map[string]string{"job": "py-openllmetry-app", "gen_ai_request_model": "claude-sonnet-4-20250514"}, 0.0081},
		{"llmcost_unpriced_requests_total", map[string]string{"job": "java-app", "gen_ai_request_model": "my-finetune-x", "llmcost_unpriced_reason": "unknown_model", "deployment_environment_name": "prod"}, 1},
		{"gen_ai_client_token_usage_count", map[string]string{"job": "py-openllmetry-app", "gen_ai_request_model": "gpt-4o", "gen_ai_token_type": "input"}, 1},
		{"gen_ai_client_token_usage_sum", map[string]string{"job": "py-openllmetry-app", "gen_ai_request_model": "gpt-4o", "gen_ai_token_type": "input"}, 1234},
		// Of the malformed gpt-4o spans only the consistent one counts tokens: 100 input + 50 read + 80 written.
		{"llmcost_tokens_total", map[string]string{"job": "bad-app", "gen_ai_request_model": "gpt-4o", "llmcost_token_type": "input"}, 230},
		{"llmcost_unpriced_requests_total", map[string]string{"job": "bad-app", "llmcost_unpriced_reason": "invalid_usage", "gen_ai_request_model": "gpt-4o"}, 4},
		// Spans last 1.5 s.
		{"gen_ai_client_operation_duration_seconds_sum", map[string]string{"job": "java-app", "gen_ai_request_model": "gemini-2.5-pro"}, 1.5},
	}
	var samples []sample
	eventually(t, "derived metrics on /metrics", func() error {
		var err error
		if samples, err = c.scrape(); err != nil {
			return err
		}
		for _, w := range want {
			if len(find(samples, w.name, w.labels)) == 0 {
				return fmt.Errorf("no %s%v yet", w.name, w.labels)
			}
		}
		return nil
	})
	for _, w := range want {
		got := find(samples, w.name, w.labels)
		if len(got) != 1 || got[0].value != w.value {
			t.Errorf("%s%v = %v, want one series of %v", w.name, w.labels, got, w.value)
		}
	}
	// The span already priced by the SDK adds no token series of its own either.
	if s := find(samples, "llmcost_tokens_total", map[string]string{"job": "java-app", "gen_ai_request_model": "gpt-4o"}); len(s) != 0 {
		t.Errorf("tokens derived from an SDK-metered span: %v", s)
	}
}

func TestSDKMetricsPipeline(t *testing.T) {
	c := start(t, "config.sdk-metrics.yaml")
	c.post(t, "/v1/traces", fixture("openinference.json"))
	c.post(t, "/v1/traces", fixture("openllmetry.json"))
	c.post(t, "/v1/metrics", "testdata/sdk-metrics.json")
	checkSpans(t, c)
	var samples []sample
	eventually(t, "the SDK's metric on /metrics", func() error {
		var err error
		if samples, err = c.scrape(); err != nil {
			return err
		}
		if len(find(samples, "llmcost_cost_USD_total", nil)) == 0 {
			return fmt.Errorf("no llmcost_cost_USD_total yet")
		}
		return nil
	})
	got := find(samples, "llmcost_cost_USD_total", nil)
	// Only the SDK's metric: pipeline (a) derives nothing from spans. The environment label was
	// copied from the resource attribute.
	if len(got) != 1 || got[0].value != 0.5 || got[0].labels["job"] != "java-app" || got[0].labels["deployment_environment_name"] != "prod" {
		t.Errorf("llmcost_cost_USD_total = %+v, want only the SDK's series (0.5, job java-app, environment prod)", got)
	}
}
