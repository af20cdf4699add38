// One scenario in its own process: set up telemetry, load openai, time plain and streamed calls over the canned
// transport, read the RSS and the heap after many calls, then make one plain and one streamed call and report their spans.
// Started by runner.ts with fork(); talks to it over IPC.
import type { SpanSummary } from './pipeline.js';
import type { ScenarioId } from './scenarios.js';

// tsx turns source maps on; Node then reads and keeps the source map of every module it loads and maps every
// stack trace, which an app running plain JavaScript does not do (heap +10..24 MiB in these scenarios).
// Off before anything else is loaded: everything below is imported dynamically.
process.setSourceMapsEnabled(false);
const { cannedFetch, MODEL } = await import('./canned.js');
const { startScenario } = await import('./scenarios.js');

export interface ChildOptions {
  scenario: ScenarioId;
  warmupCalls: number;
  rounds: number;
  /** Plain calls per round. */
  plainCalls: number;
  /** Streamed calls per round. */
  streamCalls: number;
  /** Plain calls made in total (timing rounds included) before the heap is measured. */
  memoryCalls: number;
  /** RSS is read at the first point outside a timed round where this many plain calls were made (0: not read). */
  rssCalls?: number;
  /**
   * Every call runs inside a request, as in a server: the context of one SERVER span carrying a route, a
   * customer and a feature (what an HTTP instrumentation and the app set). The baseline runs the same way, so
   * the cost of a context that is already there (Node 22's AsyncLocalStorage hooks every promise once a context
   * was entered) is the app's, not the instrumentation's.
   */
  inRequest?: boolean;
  sinkUrl?: string;
}

export interface ChildResult {
  scenario: ScenarioId;
  /** CPU µs per plain call, one value per round. */
  plainUs: number[];
  /** CPU µs per streamed call (100 chunks), one value per round. */
  streamUs: number[];
  /** The same in wall-clock µs. */
  plainWallUs: number[];
  streamWallUs: number[];
  /** Chunks the caller saw per streamed call. */
  chunksSeen: number;
  heapBeforeMiB: number;
  heapAfterMiB: number;
  plainCallsMade: number;
  /** RSS in MB (10^6 bytes, after gc) once `rssCallsMade` plain calls were made; absent when not read (and in old runs). */
  rssMB?: number;
  rssCallsMade?: number;
  /** RSS in MB next to the heap reading (after `plainCallsMade` calls). */
  rssEndMB?: number;
  /** LLM spans of the correctness calls (undefined: read by the parent's OTLP sink). */
  plainSpans?: SpanSummary[];
  streamSpans?: SpanSummary[];
  metricNames?: string[];
  /** What the child wrote to stderr (warnings of the instrumentation), filled in by the parent. */
  stderr?: string;
}

export type ChildMessage =
  | { type: 'result'; result: ChildResult }
  | { type: 'capture'; kind: 'plain' | 'stream'; id: number }
  | { type: 'error'; message: string };

type ParentMessage = { type: 'captured'; id: number };

const gc = (globalThis as { gc?: () => void }).gc;

function heapMiB(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

/** Resident set size in MB (10^6 bytes), after gc: what the process holds of the machine's memory. */
function rssMB(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().rss / 1e6;
}

/** Runs a call in the context of a request's SERVER span (see ChildOptions.inRequest). */
async function requestContext(): Promise<(fn: () => Promise<void>) => Promise<void>> {
  const { context, trace, SpanKind } = await import('@opentelemetry/api');
  const server = trace.getTracer('bench-app').startSpan('POST /chat', {
    kind: SpanKind.SERVER,
    attributes: { 'http.route': '/chat', 'app.customer.id': 'acme', 'app.feature': 'support-chat' },
  });
  const ctx = trace.setSpan(context.active(), server);
  return (fn) => context.with(ctx, fn);
}

let nextId = 0;
function askParentToCapture(kind: 'plain' | 'stream'): Promise<void> {
  const id = nextId++;
  return new Promise((resolve) => {
    const onMessage = (m: ParentMessage) => {
      if (m.type === 'captured' && m.id === id) {
        process.off('message', onMessage);
        resolve();
      }
    };
    process.on('message', onMessage);
    process.send?.({ type: 'capture', kind, id } satisfies ChildMessage);
  });
}

async function main(options: ChildOptions): Promise<ChildResult> {
  const sc = await startScenario(options.scenario, options.sinkUrl);
  const client = new sc.OpenAI({
    apiKey: 'sk-bench',
    baseURL: 'https://api.openai.com/v1',
    maxRetries: 0,
    fetch: cannedFetch,
  });
  const messages = [{ role: 'user', content: 'Say hello.' }];
  const inRequest = options.inRequest ? await requestContext() : undefined;
  let plainCallsMade = 0;
  const plainCall = async () => {
    await client.chat.completions.create({ model: MODEL, messages });
    plainCallsMade++;
  };
  const plain = inRequest ? () => inRequest(plainCall) : plainCall;
  let chunksSeen = 0;
  const streamedCall = async () => {
    const stream = (await client.chat.completions.create({
      model: MODEL,
      messages,
      stream: true,
    })) as AsyncIterable<unknown>;
    let n = 0;
    for await (const _chunk of stream) n++;
    chunksSeen = n;
  };
  const streamed = inRequest ? () => inRequest(streamedCall) : streamedCall;

  const heapBeforeMiB = heapMiB();
  for (let i = 0; i < options.warmupCalls; i++) await plain();
  for (let i = 0; i < Math.ceil(options.warmupCalls / 20); i++) await streamed();

  const plainUs: number[] = [];
  const streamUs: number[] = [];
  const plainWallUs: number[] = [];
  const streamWallUs: number[] = [];
  // CPU time of the process (all threads: the main thread, GC helpers, libuv), so that other load on the machine
  // does not count; the loop is CPU-bound (the transport never waits), so on an idle machine wall ≈ CPU.
  const measure = async (n: number, fn: () => Promise<void>, cpuOut: number[], wallOut: number[]) => {
    const cpu = process.cpuUsage();
    const wall = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await fn();
    const used = process.cpuUsage(cpu);
    wallOut.push(Number(process.hrtime.bigint() - wall) / 1000 / n);
    cpuOut.push((used.user + used.system) / n);
  };
  // RSS is read once, between rounds (never inside a timed one), as soon as enough calls were made.
  const rssCalls = options.rssCalls ?? 0;
  let rss: { mb: number; calls: number } | undefined;
  const readRssWhenDue = async (roundsLeft: boolean) => {
    if (rss || rssCalls <= 0 || plainCallsMade < rssCalls) return;
    rss = { mb: rssMB(), calls: plainCallsMade };
    // A forced gc makes the next few thousand calls 1.2x to 3x slower (measured in every scenario): warm up again
    // before the next timed round. For the same reason no gc runs between the warm-up and the first round.
    if (roundsLeft) for (let i = 0; i < options.warmupCalls; i++) await plain();
  };
  // Plain and streamed rounds alternate, so that slow drift of the machine touches both alike.
  for (let r = 0; r < options.rounds; r++) {
    await measure(options.plainCalls, plain, plainUs, plainWallUs);
    await measure(options.streamCalls, streamed, streamUs, streamWallUs);
    await readRssWhenDue(r < options.rounds - 1);
  }
  while (plainCallsMade < rssCalls) await plain();
  await readRssWhenDue(false);

  while (plainCallsMade < options.memoryCalls) await plain();
  await sc.flush();
  await new Promise((r) => setTimeout(r, 50));
  const heapAfterMiB = heapMiB();
  const rssEndMB = rssMB();

  // Correctness: one plain and one streamed call, each flushed and read back on its own.
  await sc.flush();
  await plain();
  await sc.flush();
  let plainSpans = sc.lastSpans();
  if (!plainSpans) await askParentToCapture('plain');
  await streamed();
  await sc.flush();
  let streamSpans = sc.lastSpans();
  if (!streamSpans) await askParentToCapture('stream');
  const metricNames = await sc.metricNames();
  await sc.shutdown();
  // Spans carry attribute objects only; keep LLM-looking spans (a scenario may also trace the fetch).
  const llm = (s: SpanSummary[] | undefined) => s?.filter((x) => /gpt|chat|openai/i.test(x.name));
  plainSpans = llm(plainSpans);
  streamSpans = llm(streamSpans);
  return {
    scenario: options.scenario,
    plainUs,
    streamUs,
    plainWallUs,
    streamWallUs,
    chunksSeen,
    heapBeforeMiB,
    heapAfterMiB,
    plainCallsMade,
    rssMB: rss?.mb,
    rssCallsMade: rss?.calls,
    rssEndMB,
    plainSpans,
    streamSpans,
    metricNames,
  };
}

const options = JSON.parse(process.argv[2] ?? '{}') as ChildOptions;
main(options).then(
  (result) => {
    process.send?.({ type: 'result', result } satisfies ChildMessage, () => process.exit(0));
  },
  (error: unknown) => {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.send?.({ type: 'error', message } satisfies ChildMessage, () => process.exit(1));
  },
);
