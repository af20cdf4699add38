package llmcostprocessor // import "github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor"

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor/internal/pricing"
)

// Outcomes of a price data update (attribute `result` of otelcol_processor_llmcost_price_data_updates).
const (
	updateSuccess  = "success"  // a document was accepted, or the one in use is still current
	updateFailure  = "failure"  // the fetch failed: network, HTTP status, size cap
	updateRejected = "rejected" // a document was fetched but failed validation
)

// cacheFile is the disk cache of the last accepted live document.
type cacheFile struct {
	URL       string          `json:"url"`
	FetchedAt string          `json:"fetched_at"`
	Document  json.RawMessage `json:"document"`
}

// priceUpdater keeps the pricer's data current from a live genai-prices document: it loads the disk
// cache at start, then fetches in the background at once and every interval. A document replaces the
// data only when it passes pricing.ParseLive; otherwise the data in use stays.
type priceUpdater struct {
	cfg       PriceDataConfig
	cachePath string // "" when the disk cache is off
	pricer    *pricing.Pricer
	base      *pricing.Data
	client    *http.Client
	logger    *zap.Logger
	tel       *telemetry
	now       func() time.Time

	mu      sync.Mutex // one refresh at a time
	etag    string
	current [32]byte // sha256 of the live document in use (zero: bundled data)

	cancel context.CancelFunc
	done   chan struct{}
}

func newPriceUpdater(cfg PriceDataConfig, pricer *pricing.Pricer, base *pricing.Data, tel *telemetry, logger *zap.Logger) *priceUpdater {
	if cfg.URL == "" || cfg.URL == off {
		return nil
	}
	u := &priceUpdater{
		cfg: cfg, pricer: pricer, base: base, tel: tel, logger: logger, now: time.Now,
		client: &http.Client{Timeout: cfg.Timeout},
	}
	switch cfg.CachePath {
	case off:
	case "":
		if dir, err := os.UserCacheDir(); err == nil {
			u.cachePath = filepath.Join(dir, "otel-llm-cost", "genai-prices-live.json")
		} else {
			logger.Info("llmcost: no user cache directory, so no disk cache of live price data; set price_data.cache_path to keep one", zap.Error(err))
		}
	default:
		u.cachePath = cfg.CachePath
	}
	return u
}

// start uses the disk cache at once, then updates in the background; it never blocks on the network.
func (u *priceUpdater) start() {
	if u == nil {
		return
	}
	u.loadCache()
	ctx, cancel := context.WithCancel(context.Background())
	u.cancel, u.done = cancel, make(chan struct{})
	go u.loop(ctx)
}

// shutdown stops the updater (an in-flight fetch is cancelled) and waits for it.
func (u *priceUpdater) shutdown(ctx context.Context) error {
	if u == nil || u.cancel == nil {
		return nil
	}
	u.cancel()
	select {
	case <-u.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (u *priceUpdater) loop(ctx context.Context) {
	defer close(u.done)
	t := time.NewTicker(u.cfg.Interval)
	defer t.Stop()
	for {
		u.refresh(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// refresh fetches the document once and records the outcome.
func (u *priceUpdater) refresh(ctx context.Context) string {
	u.mu.Lock()
	defer u.mu.Unlock()
	result := u.fetchAndApply(ctx)
	if ctx.Err() == nil || result != updateFailure { // a fetch cut short by shutdown is no failure
		u.tel.recordUpdate(context.Background(), result)
	}
	return result
}

func (u *priceUpdater) fetchAndApply(ctx context.Context) string {
	doc, notModified, err := u.fetch(ctx)
	if err != nil {
		if ctx.Err() == nil {
			u.logger.Warn("llmcost: price data update failed; the prices in use stay", zap.String("url", u.cfg.URL),
				zap.String("price_data", u.pricer.Version()), zap.Error(err))
		}
		return updateFailure
	}
	if notModified {
		return updateSuccess
	}
	doc = bytes.TrimSpace(doc)
	sum := sha256.Sum256(doc)
	if sum == u.current {
		return updateSuccess // the document in use is still current
	}
	fetchedAt := u.now()
	d, err := pricing.ParseLive(doc, u.cfg.URL, fetchedAt, u.base)
	if err != nil {
		u.etag = "" // fetch it again next time
		u.logger.Warn("llmcost: rejected the fetched price data document; the prices in use stay", zap.String("url", u.cfg.URL),
			zap.String("price_data", u.pricer.Version()), zap.Error(err))
		return updateRejected
	}
	u.pricer.SetData(d)
	u.current = sum
	u.logger.Info("llmcost: price data updated", zap.String("url", u.cfg.URL), zap.String("price_data", d.Version),
		zap.Int("providers", len(d.Providers)), zap.Int("models", d.Models))
	u.writeCache(doc, fetchedAt)
	return updateSuccess
}

func (u *priceUpdater) fetch(ctx context.Context) (doc []byte, notModified bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.cfg.URL, nil)
	if err != nil {
		return nil, false, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "otel-llm-cost-llmcostprocessor")
	if u.etag != "" {
		req.Header.Set("If-None-Match", u.etag)
	}
	resp, err := u.client.Do(req)
	if err != nil {
		return nil, false, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotModified && u.etag != "" {
		return nil, true, nil
	}
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		return nil, false, fmt.Errorf("HTTP %s", resp.Status)
	}
	if resp.ContentLength > u.cfg.MaxBytes {
		return nil, false, fmt.Errorf("the document is %d bytes, above price_data.max_bytes (%d)", resp.ContentLength, u.cfg.MaxBytes)
	}
	doc, err = io.ReadAll(io.LimitReader(resp.Body, u.cfg.MaxBytes+1))
	if err != nil {
		return nil, false, fmt.Errorf("reading the document: %w", err)
	}
	if int64(len(doc)) > u.cfg.MaxBytes {
		return nil, false, fmt.Errorf("the document is larger than price_data.max_bytes (%d)", u.cfg.MaxBytes)
	}
	u.etag = resp.Header.Get("ETag")
	return doc, false, nil
}

// loadCache uses the cached document of the configured URL, if it is there and still valid.
func (u *priceUpdater) loadCache() {
	if u.cachePath == "" {
		return
	}
	raw, err := os.ReadFile(u.cachePath)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			u.logger.Warn("llmcost: cannot read the price data cache; starting from the bundled prices", zap.String("cache_path", u.cachePath), zap.Error(err))
		}
		return
	}
	var c cacheFile
	if err := json.Unmarshal(raw, &c); err != nil {
		u.logger.Warn("llmcost: ignoring an unreadable price data cache", zap.String("cache_path", u.cachePath), zap.Error(err))
		return
	}
	if c.URL != u.cfg.URL {
		u.logger.Info("llmcost: ignoring the price data cache of another URL", zap.String("cache_path", u.cachePath), zap.String("cached_url", c.URL))
		return
	}
	fetchedAt, err := time.Parse(time.RFC3339Nano, c.FetchedAt)
	if err != nil {
		u.logger.Warn("llmcost: ignoring a price data cache without a valid fetched_at", zap.String("cache_path", u.cachePath), zap.Error(err))
		return
	}
	doc := bytes.TrimSpace(c.Document)
	d, err := pricing.ParseLive(doc, c.URL, fetchedAt, u.base)
	if err != nil {
		u.logger.Warn("llmcost: ignoring an invalid price data cache", zap.String("cache_path", u.cachePath), zap.Error(err))
		return
	}
	u.mu.Lock()
	u.pricer.SetData(d)
	u.current = sha256.Sum256(doc)
	u.mu.Unlock()
	u.logger.Info("llmcost: pricing from the cached live price data until the next update", zap.String("cache_path", u.cachePath),
		zap.String("price_data", d.Version), zap.Int("models", d.Models))
}

// writeCache stores an accepted document (temporary file, then rename: readers never see half a file).
func (u *priceUpdater) writeCache(doc []byte, fetchedAt time.Time) {
	if u.cachePath == "" {
		return
	}
	err := func() error {
		dir := filepath.Dir(u.cachePath)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		head, err := json.Marshal(struct {
			URL       string `json:"url"`
			FetchedAt string `json:"fetched_at"`
		}{u.cfg.URL, pricing.FormatFetchedAt(fetchedAt)})
		if err != nil {
			return err
		}
		f, err := os.CreateTemp(dir, ".genai-prices-live-*.tmp")
		if err != nil {
			return err
		}
		defer os.Remove(f.Name()) // no-op after the rename
		// {"url":...,"fetched_at":...,"document":<the document as fetched>}
		var b bytes.Buffer
		b.Write(head[:len(head)-1])
		b.WriteString(`,"document":`)
		b.Write(doc)
		b.WriteString("}\n")
		if _, err := f.Write(b.Bytes()); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		return os.Rename(f.Name(), u.cachePath)
	}()
	if err != nil {
		u.logger.Warn("llmcost: cannot write the price data cache (the live prices are in use; the next start begins from the bundled ones)",
			zap.String("cache_path", u.cachePath), zap.Error(err))
	}
}
