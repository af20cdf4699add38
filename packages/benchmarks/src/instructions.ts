// Instructions per call, counted by valgrind (callgrind), for a machine too noisy to resolve tens of µs: the same
// child processes as the timed run, each scenario run three times with more plain or more streamed calls, so that
// start-up cancels out of the differences. node runs with --single-threaded, so the GC's work is on the counted
// thread; each count is split into the GC's share (the collector's entry points, inclusive) and the rest. The rest
// (the code the calls run) is deterministic to well under 1%; the GC's share moves with whether one more major GC
// falls into a window, so it is reported beside, not mixed in. Blind to what costs cycles without costing
// instructions (cache misses).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { STREAM_CHUNKS } from './canned.js';
import { FLOOR, FLOOR_ATTRS, GOAL, OURS, PEERS } from './goal.js';
import { type RunOptions, runChild } from './runner.js';
import type { ScenarioId, ScenarioInfo } from './scenarios.js';

/** The scenarios that run on the shared pipeline (the OTLP ones need the sink, whose own work would be counted). */
export const INSTRUCTION_SCENARIOS: ScenarioId[] = ['none-6', FLOOR, FLOOR_ATTRS, OURS, 'contrib-6', 'traceloop-6'];

export interface InstructionWindows {
  warmupCalls: number;
  /** Plain calls in the short and the long run. */
  plain: [number, number];
  /** Streamed calls in the short and the long run. */
  stream: [number, number];
}

export const INSTRUCTION_WINDOWS: InstructionWindows = { warmupCalls: 3000, plain: [1000, 9000], stream: [10, 90] };
/** --quick: only that it works (the figures are start-up noise). */
export const QUICK_INSTRUCTION_WINDOWS: InstructionWindows = { warmupCalls: 10, plain: [5, 15], stream: [1, 3] };

export interface InstructionRow {
  info: ScenarioInfo;
  /** Instructions per plain call, per streamed call (STREAM_CHUNKS chunks), all of them. */
  plain: number;
  stream: number;
  /** The same without the garbage collector's share (deterministic), and that share alone (quantized). */
  plainNoGc: number;
  streamNoGc: number;
  plainGc: number;
  streamGc: number;
}

/**
 * The collector's entry points on the main thread: every scavenge and mark-compact runs inside
 * Heap::CollectGarbage (allocation failures, idle tasks, forced gc() alike); incremental marking steps run from
 * allocation observers, outside it. Their inclusive counts do not overlap.
 */
const GC_ENTRY_POINTS = [
  'v8::internal::Heap::CollectGarbage(v8::internal::AllocationSpace,',
  'v8::internal::IncrementalMarking::Step(',
];

/** valgrind and callgrind_annotate (checked once per run of the bench: both must be on PATH). */
function checkValgrind(): void {
  for (const tool of ['valgrind', 'callgrind_annotate']) {
    // callgrind_annotate exits 255 even for --version: only "not found" counts.
    if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).error) {
      throw new Error(
        `--instructions counts with valgrind, and ${tool} is not on PATH: install it (apt-get install valgrind)`,
      );
    }
  }
}

/** The GC's entry points' inclusive instructions, summed from `callgrind_annotate --inclusive=yes` output. */
export function gcInstructions(annotated: string): number {
  let gc = 0;
  for (const line of annotated.split('\n')) {
    const m = /^\s*([\d,]+) \([\s\d.]+%\)\s+\S*?:(\S.*)$/.exec(line);
    if (m && GC_ENTRY_POINTS.some((f) => m[2]!.startsWith(f))) gc += Number(m[1]!.replaceAll(',', ''));
  }
  return gc;
}

interface Count {
  total: number;
  gc: number;
}

async function count(info: ScenarioInfo, options: RunOptions, dir: string, n: number): Promise<Count> {
  const out = join(dir, `${info.id}.${n}.callgrind`);
  const launcher = {
    execPath: 'valgrind',
    execArgv: [
      '--tool=callgrind',
      `--callgrind-out-file=${out}`,
      '--smc-check=all-non-file',
      process.execPath,
      '--single-threaded',
    ],
  };
  const r = await runChild(info, options, undefined, 60 * 60_000, launcher);
  const m = /Collected : (\d+)/.exec(r.stderr ?? '');
  if (!m) throw new Error(`${info.id}: no instruction count in valgrind's output:\n${r.stderr ?? ''}`);
  const annotated = execFileSync('callgrind_annotate', ['--inclusive=yes', '--threshold=100', out], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  rmSync(out, { force: true });
  return { total: Number(m[1]), gc: gcInstructions(annotated) };
}

/** Runs jobs with at most `n` at a time. */
async function pool<T>(jobs: (() => Promise<T>)[], n: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, jobs.length) }, worker));
  return out;
}

export async function runInstructions(
  infos: ScenarioInfo[],
  w: InstructionWindows = INSTRUCTION_WINDOWS,
  inRequest = false,
  progress: (line: string) => void = () => {},
): Promise<InstructionRow[]> {
  checkValgrind();
  const dir = mkdtempSync(join(tmpdir(), 'llmcost-instructions-'));
  const [p1, p2] = w.plain;
  const [s1, s2] = w.stream;
  const jobs = infos.flatMap((info) =>
    (
      [
        [p1, s1],
        [p2, s1],
        [p1, s2],
      ] as const
    ).map(([p, s], n) => async () => {
      const t = Date.now();
      const options: RunOptions = {
        warmupCalls: w.warmupCalls,
        rounds: 1,
        plainCalls: p,
        streamCalls: s,
        memoryCalls: 0,
        rssCalls: 0,
        inRequest,
      };
      const c = await count(info, options, dir, n);
      progress(
        `${info.id} ${p} plain + ${s} streamed: ${c.total.toLocaleString('en')} instructions ` +
          `(GC ${c.gc.toLocaleString('en')}), ${((Date.now() - t) / 1000).toFixed(0)} s`,
      );
      return c;
    }),
  );
  try {
    const counts = await pool(jobs, Math.max(1, availableParallelism()));
    return infos.map((info, i) => {
      const [a, b, c] = counts.slice(3 * i, 3 * i + 3) as [Count, Count, Count];
      const plain = (f: (x: Count) => number) => (f(b) - f(a)) / (p2 - p1);
      const stream = (f: (x: Count) => number) => (f(c) - f(a)) / (s2 - s1);
      const all = (x: Count) => x.total;
      const noGc = (x: Count) => x.total - x.gc;
      const gc = (x: Count) => x.gc;
      return {
        info,
        plain: plain(all),
        stream: stream(all),
        plainNoGc: plain(noGc),
        streamNoGc: stream(noGc),
        plainGc: plain(gc),
        streamGc: stream(gc),
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const k = (n: number | undefined) => (n === undefined ? '-' : `${(n / 1000).toFixed(1)}k`);
const signedK = (n: number | undefined) => (n === undefined ? '-' : `${n >= 0 ? '+' : ''}${(n / 1000).toFixed(1)}k`);

type Figures = { plain: number; stream: number };
const withGc = (r: InstructionRow): Figures => r;
const withoutGc = (r: InstructionRow): Figures => ({ plain: r.plainNoGc, stream: r.streamNoGc });

/** The table and the goal's ratios in instructions: without the GC's share (deterministic), then with it. */
export function instructionsReport(rows: InstructionRow[], w: InstructionWindows = INSTRUCTION_WINDOWS): string {
  const byId = new Map(rows.map((r) => [r.info.id, r]));
  const over = (r: InstructionRow | undefined, pick: (r: InstructionRow) => Figures) => {
    const base = r && byId.get(r.info.baseline);
    if (!r || !base || base === r) return undefined;
    const a = pick(r);
    const b = pick(base);
    const plain = a.plain - b.plain;
    return { plain, chunk: (a.stream - b.stream - plain) / STREAM_CHUNKS };
  };
  const lines = [
    `Instructions per call (valgrind callgrind, node --single-threaded; ${w.warmupCalls} warm-up calls, then ` +
      `${w.plain[0]} vs ${w.plain[1]} plain and ${w.stream[0]} vs ${w.stream[1]} streamed calls). "Without GC" leaves ` +
      "out the garbage collector's share (deterministic); the GC's share moves with whether one more major GC falls " +
      'into a window.',
    '',
    '| scenario | per call without GC | over none | GC per call | over none with GC | per stream call without GC | overhead/chunk | overhead/chunk with GC |',
    '|---|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const r of rows) {
    const o = over(r, withoutGc);
    const g = over(r, withGc);
    lines.push(
      `| ${r.info.label} | ${k(r.plainNoGc)} | ${signedK(o?.plain)} | ${k(r.plainGc)} | ${signedK(g?.plain)} | ` +
        `${k(r.streamNoGc)} | ${signedK(o?.chunk)} | ${signedK(g?.chunk)} |`,
    );
  }
  lines.push('');
  for (const [name, pick] of [
    ['without GC', withoutGc],
    ['with GC', withGc],
  ] as const) {
    const ours = over(byId.get(OURS), pick);
    const floor = over(byId.get(FLOOR), pick);
    const peers = PEERS.flatMap((id) => {
      const o = over(byId.get(id), pick);
      return o ? [{ id, ...o }] : [];
    });
    const best = peers.reduce<(typeof peers)[number] | undefined>(
      (a, p) => (a && a.plain <= p.plain ? a : p),
      undefined,
    );
    if (ours && best) {
      lines.push(
        `- ${name}, per call: ours ${signedK(ours.plain)}, best peer ${best.id} ${signedK(best.plain)}: ours/best peer ` +
          `${(ours.plain / best.plain).toFixed(2)}x (goal ≤ ${GOAL.callRatio}x)`,
      );
    }
    if (ours && best && floor) {
      lines.push(
        `- ${name}, floor ${signedK(floor.plain)} per call (${GOAL.callRatio} x best peer = ` +
          `${signedK(best.plain * GOAL.callRatio)}); above the floor: ours ${signedK(ours.plain - floor.plain)}, ` +
          `best peer ${signedK(best.plain - floor.plain)}; per chunk: floor ${signedK(floor.chunk)}, ` +
          `ours ${signedK(ours.chunk)}, best peer ${signedK(best.chunk)}`,
      );
    }
    const attrs = over(byId.get(FLOOR_ATTRS), pick);
    if (ours && floor && attrs) {
      lines.push(
        `- ${name}, floor with ours' attributes ${signedK(attrs.plain)} per call: the SDK takes ` +
          `${signedK(attrs.plain - floor.plain)} for them; ours above it (its own work) ${signedK(ours.plain - attrs.plain)}`,
      );
    }
  }
  return lines.join('\n');
}
