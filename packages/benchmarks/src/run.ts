// npm run bench -w @otel-llm-cost/benchmarks [-- --quick] [--passes N] [--rounds N] [--memory CALLS] [--only ours-6,contrib-6] [--json out.json]
// (--render out.json prints a saved run's table again)
// Instrumentation overhead per LLM call of otel-llm-cost and its peers, each scenario in its own process,
// one table with ratios against no instrumentation, and whether each produced a span with the right cost.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ChildResult } from './child.js';
import { type Machine, machine, machineLine, notes, table } from './report.js';
import { buildRows, FULL, QUICK, type RunOptions, runChild } from './runner.js';
import { type ScenarioId, type ScenarioInfo, scenarios } from './scenarios.js';
import { startOtlpSink } from './sink.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    passes: { type: 'string' },
    rounds: { type: 'string' },
    memory: { type: 'string' },
    only: { type: 'string' },
    json: { type: 'string' },
    render: { type: 'string' },
  },
});

// --render out.json: print the table again from a saved run (no measuring).
if (values.render) {
  const saved = JSON.parse(readFileSync(values.render, 'utf8')) as {
    machine: Machine;
    loadAtStart: number[];
    results: Record<ScenarioId, ChildResult[]>;
  };
  const known = scenarios().filter((s) => saved.results[s.id]);
  const rows = buildRows(known, new Map(Object.entries(saved.results) as [ScenarioId, ChildResult[]][]));
  console.log(
    `${table(rows)}\n\n${notes(rows)}\n\nmachine: ${machineLine(saved.machine)} (load at start: ${saved.loadAtStart.join(' ')})`,
  );
  process.exit(0);
}

const options: RunOptions = { ...(values.quick ? QUICK : FULL) };
if (values.rounds) options.rounds = Number(values.rounds);
if (values.memory) options.memoryCalls = Number(values.memory);
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
console.log(
  `per scenario and pass: ${options.warmupCalls} warm-up calls, ${options.rounds} rounds of ${options.plainCalls} plain + ${options.streamCalls} streamed calls, heap after ${options.memoryCalls} plain calls (first pass); ${passes} pass(es), scenario order rotated each pass\n`,
);

const sink = await startOtlpSink();
const results = new Map<ScenarioId, ChildResult[]>();
try {
  for (let pass = 0; pass < passes; pass++) {
    // Rotate the order so that no scenario always runs first (or last) on a machine that drifts.
    const order = infos.map((_, i) => infos[(i + pass * 2) % infos.length]!);
    for (const info of order) {
      const t = Date.now();
      process.stdout.write(`pass ${pass + 1}/${passes} ${info.id.padEnd(12)} `);
      // The heap after 100k calls is read in the first pass; later passes only add timing rounds.
      const passOptions = pass === 0 ? options : { ...options, memoryCalls: 0 };
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

const rows = buildRows(infos, results);
const after = machine();
console.log(`\n${table(rows)}\n`);
console.log(notes(rows));
console.log(`\nmachine: ${machineLine(after)} (load at start: ${before.loadAverage.join(' ')})`);
if (values.json) {
  writeFileSync(
    values.json,
    JSON.stringify(
      { machine: after, loadAtStart: before.loadAverage, options, passes, rows, results: Object.fromEntries(results) },
      null,
      2,
    ),
  );
  console.log(`raw results: ${values.json}`);
}
