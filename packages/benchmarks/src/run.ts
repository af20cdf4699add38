// npm run bench -w @otel-llm-cost/benchmarks [-- --quick] [--passes N] [--rounds N] [--memory CALLS] [--only ours-6,contrib-6]
// [--in-request] [--json out.json]
// (--render out.json prints a saved run's report again; --soak [CALLS] runs only the collector-down soak, 250,000 calls
// unless told; --instructions counts instructions per call under valgrind instead of timing, see instructions.ts)
// Instrumentation overhead per LLM call of otel-llm-cost and its peers, each scenario in its own process,
// one table with ratios against no instrumentation, and whether each produced a span with the right cost; then the
// RSS of each, the issue 12 goals (ours against the best peer), and a collector-down soak of our init() (a default
// run ends with a 50,000-call one; --quick and --only skip it).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ChildResult } from './child.js';
import { goal } from './goal.js';
import {
  INSTRUCTION_SCENARIOS,
  INSTRUCTION_WINDOWS,
  instructionsReport,
  QUICK_INSTRUCTION_WINDOWS,
  runInstructions,
} from './instructions.js';
import { goalBlock, type Machine, machine, machineLine, memoryTable, notes, soakBlock, table } from './report.js';
import { buildRows, FULL, QUICK, type RunOptions, runChild } from './runner.js';
import { type ScenarioId, type ScenarioInfo, scenarios } from './scenarios.js';
import { startOtlpSink } from './sink.js';
import { runSoak, SOAK_CALLS, SOAK_CALLS_DEFAULT_RUN, type SoakResult } from './soak.js';

// `--soak` takes an optional count, which parseArgs cannot express: take it (and its count) out first.
const args = process.argv.slice(2);
let soakOnly: number | undefined;
const soakAt = args.indexOf('--soak');
if (soakAt >= 0) {
  const count = args[soakAt + 1];
  const given = count !== undefined && /^\d[\d_]*$/.test(count);
  soakOnly = given ? Number(count.replaceAll('_', '')) : SOAK_CALLS;
  args.splice(soakAt, given ? 2 : 1);
}

const { values } = parseArgs({
  args,
  options: {
    quick: { type: 'boolean', default: false },
    passes: { type: 'string' },
    rounds: { type: 'string' },
    memory: { type: 'string' },
    only: { type: 'string' },
    json: { type: 'string' },
    render: { type: 'string' },
    instructions: { type: 'boolean', default: false },
    'in-request': { type: 'boolean', default: false },
  },
});

/** Everything printed after the measuring, from the results (also what --render prints of a saved run). */
function report(results: Map<ScenarioId, ChildResult[]>, infos: ScenarioInfo[], soak: SoakResult | undefined): string {
  const parts: string[] = [];
  const rows = buildRows(infos, results);
  if (rows.length > 0) {
    parts.push(table(rows), memoryTable(rows), goalBlock(goal(rows, results)), notes(rows));
  }
  if (soak) parts.push(soakBlock(soak));
  return parts.join('\n\n');
}

// --render out.json: print the report again from a saved run (no measuring). Older files have no RSS and no soak.
if (values.render) {
  const saved = JSON.parse(readFileSync(values.render, 'utf8')) as {
    machine: Machine;
    loadAtStart: number[];
    results?: Record<ScenarioId, ChildResult[]>;
    soak?: SoakResult;
  };
  const results = new Map(Object.entries(saved.results ?? {}) as [ScenarioId, ChildResult[]][]);
  const known = scenarios().filter((s) => results.has(s.id));
  console.log(
    `${report(results, known, saved.soak)}\n\nmachine: ${machineLine(saved.machine)} (load at start: ${saved.loadAtStart.join(' ')})`,
  );
  process.exit(0);
}

const options: RunOptions = { ...(values.quick ? QUICK : FULL) };
if (values.rounds) options.rounds = Number(values.rounds);
if (values.memory) options.memoryCalls = Number(values.memory);
if (values['in-request']) options.inRequest = true;
const passes = Number(values.passes ?? (values.quick ? 1 : 5));
let infos: ScenarioInfo[] = scenarios();
if (values.only) {
  const only = new Set(values.only.split(','));
  const wanted = new Set(infos.filter((s) => only.has(s.id)).flatMap((s) => [s.id, s.baseline]));
  infos = infos.filter((s) => wanted.has(s.id));
}

// The scenarios use @otel-llm-cost/node as published (its dist/); build it (and pricing) on a fresh checkout.
const root = fileURLToPath(new URL('../../..', import.meta.url));
const missing = ['packages/pricing/dist/index.js', 'packages/node/dist/index.js'].filter(
  (f) => !existsSync(`${root}/${f}`),
);
if (missing.length > 0) {
  console.log(`building @otel-llm-cost/pricing and @otel-llm-cost/node (missing: ${missing.join(', ')})`);
  execFileSync('npm', ['run', 'build', '-w', '@otel-llm-cost/pricing', '-w', '@otel-llm-cost/node'], {
    cwd: root,
    stdio: 'inherit',
  });
}

const before = machine();
console.log(`machine: ${machineLine(before)}`);

// --instructions: instructions per call under valgrind (the shared-pipeline scenarios; --only picks among them).
if (values.instructions) {
  const picked = values.only ? infos.map((s) => s.id) : INSTRUCTION_SCENARIOS;
  const counted = infos.filter((s) => picked.includes(s.id) && INSTRUCTION_SCENARIOS.includes(s.id));
  console.log(`instructions: ${counted.map((s) => s.id).join(', ')} (three runs each under valgrind; minutes each)\n`);
  const windows = values.quick ? QUICK_INSTRUCTION_WINDOWS : INSTRUCTION_WINDOWS;
  const rows = await runInstructions(counted, windows, !!values['in-request'], (line) => console.log(line));
  console.log(`\n${instructionsReport(rows, windows)}\n\nmachine: ${machineLine(machine())}`);
  if (values.json) {
    writeFileSync(values.json, JSON.stringify({ machine: machine(), instructions: rows }, null, 2));
    console.log(`raw results: ${values.json}`);
  }
  process.exit(0);
}

// --soak [CALLS]: only the collector-down soak.
if (soakOnly !== undefined) {
  console.log(`collector-down soak: ${soakOnly.toLocaleString('en')} plain calls through init(), then shutdown()\n`);
  const soak = await runSoak(soakOnly);
  const after = machine();
  console.log(`${soakBlock(soak)}\n\nmachine: ${machineLine(after)} (load at start: ${before.loadAverage.join(' ')})`);
  if (values.json) {
    writeFileSync(values.json, JSON.stringify({ machine: after, loadAtStart: before.loadAverage, soak }, null, 2));
    console.log(`raw results: ${values.json}`);
  }
  process.exit(0);
}
console.log(
  `per scenario and pass: ${options.warmupCalls} warm-up calls, ${options.rounds} rounds of ${options.plainCalls} plain + ${options.streamCalls} streamed calls, RSS after ${options.rssCalls} and heap after ${options.memoryCalls} plain calls (first pass); ${passes} pass(es), scenario order rotated each pass${options.inRequest ? '; every call inside a request span (--in-request), the baseline too' : ''}\n`,
);
// The soak is long and about our init() only: a default run ends with a short one, a quick or partial run skips it.
const soakCalls = values.quick || values.only ? 0 : SOAK_CALLS_DEFAULT_RUN;

const sink = await startOtlpSink();
const results = new Map<ScenarioId, ChildResult[]>();
try {
  for (let pass = 0; pass < passes; pass++) {
    // Rotate the order so that no scenario always runs first (or last) on a machine that drifts.
    const order = infos.map((_, i) => infos[(i + pass * 2) % infos.length]!);
    for (const info of order) {
      const t = Date.now();
      process.stdout.write(`pass ${pass + 1}/${passes} ${info.id.padEnd(12)} `);
      // RSS and heap are read in the first pass; later passes only add timing rounds.
      const passOptions = pass === 0 ? options : { ...options, memoryCalls: 0, rssCalls: 0 };
      const r = await runChild(info, passOptions, info.pipeline === 'otlp-sink' ? sink : undefined);
      const list = results.get(info.id) ?? [];
      list.push(r);
      results.set(info.id, list);
      console.log(`${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
  }
} finally {
  await sink.close();
}

let soak: SoakResult | undefined;
if (soakCalls > 0) {
  const t = Date.now();
  process.stdout.write(`collector-down soak, ${soakCalls.toLocaleString('en')} calls `);
  soak = await runSoak(soakCalls);
  console.log(`${((Date.now() - t) / 1000).toFixed(1)} s`);
}

const rows = buildRows(infos, results);
const after = machine();
console.log(`\n${report(results, infos, soak)}`);
if (soakCalls === 0) console.log('\ncollector-down soak: not run (--quick or --only); run it with --soak [CALLS]');
console.log(`\nmachine: ${machineLine(after)} (load at start: ${before.loadAverage.join(' ')})`);
if (values.json) {
  writeFileSync(
    values.json,
    JSON.stringify(
      {
        machine: after,
        loadAtStart: before.loadAverage,
        options,
        passes,
        rows,
        results: Object.fromEntries(results),
        soak,
      },
      null,
      2,
    ),
  );
  console.log(`raw results: ${values.json}`);
}
