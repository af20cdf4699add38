// Instructions per call, counted by valgrind (callgrind), for a machine too noisy to resolve tens of µs: the same
// child processes as the timed run, each scenario run three times with more plain or more streamed calls, so that
// start-up cancels out of the differences. Deterministic to a few per cent (major GCs fall into a window or not);
// blind to what costs cycles without costing instructions (cache misses, the GC's helper threads: node runs with
// --single-threaded here, so the GC's work is on the counted thread).
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { STREAM_CHUNKS } from './canned.js';
import { FLOOR, GOAL, OURS, PEERS } from './goal.js';
import { type RunOptions, runChild } from './runner.js';
import type { ScenarioId, ScenarioInfo } from './scenarios.js';

/** The scenarios that run on the shared pipeline (the OTLP ones need the sink, whose own work would be counted). */
export const INSTRUCTION_SCENARIOS: ScenarioId[] = ['none-6', FLOOR, OURS, 'contrib-6', 'traceloop-6'];

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
  /** Instructions per plain call, per streamed call (STREAM_CHUNKS chunks). */
  plain: number;
  stream: number;
}

const VALGRIND_ARGS = ['--tool=callgrind', '--callgrind-out-file=/dev/null', '--smc-check=all-non-file'];

type Launcher = { execPath: string; execArgv: string[] };

/** valgrind starting node (checked once per run of the bench: it must be on PATH). */
function valgrindLauncher(): Launcher {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('--instructions counts with valgrind, which is not on PATH: install it (apt-get install valgrind)');
  }
  return { execPath: 'valgrind', execArgv: [...VALGRIND_ARGS, process.execPath, '--single-threaded'] };
}

async function count(info: ScenarioInfo, options: RunOptions, launcher: Launcher) {
  const r = await runChild(info, options, undefined, 60 * 60_000, launcher);
  const m = /Collected : (\d+)/.exec(r.stderr ?? '');
  if (!m) throw new Error(`${info.id}: no instruction count in valgrind's output:\n${r.stderr ?? ''}`);
  return Number(m[1]);
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
  const launcher = valgrindLauncher();
  const [p1, p2] = w.plain;
  const [s1, s2] = w.stream;
  const jobs = infos.flatMap((info) =>
    (
      [
        [p1, s1],
        [p2, s1],
        [p1, s2],
      ] as const
    ).map(([p, s]) => async () => {
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
      const n = await count(info, options, launcher);
      progress(
        `${info.id} ${p} plain + ${s} streamed: ${n.toLocaleString('en')} instructions, ${((Date.now() - t) / 1000).toFixed(0)} s`,
      );
      return n;
    }),
  );
  const counts = await pool(jobs, Math.max(1, availableParallelism()));
  return infos.map((info, i) => {
    const [a, b, c] = counts.slice(3 * i, 3 * i + 3) as [number, number, number];
    return { info, plain: (b - a) / (p2 - p1), stream: (c - a) / (s2 - s1) };
  });
}

const k = (n: number | undefined) => (n === undefined ? '-' : `${(n / 1000).toFixed(1)}k`);
const signedK = (n: number | undefined) => (n === undefined ? '-' : `${n >= 0 ? '+' : ''}${(n / 1000).toFixed(1)}k`);

/** The table and the goal's ratios in instructions. */
export function instructionsReport(rows: InstructionRow[], w: InstructionWindows = INSTRUCTION_WINDOWS): string {
  const byId = new Map(rows.map((r) => [r.info.id, r]));
  const over = (r: InstructionRow | undefined) => {
    const base = r && byId.get(r.info.baseline);
    if (!r || !base || base === r) return undefined;
    const plain = r.plain - base.plain;
    return { plain, chunk: (r.stream - base.stream - plain) / STREAM_CHUNKS };
  };
  const lines = [
    `Instructions per call (valgrind callgrind, node --single-threaded; ${w.warmupCalls} warm-up calls, then ` +
      `${w.plain[0]} vs ${w.plain[1]} plain and ${w.stream[0]} vs ${w.stream[1]} streamed calls):`,
    '',
    '| scenario | instructions/call | over none | instructions/stream call | overhead/chunk |',
    '|---|--:|--:|--:|--:|',
  ];
  for (const r of rows) {
    const o = over(r);
    lines.push(`| ${r.info.label} | ${k(r.plain)} | ${signedK(o?.plain)} | ${k(r.stream)} | ${signedK(o?.chunk)} |`);
  }
  const ours = over(byId.get(OURS));
  const floor = over(byId.get(FLOOR));
  const peers = PEERS.flatMap((id) => {
    const o = over(byId.get(id));
    return o ? [{ id, ...o }] : [];
  });
  const best = peers.reduce<(typeof peers)[number] | undefined>((a, p) => (a && a.plain <= p.plain ? a : p), undefined);
  lines.push('');
  if (ours && best) {
    lines.push(
      `- per call: ours ${signedK(ours.plain)}, best peer ${best.id} ${signedK(best.plain)}: ours/best peer ` +
        `${(ours.plain / best.plain).toFixed(2)}x (goal ≤ ${GOAL.callRatio}x)`,
    );
  }
  if (ours && best && floor) {
    lines.push(
      `- floor ${signedK(floor.plain)} per call (${GOAL.callRatio} x best peer = ${signedK(best.plain * GOAL.callRatio)}); ` +
        `above the floor: ours ${signedK(ours.plain - floor.plain)}, best peer ${signedK(best.plain - floor.plain)}; ` +
        `per chunk: floor ${signedK(floor.chunk)}, ours ${signedK(ours.chunk)}, best peer ${signedK(best.chunk)}`,
    );
  }
  return lines.join('\n');
}
