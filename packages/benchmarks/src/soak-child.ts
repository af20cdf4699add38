// The collector-down soak, in its own process: our init() (as in the ours-init-6 scenario) exporting OTLP/HTTP to a
// port on 127.0.0.1 where nothing listens, N plain calls with the RSS read every 10% of them, then shutdown() timed.
// Started by soak.ts with fork(); sends its SoakResult over IPC.
import type { SoakChildOptions, SoakResult, SoakSample } from './soak.js';

// As in child.ts: no source maps (tsx turns them on; they cost memory a plain-JavaScript app does not spend).
process.setSourceMapsEnabled(false);
const { createServer } = await import('node:net');
const { createRequire } = await import('node:module');
const { cannedFetch, MODEL } = await import('./canned.js');

const require = createRequire(import.meta.url);
const gc = (globalThis as { gc?: () => void }).gc;

/** A port that was free a moment ago and that nothing listens on now: every export is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function sample(calls: number): SoakSample {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return { calls, rssMB: m.rss / 1e6, heapMB: m.heapUsed / 1e6 };
}

/** Follows private fields of the SDK objects; undefined as soon as one is missing (another SDK version). */
function field(from: unknown, ...path: (string | number)[]): unknown {
  let o = from;
  for (const key of path) o = o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined;
  return o;
}
const ms = (v: unknown) => (typeof v === 'number' ? v : undefined);

/** The export timeouts init() configured, read from the live SDK objects rather than restated here. */
function exportTimeouts(sdk: unknown): SoakResult['timeouts'] {
  const processors = field(sdk, '_tracerProvider', '_activeSpanProcessor', '_spanProcessors');
  const batch = Array.isArray(processors)
    ? processors.find((p) => ms(field(p, '_exportTimeoutMillis')) !== undefined)
    : undefined;
  const reader = field(sdk, '_meterProvider', '_sharedState', 'metricCollectors', 0, '_metricReader');
  return {
    otlpTracesMs: ms(field(batch, '_exporter', '_delegate', '_timeout')),
    otlpMetricsMs: ms(field(reader, '_exporter', '_delegate', '_timeout')),
    batchSpanProcessorMs: ms(field(batch, '_exportTimeoutMillis')),
    metricReaderMs: ms(field(reader, '_exportTimeout')),
    metricIntervalMs: ms(field(reader, '_exportInterval')),
  };
}

async function main(options: SoakChildOptions): Promise<SoakResult> {
  const endpoint = `http://127.0.0.1:${await closedPort()}`;
  const { init } = await import('@otel-llm-cost/node');
  // The defaults a user gets (http/protobuf, metrics every 60 s, unless OTEL_* says otherwise): only the endpoint is given.
  const handle = init({ serviceName: 'bench-soak', endpoint, esmHook: false });
  await handle.ready;
  const mod = require('openai') as { OpenAI: new (o: Record<string, unknown>) => unknown };
  const client = new mod.OpenAI({
    apiKey: 'sk-bench',
    baseURL: 'https://api.openai.com/v1',
    maxRetries: 0,
    fetch: cannedFetch,
  }) as { chat: { completions: { create(body: Record<string, unknown>): Promise<unknown> } } };
  const messages = [{ role: 'user', content: 'Say hello.' }];

  const steps = 10;
  const samples = [sample(0)];
  // Time and CPU of the calls only: the gc of each sample is not counted.
  let cpuUs = 0;
  let wallNs = 0n;
  let made = 0;
  for (let step = 1; step <= steps; step++) {
    const until = Math.round((options.calls * step) / steps);
    const cpu = process.cpuUsage();
    const wall = process.hrtime.bigint();
    while (made < until) {
      await client.chat.completions.create({ model: MODEL, messages });
      made++;
      // The canned transport resolves in microtasks; a real call waits on I/O, and meanwhile the exporters' timers
      // and sockets run. Without this turn of the event loop no export would ever start during the soak.
      await new Promise((resolve) => setImmediate(resolve));
    }
    wallNs += process.hrtime.bigint() - wall;
    const used = process.cpuUsage(cpu);
    cpuUs += used.user + used.system;
    samples.push(sample(made));
  }
  const callsSeconds = Number(wallNs) / 1e9;

  const timeouts = exportTimeouts(handle.sdk);
  const start = process.hrtime.bigint();
  await handle.shutdown();
  const shutdownMs = Number(process.hrtime.bigint() - start) / 1e6;
  return {
    calls: made,
    endpoint,
    // As init() reads it (packages/node/src/sdk/env.ts); the option is not given here.
    protocol:
      process.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? process.env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf',
    samples,
    callsSeconds,
    cpuUsPerCall: made > 0 ? cpuUs / made : 0,
    shutdownMs,
    timeouts,
  };
}

const options = JSON.parse(process.argv[2] ?? '{}') as SoakChildOptions;
main(options).then(
  (result) => {
    // Exit at once: a refused export may still have a retry timer pending, which is not ours to wait for.
    process.send?.({ type: 'result', result }, () => process.exit(0));
  },
  (error: unknown) => {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.send?.({ type: 'error', message }, () => process.exit(1));
  },
);
