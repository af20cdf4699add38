// Runs scenarios in child processes (one process per scenario run), collects their timings and spans, and
// turns them into rows: medians, spread, ratios to the no-instrumentation baseline, and the correctness check.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AttributeValue } from '@opentelemetry/api';
import { EXPECTED_COST, STREAM_CHUNKS, USAGE } from './canned.js';
import type { ChildMessage, ChildOptions, ChildResult } from './child.js';
import type { SpanSummary } from './pipeline.js';
import type { ScenarioId, ScenarioInfo } from './scenarios.js';
import type { OtlpSink } from './sink.js';

export interface RunOptions {
  warmupCalls: number;
  rounds: number;
  plainCalls: number;
  streamCalls: number;
  memoryCalls: number;
  /** RSS is read once this many plain calls were made (issue 12 compares RSS after 22,000 calls). */
  rssCalls: number;
  /** Every call in a request's context (child.ts ChildOptions.inRequest). */
  inRequest?: boolean;
}

// Many short rounds rather than a few long ones: on a shared machine the median of many rounds is steadier.
// 6,000 warm-up calls: after 3,000 the first two rounds still ran 1.5x to 4x slower than the rest in every scenario
// (results/2026-11-22T2025Z.json), the code still being optimized.
export const FULL: RunOptions = {
  warmupCalls: 6000,
  rounds: 15,
  plainCalls: 1500,
  streamCalls: 100,
  memoryCalls: 100_000,
  rssCalls: 22_000,
};
export const QUICK: RunOptions = {
  warmupCalls: 10,
  rounds: 1,
  plainCalls: 10,
  streamCalls: 2,
  memoryCalls: 30,
  rssCalls: 30,
};

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));

/** How every measured child process is started: Node flags, working directory, environment. */
export function childProcessOptions() {
  return {
    execArgv: ['--expose-gc', '--import', 'tsx'],
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'] as ('ignore' | 'inherit' | 'pipe' | 'ipc')[],
    // The bundled price data, never a live document: every scenario prices the same table, and no
    // background fetch runs during a timed round.
    env: {
      ...process.env,
      OTEL_SDK_DISABLED: undefined,
      OTEL_TRACES_EXPORTER: undefined,
      LLMCOST_PRICE_DATA_URL: process.env.LLMCOST_PRICE_DATA_URL ?? 'off',
    },
  };
}

/** Runs one scenario in a fresh process. The sink (if any) answers the child's capture requests. */
export function runChild(
  info: ScenarioInfo,
  options: RunOptions,
  sink: OtlpSink | undefined,
  timeoutMs = 15 * 60_000,
  /**
   * Run the child under another program (instructions.ts: valgrind): `execArgv` are its arguments up to and
   * including node and node's own flags; the usual node flags and the child script follow.
   */
  launcher?: { execPath: string; execArgv: string[] },
): Promise<ChildResult> {
  const childOptions: ChildOptions = { scenario: info.id, ...options, sinkUrl: sink?.url };
  sink?.reset();
  return new Promise((resolve, reject) => {
    const base = childProcessOptions();
    const launch = launcher
      ? { ...base, execPath: launcher.execPath, execArgv: [...launcher.execArgv, ...base.execArgv] }
      : base;
    const child = fork(CHILD, [JSON.stringify(childOptions)], launch);
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const captured: Record<'plain' | 'stream', SpanSummary[]> = { plain: [], stream: [] };
    let result: ChildResult | undefined;
    let failure: string | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'capture') {
        captured[m.kind] = sink?.lastSpans() ?? [];
        child.send({ type: 'captured', id: m.id });
      } else if (m.type === 'result') result = m.result;
      else if (m.type === 'error') failure = m.message;
    });
    // 'close', not 'exit': what the child (or its launcher) writes to stderr as it exits is read too.
    child.on('close', (code) => {
      clearTimeout(timer);
      if (result) {
        const llm = (s: SpanSummary[]) => s.filter((x) => /gpt|chat|openai/i.test(x.name));
        result.plainSpans ??= llm(captured.plain);
        result.streamSpans ??= llm(captured.stream);
        result.metricNames ??= sink?.metricNames();
        result.stderr = stderr.trim() || undefined;
        resolve(result);
      } else reject(new Error(`${info.id}: ${failure ?? `exited with ${code}`}\n${stderr}`));
    });
  });
}

// ---- statistics -------------------------------------------------------------------------------------------

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/** Half the interquartile range, as a fraction of the median (robust to the odd round another process spoiled). */
export function spread(xs: number[]): number {
  const m = median(xs);
  return m > 0 ? (quantile(xs, 0.75) - quantile(xs, 0.25)) / 2 / m : 0;
}

// ---- correctness --------------------------------------------------------------------------------------------

export interface Check {
  span: boolean;
  inputTokens?: number;
  outputTokens?: number;
  /** The attribute the cost came from and its value, if any numeric *cost* attribute was set. */
  costKey?: string;
  cost?: number;
}

const num = (v: AttributeValue | undefined) => (typeof v === 'number' ? v : undefined);

export function check(spans: SpanSummary[] | undefined): Check {
  const span = spans?.[0];
  if (!span) return { span: false };
  const a = span.attributes;
  const costKey =
    a['gen_ai.usage.cost'] !== undefined
      ? 'gen_ai.usage.cost'
      : Object.keys(a).find((k) => /cost/i.test(k) && typeof a[k] === 'number');
  return {
    span: true,
    inputTokens: num(a['gen_ai.usage.input_tokens']) ?? num(a['gen_ai.usage.prompt_tokens']),
    outputTokens: num(a['gen_ai.usage.output_tokens']) ?? num(a['gen_ai.usage.completion_tokens']),
    costKey,
    cost: costKey ? num(a[costKey]) : undefined,
  };
}

export function costIsRight(c: Check): boolean {
  return c.cost !== undefined && Math.abs(c.cost - EXPECTED_COST) < 1e-12;
}

export function tokensAreRight(c: Check): boolean {
  return c.inputTokens === USAGE.prompt_tokens && c.outputTokens === USAGE.completion_tokens;
}

// ---- rows -------------------------------------------------------------------------------------------------------

export interface Row {
  info: ScenarioInfo;
  plainUs: number;
  plainSpread: number;
  streamUs: number;
  streamSpread: number;
  /** Wall-clock medians (the table shows CPU time). */
  plainWallUs: number;
  streamWallUs: number;
  /** µs per chunk: streamed call / chunks. */
  chunkUs: number;
  /** vs the baseline scenario (same openai version); undefined for the baseline itself. */
  plainRatio?: number;
  streamRatio?: number;
  plainOverheadUs?: number;
  /** Extra µs per chunk: (stream overhead - plain overhead) / chunks. */
  chunkOverheadUs?: number;
  heapAfterMiB: number;
  heapGrowthMiB: number;
  /** Plain calls made before the heap was read. */
  heapCalls: number;
  /** RSS MB (after gc) once `rssCalls` plain calls were made; undefined in runs saved before RSS was read. */
  rssMB?: number;
  rssCalls?: number;
  /** RSS MB next to the heap reading (after `heapCalls` calls). */
  rssEndMB?: number;
  /** rssMB minus that of the baseline scenario (no instrumentation, same openai); undefined for the baseline. */
  rssOverBaselineMB?: number;
  plainCheck: Check;
  streamCheck: Check;
  chunksSeen: number;
  metricNames: string[];
  rounds: number;
  stderr?: string;
}

export function buildRows(infos: ScenarioInfo[], results: Map<ScenarioId, ChildResult[]>): Row[] {
  const base = new Map<ScenarioId, { plain: number; stream: number; rss?: number }>();
  const rows: Row[] = [];
  for (const info of infos) {
    const runs = results.get(info.id);
    if (!runs?.length) continue;
    const plain = runs.flatMap((r) => r.plainUs);
    const stream = runs.flatMap((r) => r.streamUs);
    const last = runs[runs.length - 1]!;
    // The heap is read from the runs that made the most calls (later passes skip the long memory phase).
    const most = Math.max(...runs.map((r) => r.plainCallsMade));
    const memRuns = runs.filter((r) => r.plainCallsMade === most);
    // RSS is read in the first pass only (like the heap); old saved runs have none.
    const rssRuns = runs.filter((r) => r.rssMB !== undefined);
    const rssEnd = memRuns.flatMap((r) => (r.rssEndMB === undefined ? [] : [r.rssEndMB]));
    const row: Row = {
      info,
      plainUs: median(plain),
      plainSpread: spread(plain),
      streamUs: median(stream),
      streamSpread: spread(stream),
      plainWallUs: median(runs.flatMap((r) => r.plainWallUs)),
      streamWallUs: median(runs.flatMap((r) => r.streamWallUs)),
      chunkUs: median(stream) / STREAM_CHUNKS,
      heapAfterMiB: median(memRuns.map((r) => r.heapAfterMiB)),
      heapGrowthMiB: median(memRuns.map((r) => r.heapAfterMiB - r.heapBeforeMiB)),
      heapCalls: memRuns[0]!.plainCallsMade,
      rssMB: rssRuns.length ? median(rssRuns.map((r) => r.rssMB!)) : undefined,
      rssCalls: rssRuns[0]?.rssCallsMade,
      rssEndMB: rssEnd.length ? median(rssEnd) : undefined,
      plainCheck: check(last.plainSpans),
      streamCheck: check(last.streamSpans),
      chunksSeen: last.chunksSeen,
      metricNames: last.metricNames ?? [],
      rounds: plain.length,
      stderr: runs.map((r) => r.stderr).find(Boolean),
    };
    if (info.baseline === info.id) base.set(info.id, { plain: row.plainUs, stream: row.streamUs, rss: row.rssMB });
    rows.push(row);
  }
  for (const row of rows) {
    const b = base.get(row.info.baseline);
    if (!b || row.info.baseline === row.info.id) continue;
    row.plainRatio = row.plainUs / b.plain;
    row.streamRatio = row.streamUs / b.stream;
    row.plainOverheadUs = row.plainUs - b.plain;
    row.chunkOverheadUs = (row.streamUs - b.stream - row.plainOverheadUs) / STREAM_CHUNKS;
    if (row.rssMB !== undefined && b.rss !== undefined) row.rssOverBaselineMB = row.rssMB - b.rss;
  }
  return rows;
}
