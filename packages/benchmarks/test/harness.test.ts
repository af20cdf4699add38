// Checks that the benchmark harness works: one short round of every scenario, each in its own process, produces
// the spans it should, and ours carries the right cost; the report computes the issue 12 figures from the rows;
// a short collector-down soak runs to the end. It asserts no timings (the bench script is for figures).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED_COST, USAGE } from '../src/canned.js';
import type { ChildResult } from '../src/child.js';
import { FLOOR, FLOOR_ATTRS, goal, PEERS } from '../src/goal.js';
import { gcInstructions, type InstructionRow, instructionsReport } from '../src/instructions.js';
import { goalBlock, memoryTable, soakBlock } from '../src/report.js';
import { buildRows, check, QUICK, runChild } from '../src/runner.js';
import { type ScenarioId, scenarios } from '../src/scenarios.js';
import { type OtlpSink, startOtlpSink } from '../src/sink.js';
import { runSoak, type SoakResult, soakVerdict } from '../src/soak.js';

const results = new Map<ScenarioId, ChildResult>();
/** ours-6 with every call inside a request span (--in-request). */
let inRequest: ChildResult | undefined;
const sinks: OtlpSink[] = [];
const SOAK_TEST_CALLS = 500;
let soak: SoakResult | undefined;
let soakError: unknown;

// Generous timeout: on a loaded 2-core machine the nine short runs and the soak take from 40 s to over a minute.
beforeAll(async () => {
  const infos = scenarios();
  // The soak mostly waits (its shutdown retries refused exports), so it runs beside the scenarios. Its failure is
  // kept for its own test.
  const soakDone = runSoak(SOAK_TEST_CALLS, 120_000).then(
    (r) => {
      soak = r;
    },
    (error: unknown) => {
      soakError = error;
    },
  );
  // Two at a time: fast enough, and gentle on a small machine. Each OTLP scenario gets its own sink.
  for (let i = 0; i < infos.length; i += 2) {
    await Promise.all(
      infos.slice(i, i + 2).map(async (info) => {
        const sink = info.pipeline === 'otlp-sink' ? await startOtlpSink() : undefined;
        if (sink) sinks.push(sink);
        results.set(info.id, await runChild(info, QUICK, sink, 50_000));
      }),
    );
  }
  const ours = infos.find((s) => s.id === 'ours-6')!;
  inRequest = await runChild(ours, { ...QUICK, inRequest: true }, undefined, 50_000);
  await soakDone;
}, 180_000);

afterAll(async () => {
  await Promise.all(sinks.map((s) => s.close()));
});

describe('benchmark harness (one short round per scenario)', () => {
  it('runs every scenario and times plain and streamed calls', () => {
    for (const info of scenarios()) {
      const r = results.get(info.id);
      expect(r, info.id).toBeDefined();
      expect(r?.plainUs.length).toBe(QUICK.rounds);
      expect(r?.streamUs.length).toBe(QUICK.rounds);
      expect(r?.plainCallsMade).toBeGreaterThanOrEqual(QUICK.memoryCalls);
      // 100 content chunks (+ the usage chunk, which our instrumentation hides when it asked for it itself).
      expect(r?.chunksSeen, info.id).toBeGreaterThanOrEqual(100);
    }
  });

  it('produces no LLM span without instrumentation', () => {
    for (const id of ['none-6', 'none-7'] as const) {
      expect(results.get(id)?.plainSpans ?? [], id).toHaveLength(0);
    }
  });

  it('produces a span per call for every instrumentation', () => {
    for (const id of [
      'ours-6',
      'ours-instruments-6',
      'ours-spans-6',
      'ours-7',
      'ours-init-6',
      'contrib-6',
      'traceloop-6',
      'openlit-6',
    ] as const) {
      expect(check(results.get(id)?.plainSpans).span, `${id} plain`).toBe(true);
      expect(check(results.get(id)?.streamSpans).span, `${id} stream`).toBe(true);
    }
  });

  it('exports our metrics through the producer (ours-6, ours-7) and through the instruments (ours-instruments-6)', () => {
    for (const id of ['ours-6', 'ours-instruments-6', 'ours-7'] as const) {
      const names = results.get(id)?.metricNames ?? [];
      for (const name of [
        'llmcost.cost',
        'llmcost.tokens',
        'gen_ai.client.token.usage',
        'gen_ai.client.operation.duration',
      ]) {
        expect(names, `${id} ${name}`).toContain(name);
      }
    }
  });

  it('the floor wraps create() in one span per call and records nothing of the response', () => {
    for (const spans of [results.get(FLOOR)?.plainSpans, results.get(FLOOR)?.streamSpans]) {
      const c = check(spans);
      expect(c.span).toBe(true);
      expect(c.inputTokens).toBeUndefined();
      expect(c.costKey).toBeUndefined();
    }
  });

  it("the floor with ours' attributes carries exactly the keys of ours' span, plain and streamed", () => {
    const keys = (spans: { attributes: Record<string, unknown> }[] | undefined) =>
      Object.keys(spans?.[0]?.attributes ?? {}).sort();
    const ours = results.get('ours-6');
    const attrs = results.get(FLOOR_ATTRS);
    expect(keys(attrs?.plainSpans)).toEqual(keys(ours?.plainSpans));
    expect(keys(attrs?.plainSpans)).toHaveLength(21);
    // A stream: ours adds nothing a plain call lacks except what the stream tells (the same keys here).
    expect(keys(attrs?.streamSpans)).toEqual(keys(ours?.streamSpans));
  });

  it('--in-request runs every call in a request span: ours inherits its customer and route, and still prices right', () => {
    for (const spans of [inRequest?.plainSpans, inRequest?.streamSpans]) {
      const a = spans?.[0]?.attributes ?? {};
      expect(a['app.customer.id']).toBe('acme');
      expect(a['app.feature']).toBe('support-chat');
      expect(a['llmcost.route']).toBe('/chat'); // the server span's http.route
      expect(check(spans).cost).toBe(EXPECTED_COST);
    }
  });

  it('prices the canned usage right with ours, on openai 6 and 7, plain and streamed', () => {
    for (const id of ['ours-6', 'ours-instruments-6', 'ours-spans-6', 'ours-7', 'ours-init-6'] as const) {
      for (const spans of [results.get(id)?.plainSpans, results.get(id)?.streamSpans]) {
        const c = check(spans);
        expect(c.inputTokens, id).toBe(USAGE.prompt_tokens);
        expect(c.outputTokens, id).toBe(USAGE.completion_tokens);
        expect(c.cost, id).toBe(EXPECTED_COST);
      }
    }
  });
});

describe('issue 12 figures', () => {
  const rowsOf = (r: Map<ScenarioId, ChildResult[]>) => buildRows(scenarios(), r);
  const oneRun = () => new Map<ScenarioId, ChildResult[]>([...results].map(([id, r]) => [id, [r]]));

  it('reads the RSS of every scenario after the configured number of calls, and its difference to none', () => {
    for (const row of rowsOf(oneRun())) {
      expect(row.rssMB, row.info.id).toBeGreaterThan(0);
      expect(row.rssCalls, row.info.id).toBeGreaterThanOrEqual(QUICK.rssCalls);
      expect(row.rssEndMB, row.info.id).toBeGreaterThan(0);
      if (row.info.baseline !== row.info.id) expect(row.rssOverBaselineMB, row.info.id).toBeDefined();
    }
    const table = memoryTable(rowsOf(oneRun()));
    const ours = rowsOf(oneRun()).find((r) => r.info.id === 'ours-6')!;
    const line = table.split('\n').find((l) => l.startsWith(`| ${ours.info.label} `) && l.includes(ours.info.openai));
    const diff = ours.rssOverBaselineMB!;
    // Cells are padded; compare with runs of spaces folded to one.
    expect(line?.replace(/ +/g, ' ')).toContain(
      ` ${ours.rssMB!.toFixed(1)} | ${diff >= 0 ? '+' : ''}${diff.toFixed(1)} |`,
    );
  });

  it('computes ours / best peer from the rows and prints it in the goal block', () => {
    const rows = rowsOf(oneRun());
    const g = goal(rows);
    const peers = rows.filter((r) => PEERS.includes(r.info.id));
    expect(g.peers.map((p) => p.info.id)).toEqual(PEERS);
    const best = peers.reduce((a, r) => (r.plainOverheadUs! < a.plainOverheadUs! ? r : a));
    expect(g.best?.info.id).toBe(best.info.id);
    const ours = rows.find((r) => r.info.id === 'ours-6')!;
    const block = goalBlock(g);
    if (best.plainOverheadUs! > 0) {
      const ratio = ours.plainOverheadUs! / best.plainOverheadUs!;
      expect(g.callRatio).toBeCloseTo(ratio, 12);
      expect(block).toContain(`best peer ${best.info.id}: ours/best peer ${ratio.toFixed(2)}x`);
    } else {
      expect(g.callRatio).toBeUndefined();
    }
    expect(block).toMatch(/goal ≤ 0\.5x: (met|not met|not measured)/);
    expect(block).toContain(
      `per chunk: ours ${ours.chunkOverheadUs! >= 0 ? '+' : ''}${ours.chunkOverheadUs!.toFixed(2)} µs`,
    );
    expect(block).toContain(`RSS after ${QUICK.rssCalls} calls: ours ${ours.rssMB!.toFixed(1)} MB`);
    // The floor and what each does above it.
    const floor = rows.find((r) => r.info.id === FLOOR)!;
    expect(g.floor?.info.id).toBe(FLOOR);
    expect(block).toContain(`floor (${FLOOR}: one span per call in its context, nothing else)`);
    const above = ours.plainOverheadUs! - floor.plainOverheadUs!;
    expect(block).toContain(`above the floor: ours ${above >= 0 ? '+' : ''}${above.toFixed(1)} µs`);
    // The floor with ours' attributes, and ours above it.
    const attrs = rows.find((r) => r.info.id === FLOOR_ATTRS)!;
    const own = ours.plainOverheadUs! - attrs.plainOverheadUs!;
    expect(block).toContain(`floor with ours' attributes (${FLOOR_ATTRS}:`);
    expect(block).toContain(
      `ours above it (its own work: pricing, metrics, attribution, observing the result): ${own >= 0 ? '+' : ''}${own.toFixed(1)} µs`,
    );
  });

  it('reports instructions per call without and with the GC, their overhead over none, and the floor (hand-made counts)', () => {
    const info = (id: ScenarioId) => scenarios().find((s) => s.id === id)!;
    // Per plain call and per streamed call (100 chunks), without the GC; then the GC's share of each.
    const row = (id: ScenarioId, plainNoGc: number, streamNoGc: number, plainGc: number, streamGc: number) => ({
      info: info(id),
      plainNoGc,
      streamNoGc,
      plainGc,
      streamGc,
      plain: plainNoGc + plainGc,
      stream: streamNoGc + streamGc,
    });
    const rows: InstructionRow[] = [
      row('none-6', 400_000, 10_000_000, 20_000, 100_000),
      row(FLOOR, 560_000, 15_000_000, 30_000, 200_000),
      row('ours-6', 610_000, 15_210_000, 50_000, 1_000_000),
      row('contrib-6', 700_000, 16_000_000, 40_000, 300_000),
      row('traceloop-6', 600_000, 14_200_000, 20_000, 100_000),
    ];
    const text = instructionsReport(rows);
    // ours without GC: 610k - 400k = +210k per call; per chunk (15.21M - 10M - 210k) / 100 = +50.0k.
    // With GC: 660k - 420k = +240k per call; per chunk (16.21M - 10.1M - 240k) / 100 = +58.7k.
    expect(text).toContain(
      `| ${info('ours-6').label} | 610.0k | +210.0k | 50.0k | +240.0k | 15210.0k | +50.0k | +58.7k |`,
    );
    // Without GC: best peer traceloop +200k: 210 / 200 = 1.05x; floor +160k, half the best peer +100k.
    expect(text).toContain('without GC, per call: ours +210.0k, best peer traceloop-6 +200.0k: ours/best peer 1.05x');
    expect(text).toContain(
      'without GC, floor +160.0k per call (0.5 x best peer = +100.0k); above the floor: ours +50.0k, best peer +40.0k',
    );
    // per chunk: floor (15M - 10M - 160k) / 100 = +48.4k; traceloop (14.2M - 10M - 200k) / 100 = +40.0k.
    expect(text).toContain('per chunk: floor +48.4k, ours +50.0k, best peer +40.0k');
    // With GC: traceloop 620k - 420k = +200k, ours +240k: 1.20x.
    expect(text).toContain('with GC, per call: ours +240.0k, best peer traceloop-6 +200.0k: ours/best peer 1.20x');
  });

  it("takes the GC's share from callgrind_annotate's inclusive listing (its entry points only, not their callees)", () => {
    const listing = [
      '9,262,447,886 (100.0%)  PROGRAM TOTALS',
      '   335,480,658 ( 3.62%)  ???:v8::internal::Heap::CollectGarbage(v8::internal::AllocationSpace, v8::internal::GarbageCollectionReason, v8::GCCallbackFlags) [/x/node]',
      '   331,196,642 ( 3.58%)  ???:v8::internal::Heap::PerformGarbageCollection(v8::internal::GarbageCollector, v8::internal::GarbageCollectionReason, char const*) [/x/node]',
      '   311,839,166 ( 3.37%)  ???:v8::internal::Heap::Scavenge() [/x/node]',
      '    68,468,704 ( 0.74%)  ???:v8::internal::IncrementalMarking::Observer::Step(int, unsigned long, unsigned long) [/x/node]',
      '    68,434,483 ( 0.74%)  ???:v8::internal::IncrementalMarking::Step(v8::base::TimeDelta, unsigned long, v8::internal::StepOrigin) [/x/node]',
    ].join('\n');
    // CollectGarbage + IncrementalMarking::Step; the Observer that calls Step and the collectors inside are not added.
    expect(gcInstructions(listing)).toBe(335_480_658 + 68_434_483);
    expect(gcInstructions('9,262,447,886 (100.0%)  PROGRAM TOTALS')).toBe(0);
  });

  it('takes one ratio per pass when a run has several passes', () => {
    // Two passes made of the same results: each pass gives the ratio of the whole.
    const twice = new Map<ScenarioId, ChildResult[]>([...results].map(([id, r]) => [id, [r, r]]));
    const g = goal(rowsOf(twice), twice);
    if (g.callRatio === undefined) expect(g.passRatios).toEqual([]);
    else expect(g.passRatios.map((x) => x.toFixed(9))).toEqual([g.callRatio, g.callRatio].map((x) => x.toFixed(9)));
  });

  it('still renders the committed results, the older ones without RSS', () => {
    const dir = fileURLToPath(new URL('../results/', import.meta.url));
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const saved = JSON.parse(readFileSync(`${dir}${file}`, 'utf8')) as {
        results?: Record<ScenarioId, ChildResult[]>;
      };
      if (!saved.results) continue; // an --instructions run: no timings
      const map = new Map(Object.entries(saved.results) as [ScenarioId, ChildResult[]][]);
      const rows = buildRows(
        scenarios().filter((s) => map.has(s.id)),
        map,
      );
      expect(rows.length, file).toBeGreaterThan(0);
      const g = goal(rows, map);
      expect(g.callRatio, file).toBeGreaterThan(0);
      expect(g.passRatios.length, file).toBeGreaterThan(1);
      const withRss = [...map.values()].some((runs) => runs.some((r) => r.rssMB !== undefined));
      if (withRss) continue;
      expect(memoryTable(rows), file).toMatch(/\| +- \|/);
      expect(goalBlock(g), file).toContain('RSS after ? calls: ours - MB');
    }
  });
});

describe('collector-down soak (short)', () => {
  it('samples the RSS every 10% of the calls and times shutdown against the timeout init() configured', () => {
    if (soakError) throw soakError;
    expect(soak).toBeDefined();
    const r = soak!;
    expect(r.calls).toBe(SOAK_TEST_CALLS);
    expect(r.samples.map((s) => s.calls)).toEqual([0, 50, 100, 150, 200, 250, 300, 350, 400, 450, 500]);
    for (const s of r.samples) expect(s.rssMB).toBeGreaterThan(0);
    expect(Number.isFinite(r.shutdownMs)).toBe(true);
    // Read from the live SDK objects: fails if an SDK update renames the fields the soak reads.
    expect(r.timeouts.otlpTracesMs).toBeGreaterThan(0);
    expect(r.timeouts.otlpMetricsMs).toBeGreaterThan(0);
    expect(r.timeouts.batchSpanProcessorMs).toBeGreaterThan(0);
    // Nothing listens: our exporter says so once.
    expect(r.stderr).toContain('could not export');
    const v = soakVerdict(r);
    expect(v.growthMB).toBeCloseTo(r.samples[10]!.rssMB - r.samples[2]!.rssMB, 9);
    expect(soakBlock(r)).toContain(`= ${v.growthMB >= 0 ? '+' : ''}${v.growthMB.toFixed(1)} MB`);
    expect(soakBlock(r)).toMatch(/goal ≤ export timeout: (met|not met)/);
  });
});
