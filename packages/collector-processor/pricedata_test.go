package llmcostprocessor

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processorhelper"
	"go.opentelemetry.io/collector/processor/processortest"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"

	"github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor/internal/metadata"
)

var liveVersion = regexp.MustCompile(`^live@\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$`)

// docServer serves whatever document it was last given, over real HTTP.
type docServer struct {
	*httptest.Server
	mu       sync.Mutex
	status   int
	body     []byte
	etag     string
	requests int
}

func newDocServer(t *testing.T, body []byte) *docServer {
	s := &docServer{status: http.StatusOK, body: body}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.requests++
		if s.etag != "" {
			if r.Header.Get("If-None-Match") == s.etag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", s.etag)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(s.status)
		_, _ = w.Write(s.body)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *docServer) serve(status int, body []byte) {
	s.mu.Lock()
	s.status, s.body = status, body
	s.mu.Unlock()
}

// liveDocument is the bundled document with changes: the providers kept (nil: all) and one model added
// to openai that the bundled data does not have.
func liveDocument(t *testing.T, keepProviders int) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("internal", "pricing", "data", "genai-prices.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc []map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for _, p := range doc {
		if p["id"] == "openai" {
			p["models"] = append(p["models"].([]any), map[string]any{
				"id": "acme-live-1", "match": map[string]any{"equals": "acme-live-1"},
				"prices": map[string]any{"input_mtok": 1, "output_mtok": 2},
			})
		}
	}
	if keepProviders > 0 {
		doc = doc[:keepProviders]
	}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

type liveProc struct {
	p      *llmcostProcessor
	traces processor.Traces
	sink   *consumertest.TracesSink
	reader *sdkmetric.ManualReader
}

// newLiveProc builds the processor as the factory does, keeping the inner processor at hand.
func newLiveProc(t *testing.T, cfg *Config) *liveProc {
	t.Helper()
	reader := sdkmetric.NewManualReader()
	set := processortest.NewNopSettings(metadata.Type)
	set.TelemetrySettings.MeterProvider = sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	p, err := newProcessor(set, cfg)
	if err != nil {
		t.Fatal(err)
	}
	sink := new(consumertest.TracesSink)
	tr, err := processorhelper.NewTraces(context.Background(), set, cfg, consumer.Traces(sink), p.processTraces,
		processorhelper.WithCapabilities(consumer.Capabilities{MutatesData: true}),
		processorhelper.WithStart(p.start), processorhelper.WithShutdown(p.shutdown))
	if err != nil {
		t.Fatal(err)
	}
	return &liveProc{p: p, traces: tr, sink: sink, reader: reader}
}

func (lp *liveProc) start(t *testing.T) {
	t.Helper()
	if err := lp.traces.Start(context.Background(), componenttest.NewNopHost()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = lp.traces.Shutdown(context.Background()) })
}

// waitFor polls the processor's own counters until f holds.
func (lp *liveProc) waitFor(t *testing.T, what string, f func(map[string]int64) bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c := counters(t, lp.reader)
		if f(c) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s (counters %v)", what, c)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

const (
	updatesSuccess  = "otelcol_processor_llmcost_price_data_updates{result=success}"
	updatesFailure  = "otelcol_processor_llmcost_price_data_updates{result=failure}"
	updatesRejected = "otelcol_processor_llmcost_price_data_updates{result=rejected}"
)

// price sends one semconv span through the processor and returns its attributes.
func (lp *liveProc) price(t *testing.T, model string, in, out int64, extra map[string]any) pcommon.Map {
	t.Helper()
	base := map[string]any{attrProvider: "openai", attrRequestModel: model, attrInputTokens: in, attrOutputTokens: out}
	return lp.send(t, "chat "+model, mergeRaw(base, extra))
}

// send sends one span (ended 2026-11-20 12:00 UTC) through the processor and returns its attributes.
func (lp *liveProc) send(t *testing.T, name string, attrs map[string]any) pcommon.Map {
	t.Helper()
	td := ptrace.NewTraces()
	s := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans().AppendEmpty()
	s.SetName(name)
	s.SetEndTimestamp(pcommon.NewTimestampFromTime(time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)))
	if err := s.Attributes().FromRaw(attrs); err != nil {
		t.Fatal(err)
	}
	if err := lp.traces.ConsumeTraces(context.Background(), td); err != nil {
		t.Fatal(err)
	}
	all := lp.sink.AllTraces()
	return all[len(all)-1].ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0).Attributes()
}

func mergeRaw(a, b map[string]any) map[string]any {
	for k, v := range b {
		a[k] = v
	}
	return a
}

func str(a pcommon.Map, k string) string {
	v, _ := a.Get(k)
	return v.AsString()
}

func dbl(a pcommon.Map, k string) float64 {
	v, _ := a.Get(k)
	return v.Double()
}

func liveConfig(url, cache string) *Config {
	return &Config{PriceData: PriceDataConfig{URL: url, Interval: time.Hour, Timeout: 5 * time.Second, MaxBytes: 16 << 20, CachePath: cache}}
}

func TestLiveDataPricesAModelOnlyItHas(t *testing.T) {
	srv := newDocServer(t, liveDocument(t, 0))
	cache := filepath.Join(t.TempDir(), "sub", "live.json")
	lp := newLiveProc(t, liveConfig(srv.URL, cache))
	// Before the update: the bundled data does not know the model.
	if a := lp.price(t, "acme-live-1", 1000, 1000, nil); str(a, attrUnpricedReason) != "unknown_model" || str(a, attrPriceDataVersion) != "genai-prices@0.2.3" {
		t.Fatalf("before the update: %v", a.AsRaw())
	}
	lp.start(t)
	lp.waitFor(t, "the first update", func(c map[string]int64) bool { return c[updatesSuccess] == 1 })
	// 1000 * 1 / 1e6 + 1000 * 2 / 1e6
	a := lp.price(t, "acme-live-1", 1000, 1000, nil)
	if dbl(a, attrCost) != 0.003 || !liveVersion.MatchString(str(a, attrPriceDataVersion)) || str(a, attrPricingModel) != "acme-live-1" {
		t.Errorf("after the update: %v", a.AsRaw())
	}
	version := str(a, attrPriceDataVersion)
	// Unpriced spans name the data they were looked up in, too.
	if a := lp.price(t, "no-such-model", 1, 1, nil); str(a, attrPriceDataVersion) != version {
		t.Errorf("unpriced after the update: %v", a.AsRaw())
	}
	// The accepted document is cached as {url, fetched_at, document}.
	raw, err := os.ReadFile(cache)
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		URL       string            `json:"url"`
		FetchedAt string            `json:"fetched_at"`
		Document  []json.RawMessage `json:"document"`
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	if c.URL != srv.URL || "live@"+c.FetchedAt != version || len(c.Document) != 47 {
		t.Errorf("cache file: url %q fetched_at %q, %d providers", c.URL, c.FetchedAt, len(c.Document))
	}
	if entries, _ := os.ReadDir(filepath.Dir(cache)); len(entries) != 1 {
		t.Errorf("cache directory holds %d files, want only the cache (no temporary files left)", len(entries))
	}
}

func TestLiveDataRejectsBadDocumentsAndKeepsTheLastGood(t *testing.T) {
	srv := newDocServer(t, liveDocument(t, 0))
	lp := newLiveProc(t, liveConfig(srv.URL, "off"))
	lp.start(t)
	lp.waitFor(t, "the first update", func(c map[string]int64) bool { return c[updatesSuccess] == 1 })
	good := str(lp.price(t, "acme-live-1", 1000, 1000, nil), attrPriceDataVersion)
	if !liveVersion.MatchString(good) {
		t.Fatalf("version %q", good)
	}
	ctx := context.Background()
	for _, c := range []struct {
		name, want string
		status     int
		body       []byte
	}{
		{"invalid document", updateRejected, http.StatusOK, []byte(`[{"id": "openai", "models": [{"id": "gpt-4o", "match": {"equals": "gpt-4o"}, "prices": {"input_mtok": -2.5}}]}]`)},
		{"most providers dropped", updateRejected, http.StatusOK, liveDocument(t, 10)},
		{"not JSON", updateRejected, http.StatusOK, []byte(`<html>rate limited</html>`)},
		{"HTTP error", updateFailure, http.StatusServiceUnavailable, []byte(`unavailable`)},
	} {
		srv.serve(c.status, c.body)
		if got := lp.p.updater.refresh(ctx); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
		a := lp.price(t, "acme-live-1", 1000, 1000, nil)
		if dbl(a, attrCost) != 0.003 || str(a, attrPriceDataVersion) != good {
			t.Errorf("%s: the last good data is not in use: %v", c.name, a.AsRaw())
		}
	}
	counts := counters(t, lp.reader)
	if counts[updatesRejected] != 3 || counts[updatesFailure] != 1 || counts[updatesSuccess] != 1 {
		t.Errorf("update counters %v", counts)
	}
	// A document above max_bytes is not read (a fetch failure).
	lp.p.updater.cfg.MaxBytes = 100 << 10
	srv.serve(http.StatusOK, liveDocument(t, 0))
	if got := lp.p.updater.refresh(ctx); got != updateFailure {
		t.Errorf("oversized document: %s", got)
	}
	// The same document again is no change: still success, same version.
	lp.p.updater.cfg.MaxBytes = 16 << 20
	srv.serve(http.StatusOK, liveDocument(t, 0))
	if got := lp.p.updater.refresh(ctx); got != updateSuccess || lp.p.pricer.Version() != good {
		t.Errorf("unchanged document: %s, version %s (was %s)", got, lp.p.pricer.Version(), good)
	}
}

func TestLiveDataETag(t *testing.T) {
	srv := newDocServer(t, liveDocument(t, 0))
	srv.etag = `"v1"`
	lp := newLiveProc(t, liveConfig(srv.URL, "off"))
	ctx := context.Background()
	if got := lp.p.updater.refresh(ctx); got != updateSuccess {
		t.Fatal(got)
	}
	v := lp.p.pricer.Version()
	srv.serve(http.StatusOK, []byte("not sent: the server answers 304"))
	if got := lp.p.updater.refresh(ctx); got != updateSuccess || lp.p.pricer.Version() != v {
		t.Errorf("304: %s %s", got, lp.p.pricer.Version())
	}
}

func unreachableURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr + "/data.json"
}

func TestLiveDataUnreachableKeepsBundled(t *testing.T) {
	lp := newLiveProc(t, liveConfig(unreachableURL(t), filepath.Join(t.TempDir(), "live.json")))
	lp.start(t)
	lp.waitFor(t, "the failed fetch", func(c map[string]int64) bool { return c[updatesFailure] == 1 })
	// gpt-4o: 1234 * 2.5 / 1e6 + 100 * 10 / 1e6
	a := lp.price(t, "gpt-4o", 1234, 100, nil)
	if dbl(a, attrCost) != 0.004085 || str(a, attrPriceDataVersion) != "genai-prices@0.2.3" {
		t.Errorf("%v", a.AsRaw())
	}
}

func TestLiveDataDiskCacheOnRestart(t *testing.T) {
	srv := newDocServer(t, liveDocument(t, 0))
	cache := filepath.Join(t.TempDir(), "live.json")
	first := newLiveProc(t, liveConfig(srv.URL, cache))
	first.start(t)
	first.waitFor(t, "the first update", func(c map[string]int64) bool { return c[updatesSuccess] == 1 })
	version := first.p.pricer.Version()
	if err := first.traces.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	url := srv.URL
	srv.Close() // the URL is unreachable from now on

	second := newLiveProc(t, liveConfig(url, cache))
	second.start(t)
	// The cache is used at start, before any fetch.
	a := second.price(t, "acme-live-1", 1000, 1000, nil)
	if dbl(a, attrCost) != 0.003 || str(a, attrPriceDataVersion) != version {
		t.Errorf("after restart: %v (want version %s)", a.AsRaw(), version)
	}
	second.waitFor(t, "the failed fetch", func(c map[string]int64) bool { return c[updatesFailure] == 1 })
	if v := second.p.pricer.Version(); v != version {
		t.Errorf("after the failed fetch: %s", v)
	}
	// A cache of another URL is not used.
	third := newLiveProc(t, liveConfig(unreachableURL(t), cache))
	third.start(t)
	if v := third.p.pricer.Version(); v != "genai-prices@0.2.3" {
		t.Errorf("cache of another URL used: %s", v)
	}
}

func TestLiveDataShutdownIsPrompt(t *testing.T) {
	release := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer hang.Close()
	defer close(release)
	lp := newLiveProc(t, &Config{PriceData: PriceDataConfig{URL: hang.URL, Interval: time.Hour, Timeout: time.Minute, MaxBytes: 16 << 20, CachePath: "off"}})
	if err := lp.traces.Start(context.Background(), componenttest.NewNopHost()); err != nil {
		t.Fatal(err)
	}
	// Span processing does not wait for the fetch.
	if a := lp.price(t, "gpt-4o", 1000, 0, nil); dbl(a, attrCost) != 0.0025 {
		t.Errorf("%v", a.AsRaw())
	}
	time.Sleep(50 * time.Millisecond) // the fetch is in flight
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	began := time.Now()
	if err := lp.traces.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(began); d > time.Second {
		t.Errorf("shutdown took %v", d)
	}
	if c := counters(t, lp.reader); c[updatesFailure] != 0 {
		t.Errorf("a fetch cut short by shutdown counted as a failure: %v", c)
	}
}

func TestOverridesWinOverLiveData(t *testing.T) {
	srv := newDocServer(t, liveDocument(t, 0))
	dir := t.TempDir()
	ov := filepath.Join(dir, "prices.yaml")
	if err := writeFile(ov, "models: [{ model: acme-live-1, prices: { input_mtok: 10, output_mtok: 20 } }]"); err != nil {
		t.Fatal(err)
	}
	cfg := liveConfig(srv.URL, "off")
	cfg.OverridesFile = ov
	lp := newLiveProc(t, cfg)
	lp.start(t)
	lp.waitFor(t, "the first update", func(c map[string]int64) bool { return c[updatesSuccess] == 1 })
	// 1000 * 10 / 1e6 + 1000 * 20 / 1e6
	if a := lp.price(t, "acme-live-1", 1000, 1000, nil); dbl(a, attrCost) != 0.03 || str(a, attrCostSource) != "override" {
		t.Errorf("%v", a.AsRaw())
	}
}

func TestPriceContextFromSpans(t *testing.T) {
	lp := newLiveProc(t, &Config{PriceData: PriceDataConfig{URL: "off"}})
	// gpt-4o at the priority tier: $4.25/M input, $17/M output. 1000*4.25 + 100*17 = 4250 + 1700 µ$.
	a := lp.price(t, "gpt-4o", 1000, 100, map[string]any{attrOpenaiResponseServiceTier: "priority"})
	if dbl(a, attrCost) != 0.00595 || dbl(a, attrCostInput) != 0.00425 || dbl(a, attrCostOutput) != 0.0017 || str(a, attrPriceVariant) != "service_tier=priority" {
		t.Errorf("priority: %v", a.AsRaw())
	}
	// The served default tier: standard prices (1000*2.5 + 100*10), no variant attribute.
	a = lp.price(t, "gpt-4o", 1000, 100, map[string]any{attrOpenaiResponseServiceTier: "default"})
	if _, has := a.Get(attrPriceVariant); dbl(a, attrCost) != 0.0035 || has {
		t.Errorf("default: %v", a.AsRaw())
	}
	// llmcost.price.context.<key> sets any key, and wins over openai.response.service_tier.
	// Batch: $1.25/M input, $5/M output: 1250 + 500 µ$.
	a = lp.price(t, "gpt-4o", 1000, 100, map[string]any{attrOpenaiResponseServiceTier: "priority", "llmcost.price.context.service_tier": "default", "llmcost.price.context.processing": "batch"})
	if dbl(a, attrCost) != 0.00175 || str(a, attrPriceVariant) != "processing=batch" {
		t.Errorf("batch: %v", a.AsRaw())
	}
	// Claude Sonnet 5.5 reads from the cache at $0.10/M (input $2/M, output $10/M):
	// 10000 in of which 4000 read: 6000*2 + 4000*0.1 = 12400; 1000*10 = 10000; savings 4000*1.9 = 7600 µ$.
	a = lp.price(t, "claude-sonnet-5-5", 10000, 1000, map[string]any{attrProvider: "anthropic", attrCacheReadTokens: int64(4000)})
	if dbl(a, attrCost) != 0.0224 || dbl(a, attrCostInput) != 0.0124 || dbl(a, attrCostOutput) != 0.01 || dbl(a, attrCostCacheSavings) != 0.0076 {
		t.Errorf("sonnet 5.5: %v", a.AsRaw())
	}
}

func TestOpenInferenceAudioTokens(t *testing.T) {
	lp := newLiveProc(t, &Config{PriceData: PriceDataConfig{URL: "off"}})
	a := lp.send(t, "ChatCompletion", map[string]any{
		"openinference.span.kind": "LLM", "llm.provider": "openai", "llm.model_name": "gpt-4o-realtime-preview",
		"llm.token_count.prompt": int64(10000), "llm.token_count.prompt_details.audio": int64(6000),
		"llm.token_count.completion": int64(2000), "llm.token_count.completion_details.audio": int64(1500),
	})
	// gpt-4o-realtime-preview: text $5 in, $20 out; audio $40 in, $80 out (per M).
	// 4000*5 + 6000*40 = 260000; 500*20 + 1500*80 = 130000 µ$.
	if dbl(a, attrCostInput) != 0.26 || dbl(a, attrCostOutput) != 0.13 {
		t.Errorf("%v", a.AsRaw())
	}
	// The priced parts are written under our names, as @otel-llm-cost/node writes them.
	for k, want := range map[string]int64{attrAudioInputTokens: 6000, attrAudioOutputTokens: 1500} {
		if v, ok := a.Get(k); !ok || v.Int() != want {
			t.Errorf("%s = %v, want %d", k, v.AsRaw(), want)
		}
	}
	// Our own modality attributes are read too: gpt-realtime, 1000 input of which 400 image; image $5/M, text $4/M.
	// 600*4 + 400*5 = 4400 µ$.
	a = lp.price(t, "gpt-realtime", 1000, 0, map[string]any{attrImageInputTokens: int64(400)})
	if dbl(a, attrCostInput) != 0.0044 {
		t.Errorf("image input: %v", a.AsRaw())
	}
}

func TestPriceContextRules(t *testing.T) {
	for name, c := range map[string]struct {
		attrs map[string]any
		want  map[string]string
	}{
		"none":                {map[string]any{}, nil},
		"openai":              {map[string]any{attrOpenaiResponseServiceTier: "flex"}, map[string]string{"service_tier": "flex"}},
		"openai auto":         {map[string]any{attrOpenaiResponseServiceTier: "auto"}, nil},
		"anthropic batch":     {map[string]any{attrAnthropicResponseServiceTier: "batch"}, map[string]string{"processing": "batch"}},
		"anthropic tier":      {map[string]any{attrAnthropicResponseServiceTier: "priority"}, map[string]string{"service_tier": "priority"}},
		"llmcost wins":        {map[string]any{attrOpenaiResponseServiceTier: "default", "llmcost.price.context.service_tier": "flex", "llmcost.price.context.speed": "fast"}, map[string]string{"service_tier": "flex", "speed": "fast"}},
		"ignored non-strings": {map[string]any{"llmcost.price.context.": "x", "llmcost.price.context.speed": int64(3), "llmcost.price.context.route": "", attrOpenaiResponseServiceTier: true}, nil},
	} {
		m := pcommon.NewMap()
		if err := m.FromRaw(c.attrs); err != nil {
			t.Fatal(err)
		}
		got := priceContext(m)
		if len(got) != len(c.want) {
			t.Errorf("%s: %v, want %v", name, got, c.want)
			continue
		}
		for k, v := range c.want {
			if got[k] != v {
				t.Errorf("%s: %v, want %v", name, got, c.want)
			}
		}
	}
	// Through the processor: an Anthropic batch result (claude-sonnet-5-5 batch: $1/M in, $5/M out).
	lp := newLiveProc(t, &Config{PriceData: PriceDataConfig{URL: "off"}})
	a := lp.price(t, "claude-sonnet-5-5", 1000, 100, map[string]any{attrProvider: "anthropic", attrAnthropicResponseServiceTier: "batch"})
	if dbl(a, attrCost) != 0.0015 || str(a, attrPriceVariant) != "processing=batch" {
		t.Errorf("anthropic batch: %v", a.AsRaw())
	}
}

func TestEveryUnpricedReasonIsCounted(t *testing.T) {
	lp := newLiveProc(t, &Config{PriceData: PriceDataConfig{URL: "off"}})
	lp.price(t, "whisper-1", 1000, 10, nil)         // priced per audio hour only
	lp.price(t, "no-such-model-xyz", 1000, 10, nil) // unknown
	c := counters(t, lp.reader)
	for _, k := range []string{"otelcol_processor_llmcost_spans_unpriced{reason=unsupported_usage}", "otelcol_processor_llmcost_spans_unpriced{reason=unknown_model}"} {
		if c[k] != 1 {
			t.Errorf("%s = %d (all %v)", k, c[k], c)
		}
	}
	if !strings.Contains(strings.Join(reasons, ","), "unsupported_usage") {
		t.Error("unsupported_usage is not among the counted reasons")
	}
}
