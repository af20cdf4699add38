// Formats the rows as one side-by-side table (plain text, also valid Markdown) plus the machine it ran on.
import os from 'node:os';
import { EXPECTED_COST, STREAM_CHUNKS, USAGE } from './canned.js';
import { type Check, costIsRight, type Row, tokensAreRight } from './runner.js';

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
  const body = rows.map((r) => [
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
    r.info.pipeline === 'none' ? '-' : `${tokensCell(r.plainCheck)} · ${tokensCell(r.streamCheck)}`,
    r.info.pipeline === 'none' ? '-' : costCell(r.plainCheck),
    r.info.pipeline === 'none' ? '-' : costCell(r.streamCheck),
  ]);
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
