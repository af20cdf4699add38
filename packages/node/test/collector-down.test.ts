import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { type Simulator, startSimulator } from '@otel-llm-cost/llm-simulator';
import type OpenAIType from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, type LlmCostHandle } from '../src/index.js';

// init() exporting to a port where nothing listens (the collector is down), then a collector that comes up on that
// port, then goes away again before shutdown(). The export timeout comes from OTEL_EXPORTER_OTLP_TIMEOUT, as a
// deployment would set it; shutdown() must not take longer than it (plus a generous margin for a loaded machine).

const EXPORT_TIMEOUT_MS = 2_000;
const MARGIN_MS = 3_000;
const messages = [{ role: 'user' as const, content: 'hi' }];

/** A port that was free a moment ago and that nothing listens on now: exports to it are refused. */
async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A stand-in collector: answers every OTLP/HTTP JSON post with 200 and keeps the request models of the spans. */
interface Collector {
  posts: { path: string }[];
  spanModels: string[];
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

async function startCollector(port: number): Promise<Collector> {
  const posts: { path: string }[] = [];
  const spanModels: string[] = [];
  const server: Server = createServer(async (req, res) => {
    const text = await body(req);
    posts.push({ path: req.url ?? '' });
    if (req.url === '/v1/traces') {
      const doc = JSON.parse(text);
      for (const rs of doc.resourceSpans ?? [])
        for (const ss of rs.scopeSpans ?? [])
          for (const s of ss.spans ?? [])
            for (const kv of s.attributes ?? [])
              if (kv.key === 'gen_ai.request.model') spanModels.push(kv.value.stringValue);
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    posts,
    spanModels,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function until(condition: () => boolean, ms: number, step?: () => Promise<unknown>): Promise<boolean> {
  const end = Date.now() + ms;
  while (!condition() && Date.now() < end) {
    await step?.();
    await new Promise((r) => setTimeout(r, 50));
  }
  return condition();
}

let sim: Simulator;
let port: number;
let endpoint: string;
let handle: LlmCostHandle;
let client: OpenAIType;
const warnings: string[] = [];
const savedTimeout = process.env.OTEL_EXPORTER_OTLP_TIMEOUT;

beforeAll(async () => {
  sim = await startSimulator();
  port = await closedPort();
  endpoint = `http://127.0.0.1:${port}`;
  process.env.OTEL_EXPORTER_OTLP_TIMEOUT = String(EXPORT_TIMEOUT_MS);
  handle = init({
    serviceName: 'collector-down',
    endpoint,
    protocol: 'http/json',
    esmHook: false,
    metricExportIntervalMs: 500,
    onWarning: (m) => warnings.push(m),
  });
  const { OpenAI } = createRequire(import.meta.url)('openai') as typeof import('openai');
  client = new OpenAI({ apiKey: 'sk-test', baseURL: sim.openaiBaseURL, maxRetries: 0 });
});

afterAll(async () => {
  if (savedTimeout === undefined) delete process.env.OTEL_EXPORTER_OTLP_TIMEOUT;
  else process.env.OTEL_EXPORTER_OTLP_TIMEOUT = savedTimeout;
  await handle?.shutdown();
  await sim?.close();
});

/** Warnings that name the collector's endpoint. */
const aboutEndpoint = () => warnings.filter((w) => w.includes(endpoint));

describe('init() with the collector down', () => {
  it('calls are unaffected and the unreachable endpoint is named once per signal', async () => {
    for (let i = 0; i < 20; i++) {
      const res = await client.chat.completions.create({ model: 'gpt-4o', messages });
      expect(res.choices[0]?.message.content).toBe('Hello from the simulator.');
    }
    // The first refused export ends after its retries (within the export timeout); the metric reader exports every 500 ms.
    const reported = () => aboutEndpoint().length === 2;
    expect(await until(reported, EXPORT_TIMEOUT_MS + MARGIN_MS, () => handle.forceFlush().catch(() => undefined))).toBe(
      true,
    );
    // More calls and failed exports say nothing more.
    for (let i = 0; i < 20; i++) await client.chat.completions.create({ model: 'gpt-4o', messages });
    await handle.forceFlush().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 1_000));
    const lines = aboutEndpoint();
    expect(lines).toHaveLength(2);
    expect(lines.filter((w) => w.includes(`could not export spans to ${endpoint}/v1/traces`))).toHaveLength(1);
    expect(lines.filter((w) => w.includes(`could not export metrics to ${endpoint}/v1/metrics`))).toHaveLength(1);
  });

  it('a collector that comes up on that port receives spans and metrics again', async () => {
    const collector = await startCollector(port);
    try {
      // Calls made once the collector is up reach it: the export under way when it came up is retried into it,
      // and the ones after go as usual.
      const arrived = () =>
        collector.spanModels.includes('gpt-4o-mini') && collector.posts.some((p) => p.path === '/v1/metrics');
      const step = async () => {
        await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
        await handle.forceFlush().catch(() => undefined);
      };
      expect(await until(arrived, 15_000, step)).toBe(true);
      // Once it answers, every span of a burst arrives (nothing accepted is dropped while it is up).
      const before = collector.spanModels.filter((m) => m === 'gpt-4.1').length;
      for (let i = 0; i < 30; i++) await client.chat.completions.create({ model: 'gpt-4.1', messages });
      await handle.forceFlush();
      expect(collector.spanModels.filter((m) => m === 'gpt-4.1').length - before).toBe(30);
    } finally {
      await collector.close();
    }
  });

  it('with the collector gone again, shutdown() resolves within the export timeout and warns no more', async () => {
    for (let i = 0; i < 20; i++) await client.chat.completions.create({ model: 'gpt-4o', messages });
    const start = Date.now();
    await handle.shutdown();
    const took = Date.now() - start;
    expect(took).toBeLessThanOrEqual(EXPORT_TIMEOUT_MS + MARGIN_MS);
    expect(aboutEndpoint()).toHaveLength(2);
    expect(warnings.filter((w) => w.includes('shutdown'))).toEqual([]);
  });
});
