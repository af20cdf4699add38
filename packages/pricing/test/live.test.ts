/**
 * Live price data over real HTTP from a local server: a document that only the live data has prices its model
 * and says so; broken, truncated and unreachable documents leave the data in use; the disk cache survives a
 * restart; overrides still win.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPricer, type LiveOutcome, PRICE_DATA_VERSION, type PriceDocument } from '../src/index.js';

const bundled: PriceDocument = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'data', 'genai-prices.json'), 'utf8'),
);

/** The bundled document plus a model that only this one has: "gpt-live-1" at $3 / $9. */
function liveDocument(): PriceDocument {
  const doc: PriceDocument = structuredClone(bundled);
  const openai = doc.find((p) => p.id === 'openai')!;
  openai.models.unshift({
    id: 'gpt-live-1',
    match: { equals: 'gpt-live-1' },
    prices: { input_mtok: 3, output_mtok: 9 },
  });
  return doc;
}

const bodies: Record<string, string> = {
  '/live.json': JSON.stringify(liveDocument()),
  '/broken.json': '[{"id": "openai", "models": [{"id": "x", "match": {"equals": "x"}, "prices": {"input_mtok": -1}}]}]',
  '/truncated.json': JSON.stringify(liveDocument().slice(0, 3)),
  '/not-json.json': '<html>oops</html>',
};
let server: Server;
let base: string;
const hits: Record<string, number> = {};

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '';
    hits[path] = (hits[path] ?? 0) + 1;
    const body = bodies[path];
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    if (req.headers['if-none-match'] === '"v1"') {
      res.writeHead(304).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', etag: '"v1"' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const usage = { inputTokens: 1000, outputTokens: 100 };
const cacheDir = () => mkdtempSync(join(tmpdir(), 'llmcost-live-'));

function pricerFor(path: string, cachePath: string | false = false) {
  const warnings: string[] = [];
  const outcomes: LiveOutcome[] = [];
  const pricer = createPricer({
    live: { url: `${base}${path}`, cachePath, timeoutMs: 2000 },
    onWarning: (m) => warnings.push(m),
    onLiveOutcome: (o) => outcomes.push(o),
  });
  return { pricer, warnings, outcomes };
}

describe('live price data', () => {
  it('a model only the live document has is priced once it arrived, and the span can say live data priced it', async () => {
    const { pricer, warnings, outcomes } = pricerFor('/live.json');
    await pricer.ready;
    const r = pricer.price({ provider: 'openai', model: 'gpt-live-1', usage });
    // 1000 * 3 + 100 * 9 = 3900 / 1M
    expect(r.priced && r.cost).toBe(0.0039);
    expect(r.priceDataVersion).toMatch(/^live@\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(pricer.dataVersion).toBe(r.priceDataVersion);
    expect(warnings).toEqual([]);
    expect(outcomes).toEqual(['success']);
    pricer.close();
  });

  it.each([
    ['/broken.json', /rejected: provider openai: model x: price input_mtok/],
    ['/truncated.json', /rejected: it has 3 providers .* less than half of the bundled/],
    ['/not-json.json', /rejected: not JSON/],
    ['/missing.json', /could not fetch live price data .*HTTP 404/],
  ])('%s is refused whole with one warning; the bundled data keeps pricing', async (path, message) => {
    const { pricer, warnings } = pricerFor(path);
    await pricer.ready;
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(message);
    expect(pricer.dataVersion).toBe(PRICE_DATA_VERSION);
    const r = pricer.price({ provider: 'openai', model: 'gpt-4o', usage });
    expect(r.priced && r.cost).toBe(0.0035); // 1000 * 2.5 + 100 * 10 = 3500 / 1M
    expect(pricer.price({ provider: 'openai', model: 'gpt-live-1', usage }).priced).toBe(false);
    pricer.close();
  });

  it('an unreachable host warns and never blocks a call', async () => {
    const pricer = createPricer({
      live: { url: 'http://127.0.0.1:9/data.json', cachePath: false, timeoutMs: 1000 },
      onWarning: () => {},
    });
    expect(pricer.price({ provider: 'openai', model: 'gpt-4o', usage }).priced).toBe(true);
    await pricer.ready;
    expect(pricer.dataVersion).toBe(PRICE_DATA_VERSION);
    pricer.close();
  });

  it('the last good document is cached on disk, so a restart without network still has it', async () => {
    const cachePath = join(cacheDir(), 'live.json');
    const first = pricerFor('/live.json', cachePath);
    await first.pricer.ready;
    const version = first.pricer.dataVersion;
    first.pricer.close();

    const restart = createPricer({
      live: { url: 'http://127.0.0.1:9/data.json', cachePath, timeoutMs: 1000 },
      onWarning: () => {},
    });
    // available at once, before any fetch finished
    const r = restart.price({ provider: 'openai', model: 'gpt-live-1', usage });
    expect(r.priced && r.cost).toBe(0.0039);
    expect(r.priceDataVersion).toBe(version);
    await restart.ready;
    expect(restart.dataVersion).toBe(version);
    restart.close();
  });

  it('asks with the cached ETag and keeps the data on 304 Not Modified', async () => {
    const cachePath = join(cacheDir(), 'live.json');
    const first = pricerFor('/live.json', cachePath);
    await first.pricer.ready;
    first.pricer.close();
    const second = pricerFor('/live.json', cachePath);
    await second.pricer.ready;
    expect(second.outcomes).toEqual(['not_modified']);
    expect(second.pricer.price({ provider: 'openai', model: 'gpt-live-1', usage }).priced).toBe(true);
    second.pricer.close();
  });

  it('a broken cache file is ignored with a warning', async () => {
    const cachePath = join(cacheDir(), 'live.json');
    writeFileSync(cachePath, JSON.stringify({ url: 'x', fetched_at: 'y', document: [] }));
    const { pricer, warnings } = pricerFor('/missing.json', cachePath);
    await pricer.ready;
    expect(warnings[0]).toMatch(/price data cache .* is not usable/);
    expect(pricer.dataVersion).toBe(PRICE_DATA_VERSION);
    pricer.close();
  });

  it('overrides still win over live data', async () => {
    const pricer = createPricer({
      live: { url: `${base}/live.json`, cachePath: false },
      overrides: { models: [{ model: 'gpt-live-1', prices: { input_mtok: 1, output_mtok: 1 } }] },
    });
    await pricer.ready;
    const r = pricer.price({ provider: 'openai', model: 'gpt-live-1', usage });
    expect(r.priced && r.source).toBe('override');
    expect(r.priced && r.cost).toBe(0.0011); // 1000 * 1 + 100 * 1 = 1100 / 1M
    pricer.close();
  });
});
