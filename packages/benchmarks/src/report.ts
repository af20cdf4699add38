// Formats the rows as one side-by-side table (plain text, also valid Markdown), the RSS table, the issue 12 goal
// block and the collector-down soak, plus the machine it ran on.
import os from 'node:os';
import { EXPECTED_COST, STREAM_CHUNKS, USAGE } from './canned.js';
import { GOAL, type Goal } from './goal.js';
import { type Check, costIsRight, median, type Row, tokensAreRight } from './runner.js';
import { SOAK_FLAT_MB, type SoakResult, soakVerdict } from './soak.js';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  date: string;
  loadAverage: number[];
}

export function machine(): Machine {
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);
const pct = (x: number) => `±${Math.round(x * 100)}%`;
const ratio = (x: number | undefined) => (x === undefined ? '1.00x' : `${x.toFixed(2)}x`);
const signed = (x: number | undefined, digits: number) =>
  x === undefined ? '-' : `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;

function costCell(c: Check): string {
  if (!c.span) return 'no span';
  if (c.cost === undefined) return 'none';
  return `$${Number(c.cost.toPrecision(6))}${costIsRight(c) ? '' : ' ✗'}`;
}

function tokensCell(c: Check): string {
  if (!c.span) return '-';
  if (c.inputTokens === undefined && c.outputTokens === undefined) return 'none';
  return `${c.inputTokens ?? '?'}/${c.outputTokens ?? '?'}${tokensAreRight(c) ? '' : ' ✗'}`;
}

const calls = (n: number) => (n >= 1000 ? `${Math.round(n / 1000)}k` : String(n));

export function table(rows: Row[]): string {
  const header = [
    'scenario',
    'openai',
    'µs/call',
    'vs none',
    'µs/stream call',
    'vs none',
    'µs/chunk',
    'overhead µs/call',
    'overhead µs/chunk',
    `heap MiB after ${calls(rows[0]?.heapCalls ?? 0)} calls (growth)`,
    'tokens call/stream',
    'cost call',
    'cost stream',
  ];
  const body = rows.map((r) => {
    // No spans to check, or spans whose attributes are constants: the token and cost cells say nothing.
    const unchecked = r.info.pipeline === 'none' || r.info.constant;
    return [
      r.info.label,
      r.info.openai,
      `${f1(r.plainUs)} ${pct(r.plainSpread)}`,
      ratio(r.plainRatio),
      `${f1(r.streamUs)} ${pct(r.streamSpread)}`,
      ratio(r.streamRatio),
      f2(r.chunkUs),
      signed(r.plainOverheadUs, 1),
      signed(r.chunkOverheadUs, 2),
      `${f1(r.heapAfterMiB)} (${signed(r.heapGrowthMiB, 1)})`,
      unchecked ? '-' : `${tokensCell(r.plainCheck)} · ${tokensCell(r.streamCheck)}`,
      unchecked ? '-' : costCell(r.plainCheck),
      unchecked ? '-' : costCell(r.streamCheck),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i < 2 || i >= 10 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const sep = `|${widths.map((w, i) => (i < 2 || i >= 10 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), sep, ...body.map(line)].join('\n');
}

export function notes(rows: Row[]): string {
  const lines: string[] = [];
  lines.push(
    `Canned usage: ${USAGE.prompt_tokens} input / ${USAGE.completion_tokens} output tokens of gpt-4o; the right cost at the official $2.50/$10 per 1M is $${EXPECTED_COST} (✗ marks a wrong value, "none" no cost attribute).`,
  );
  lines.push(
    `µs are CPU time of the process per call (user + system, all threads), median over all rounds. Streamed call: ${STREAM_CHUNKS} content chunks + 1 usage chunk. µs/chunk = µs per streamed call / ${STREAM_CHUNKS}; overhead µs/chunk = (stream overhead - plain overhead) / ${STREAM_CHUNKS}. ± is half the interquartile range of the rounds, relative to the median.`,
  );
  for (const r of rows) {
    const extra: string[] = [];
    extra.push(`wall clock ${f1(r.plainWallUs)} µs/call, ${f1(r.streamWallUs)} µs/stream call`);
    if (r.info.pipeline !== 'none') {
      extra.push(r.info.instrumentation);
      extra.push(
        r.info.pipeline === 'shared' ? 'shared SDK pipeline' : 'its own SDK pipeline, OTLP/HTTP JSON to a local sink',
      );
      if (r.plainCheck.costKey && r.plainCheck.costKey !== 'gen_ai.usage.cost')
        extra.push(`cost attribute: ${r.plainCheck.costKey}`);
      extra.push(`caller saw ${r.chunksSeen} chunks`);
      extra.push(`metrics: ${r.metricNames.length ? r.metricNames.join(', ') : 'none'}`);
    }
    lines.push(`- ${r.info.label} (openai ${r.info.openai}): ${extra.join('; ')}`);
    if (r.stderr) lines.push(`  stderr: ${r.stderr.split('\n').slice(0, 3).join(' / ').slice(0, 300)}`);
  }
  return lines.join('\n');
}

export function machineLine(m: Machine): string {
  return `${m.date} · ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB · Node ${m.node} · ${m.os} · load average ${m.loadAverage.join(' ')}`;
}

/** Renders a table of string cells; the columns in `left` are left-aligned, the others right-aligned. */
function grid(header: string[], body: string[][], left: Set<number>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (left.has(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const sep = `|${widths.map((w, i) => `${'-'.repeat(w + 1)}${left.has(i) ? '-' : ':'}`).join('|')}|`;
  return [line(header), sep, ...body.map(line)].join('\n');
}

const mb = (x: number | undefined) => (x === undefined ? '-' : f1(x));

/** RSS per scenario (after gc), next to no instrumentation on the same openai ("-": not read, e.g. an old run). */
export function memoryTable(rows: Row[]): string {
  const rssCalls = rows.find((r) => r.rssCalls !== undefined)?.rssCalls;
  const header = [
    'scenario',
    'openai',
    `RSS MB after ${rssCalls === undefined ? '?' : calls(rssCalls)} calls`,
    'vs none',
    `RSS MB after ${calls(rows[0]?.heapCalls ?? 0)} calls`,
  ];
  const body = rows.map((r) => [
    r.info.label,
    r.info.openai,
    mb(r.rssMB),
    r.info.baseline === r.info.id ? (r.rssMB === undefined ? '-' : '0') : signed(r.rssOverBaselineMB, 1),
    mb(r.rssEndMB),
  ]);
  return grid(header, body, new Set([0, 1]));
}

const verdict = (met: boolean | undefined) => (met === undefined ? 'not measured' : met ? 'met' : 'not met');

function ratioCell(g: Goal): string {
  if (g.callRatio !== undefined) return `${g.callRatio.toFixed(2)}x`;
  // A peer below no instrumentation is noise (too few calls, or a busy machine), not a figure to divide by.
  return g.best ? '- (the best peer is not above no instrumentation)' : '-';
}

/** The issue 12 goals, each with the figures it is computed from. */
export function goalBlock(g: Goal): string {
  const lines = ['Goal (issue 12), openai 6, from this run:'];
  const ours = g.ours;
  const peers = g.peers.map((p) => `${p.info.id} ${signed(p.plainOverheadUs, 1)}`).join(', ');
  const passes = g.passRatios.length
    ? ` (per pass: ${g.passRatios.map((x) => x.toFixed(2)).join(' ')}; median ${median(g.passRatios).toFixed(2)}x)`
    : '';
  lines.push(
    `- per call: ours (${ours?.info.id ?? 'not run'}) ${signed(ours?.plainOverheadUs, 1)} µs over no instrumentation; ` +
      `peers ${peers || 'not run'} µs; best peer ${g.best?.info.id ?? '-'}: ` +
      `ours/best peer ${ratioCell(g)}${passes}; ` +
      `goal ≤ ${GOAL.callRatio}x: ${verdict(g.callRatio === undefined ? undefined : g.callRatio <= GOAL.callRatio)}`,
  );
  const floor = g.floor;
  if (floor) {
    const f = floor.plainOverheadUs;
    const half = g.best?.plainOverheadUs === undefined ? undefined : g.best.plainOverheadUs * GOAL.callRatio;
    lines.push(
      `- floor (${floor.info.id}: one span per call in its context, nothing else): ${signed(f, 1)} µs per call, ` +
        `${signed(floor.chunkOverheadUs, 2)} µs per chunk; ${GOAL.callRatio} x best peer = ${signed(half, 1)} µs` +
        `${f !== undefined && half !== undefined && f > half ? ' (below the floor: no instrumentation that emits a span can reach it)' : ''}; ` +
        `above the floor: ours ${signed(ours?.plainOverheadUs === undefined || f === undefined ? undefined : ours.plainOverheadUs - f, 1)} µs, ` +
        `best peer ${signed(g.best?.plainOverheadUs === undefined || f === undefined ? undefined : g.best.plainOverheadUs - f, 1)} µs` +
        `${g.aboveFloorRatio === undefined ? '' : `, ours/best peer ${g.aboveFloorRatio.toFixed(2)}x`}`,
    );
  }
  const fa = g.floorAttrs;
  if (fa && floor) {
    const a = fa.plainOverheadUs;
    const f = floor.plainOverheadUs;
    const o = ours?.plainOverheadUs;
    lines.push(
      `- floor with ours' attributes (${fa.info.id}: the floor's span plus the attributes ours records, constants): ` +
        `${signed(a, 1)} µs per call, so the SDK takes ${signed(a === undefined || f === undefined ? undefined : a - f, 1)} µs ` +
        `for those attributes; ours above it (its own work: pricing, metrics, attribution, observing the result): ` +
        `${signed(o === undefined || a === undefined ? undefined : o - a, 1)} µs`,
    );
  }
  const chunk = ours?.chunkOverheadUs;
  const bestChunk = g.bestChunk
    ? `best peer ${g.bestChunk.info.id} ${signed(g.bestChunk.chunkOverheadUs, 2)} µs, ours/best peer ${g.chunkRatio === undefined ? '-' : `${g.chunkRatio.toFixed(2)}x`}`
    : 'no peer above 0 µs';
  lines.push(
    `- per chunk: ours ${signed(chunk, 2)} µs (${bestChunk}); goal ≤ ${GOAL.chunkUs} µs: ${verdict(chunk === undefined ? undefined : chunk <= GOAL.chunkUs)}`,
  );
  const over = ours?.rssOverBaselineMB;
  lines.push(
    `- RSS after ${ours?.rssCalls === undefined ? '?' : calls(ours.rssCalls)} calls: ours ${mb(ours?.rssMB)} MB, ` +
      `${signed(over, 1)} MB over no instrumentation (the pipeline alone, standing in for NodeSDK alone); ` +
      `goal ≤ +${GOAL.rssOverNoneMB} MB: ${verdict(over === undefined ? undefined : over <= GOAL.rssOverNoneMB)}`,
  );
  return lines.join('\n');
}

const seconds = (ms: number | undefined) => (ms === undefined ? '?' : `${(ms / 1000).toFixed(1)} s`);

/** The collector-down soak: RSS series, whether it is flat after warm-up, and shutdown against the export timeout. */
export function soakBlock(r: SoakResult): string {
  const v = soakVerdict(r);
  const t = r.timeouts;
  const pcts = r.samples.map((s) => `${Math.round((s.calls / Math.max(1, r.calls)) * 100)}%`);
  const col = (xs: string[]) => xs.map((x, i) => x.padStart(Math.max(x.length, pcts[i]!.length))).join(' ');
  const lines = [
    `Collector down (soak): init() exporting ${r.protocol} to ${r.endpoint} (nothing listens), ` +
      `${r.calls.toLocaleString('en')} plain calls in ${r.callsSeconds.toFixed(1)} s`,
    `  calls     ${col(pcts)}`,
    `  RSS MB    ${col(r.samples.map((s) => f1(s.rssMB)))}`,
    `  heap MB   ${col(r.samples.map((s) => f1(s.heapMB)))}`,
    `- RSS after warm-up: ${f1(v.last.rssMB)} MB at the end - ${f1(v.warm.rssMB)} MB at 20% = ${signed(v.growthMB, 1)} MB; ` +
      `goal flat (≤ +${SOAK_FLAT_MB} MB): ${verdict(v.flat)}`,
    `- shutdown(): ${(r.shutdownMs / 1000).toFixed(2)} s; configured export timeout ${seconds(v.exportTimeoutMs)} ` +
      `(OTLP exporter timeoutMillis: traces ${seconds(t.otlpTracesMs)}, metrics ${seconds(t.otlpMetricsMs)}; ` +
      `batch span processor cap ${seconds(t.batchSpanProcessorMs)}, metric reader cap ${seconds(t.metricReaderMs)} ` +
      `every ${seconds(t.metricIntervalMs)}); goal ≤ export timeout: ${verdict(v.shutdownWithinTimeout)}`,
  ];
  if (r.stderr) lines.push(`  stderr: ${r.stderr.split('\n').slice(0, 3).join(' / ').slice(0, 300)}`);
  return lines.join('\n');
}
