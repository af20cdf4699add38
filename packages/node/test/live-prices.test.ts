import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { type Simulator, startSimulator } from '@otel-llm-cost/llm-simulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from './helpers/otlp-receiver.js';
import { ensureBuilt, runApp } from './helpers/processes.js';

// A live genai-prices document served on loopback: the bundled one plus "gpt-live-1" at $3 / $9 per 1M,
// a model no bundled data has. The simulator answers with 12 input and 5 output tokens:
// 12 * 3 / 1M + 5 * 9 / 1M = 0.000036 + 0.000045 = 0.000081.
const LIVE_COST = 0.000081;
const require = createRequire(import.meta.url);
const bundledPath = require
  .resolve('@otel-llm-cost/pricing/package.json')
  .replace('package.json', 'data/genai-prices.json');
const doc = JSON.parse(readFileSync(bundledPath, 'utf8'));
doc
  .find((p: { id: string }) => p.id === 'openai')
  .models.unshift({ id: 'gpt-live-1', match: { equals: 'gpt-live-1' }, prices: { input_mtok: 3, output_mtok: 9 } });
const bodies: Record<string, string> = { '/live.json': JSON.stringify(doc), '/broken.json': '{"not": "a list"}' };

let sim: Simulator;
let receiver: OtlpReceiver;
let server: Server;
let base: string;

beforeAll(async () => {
  ensureBuilt();
  [sim, receiver] = await Promise.all([startSimulator(), startOtlpReceiver()]);
  server = createServer((req, res) => {
    const body = bodies[req.url ?? ''];
    if (body === undefined) res.writeHead(503).end();
    else res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  await Promise.all([sim.close(), receiver.close(), new Promise((r) => server.close(r))]);
});
beforeEach(() => {
  sim.reset();
  receiver.reset();
});

const run = (path: string, model: string) =>
  runApp(['--import', '@otel-llm-cost/node/register', 'live-prices.mjs'], {
    SIM_URL: sim.openaiBaseURL,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    LLMCOST_PRICE_DATA_URL: `${base}${path}`,
    LLMCOST_PRICE_DATA_CACHE: 'off',
    MODEL: model,
  });
const llmSpan = () => receiver.spans.find((s) => s.attributes['gen_ai.operation.name'] !== undefined);

describe('live price data (LLMCOST_PRICE_DATA_URL)', () => {
  it('a model only the live document has is priced a moment after start, and the span says live data priced it', async () => {
    const r = await run('/live.json', 'gpt-live-1');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const span = llmSpan();
    expect(span?.attributes['gen_ai.usage.cost']).toBe(LIVE_COST);
    expect(span?.attributes['llmcost.price_data.version']).toMatch(/^live@\d{4}-\d{2}-\d{2}T[\d:.]+Z$/);
  });

  it.each([
    ['/broken.json', /live price data from .* rejected: the document is not a list of providers/],
    ['/down.json', /could not fetch live price data from .*HTTP 503/],
  ])('%s: one warning, and the bundled data keeps pricing', async (path, warning) => {
    const r = await run(path, 'gpt-4o');
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(warning);
    const span = llmSpan();
    // gpt-4o: 12 * 2.5 / 1M + 5 * 10 / 1M = 0.00008
    expect(span?.attributes['gen_ai.usage.cost']).toBe(0.00008);
    expect(span?.attributes['llmcost.price_data.version']).toBe('genai-prices@0.2.3');
  });
});
