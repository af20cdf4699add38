// Checks that the benchmark harness works: one short round of every scenario, each in its own process, produces
// the spans it should, and ours carries the right cost. It asserts no timings (the bench script is for figures).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED_COST, USAGE } from '../src/canned.js';
import type { ChildResult } from '../src/child.js';
import { check, QUICK, runChild } from '../src/runner.js';
import { type ScenarioId, scenarios } from '../src/scenarios.js';
import { type OtlpSink, startOtlpSink } from '../src/sink.js';

const results = new Map<ScenarioId, ChildResult>();
const sinks: OtlpSink[] = [];

beforeAll(async () => {
  const infos = scenarios();
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
}, 60_000);

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

  it('prices the canned usage right with ours, on openai 6 and 7, plain and streamed', () => {
    for (const id of ['ours-6', 'ours-spans-6', 'ours-7', 'ours-init-6'] as const) {
      for (const spans of [results.get(id)?.plainSpans, results.get(id)?.streamSpans]) {
        const c = check(spans);
        expect(c.inputTokens, id).toBe(USAGE.prompt_tokens);
        expect(c.outputTokens, id).toBe(USAGE.completion_tokens);
        expect(c.cost, id).toBe(EXPECTED_COST);
      }
    }
  });
});
