import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Attributes, context, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../../test/helpers/harness.js';
import { MODEL_CALLS } from '../../core/names.js';
import { MODEL_CALL_RULES, modelCallRole } from './model-calls.js';

// One rule for which spans are model calls, in Node and in the collector: the nested traces the Go tests feed the
// llmcost processor (packages/collector-processor/testdata/otlp) are replayed here as real spans of this process
// (same scopes, names, attributes, nesting, status), children ending before their parents as they do in an app.
// LlmCostForeignSpanProcessor must decide every span as the processor did (testdata/golden): the same spans
// priced, at the same cost (hand-computed in the Go test, nested_test.go), the same outer spans marked
// llmcost.model_call = false, the same calls without usage unpriced no_usage.

const processorDir = join(import.meta.dirname, '..', '..', '..', '..', 'collector-processor');
const FIXTURES = [
  'nested-vercel-ai.json',
  'nested-openinference.json',
  'nested-semconv.json',
  'nested-openllmetry.json',
  'openlit.json',
  'provider-reported.json',
];

interface OtlpValue {
  stringValue?: string;
  intValue?: string;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpSpan {
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: OtlpValue }[];
  status?: { code?: number; message?: string };
}
interface Fixture {
  resourceSpans: { scopeSpans: { scope: { name: string }; spans: OtlpSpan[] }[] }[];
}

const value = (v: OtlpValue) =>
  v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : (v.doubleValue ?? v.boolValue));
const attrsOf = (s: OtlpSpan): Attributes => Object.fromEntries(s.attributes.map((a) => [a.key, value(a.value)]));
const load = (dir: string, file: string): Fixture =>
  JSON.parse(readFileSync(join(processorDir, 'testdata', dir, file), 'utf8'));

function spansOf(f: Fixture): { scope: string; span: OtlpSpan }[] {
  return f.resourceSpans.flatMap((rs) =>
    rs.scopeSpans.flatMap((ss) => ss.spans.map((span) => ({ scope: ss.scope.name, span }))),
  );
}

/** Starts every span under its parent, then ends children before parents. */
function replay(f: Fixture): void {
  const all = spansOf(f);
  const ns = (t: string) => Number(BigInt(t) / 1_000_000n);
  const start = (item: { scope: string; span: OtlpSpan }, parent?: Span) => {
    const ctx = parent ? trace.setSpan(context.active(), parent) : context.active();
    const s = item.span;
    const span = trace.getTracer(item.scope).startSpan(
      s.name,
      {
        kind: s.kind - 1, // OTLP SPAN_KIND_INTERNAL = 1 ... ; API SpanKind.INTERNAL = 0
        startTime: ns(s.startTimeUnixNano),
        attributes: { ...attrsOf(s), 'fixture.span_id': s.spanId },
      },
      ctx,
    );
    for (const child of all.filter((c) => c.span.parentSpanId === s.spanId)) start(child, span);
    if (s.status?.code === 2) span.setStatus({ code: SpanStatusCode.ERROR, message: s.status.message });
    span.end(ns(s.endTimeUnixNano));
  };
  for (const root of all.filter((c) => !c.span.parentSpanId)) start(root);
}

let h: Harness;
beforeAll(async () => {
  process.env.OTEL_LOGS_EXPORTER = 'none';
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.receiver.reset());

describe('nested traces of each dialect: priced once, in Node as in the collector (one table)', () => {
  it('the collector processor embeds the same table (both generated from the contract)', () => {
    const embedded = JSON.parse(readFileSync(join(processorDir, 'internal', 'modelcalls', 'model-calls.json'), 'utf8'));
    expect(embedded.rules).toEqual(MODEL_CALL_RULES);
    expect(embedded.roles).toEqual(MODEL_CALLS.roles);
  });

  for (const file of FIXTURES) {
    it(file, async () => {
      await h.flush();
      const requests = () => h.points('llmcost.request.cost').reduce((n, p) => n + (p.count ?? 0), 0);
      const before = requests();
      replay(load('otlp', file));
      await h.flush();
      const golden = spansOf(load('golden', file));
      let priced = 0;
      for (const { span: want } of golden) {
        const w = attrsOf(want);
        const got = h.receiver.spans.find((s) => s.attributes['fixture.span_id'] === want.spanId);
        expect(got, `${file}: ${want.name} (${want.spanId}) not exported`).toBeDefined();
        const a = got!.attributes;
        const where = `${file}: ${want.name} (${want.spanId})`;
        if (w['llmcost.priced_by'] === 'collector') {
          priced++;
          expect(a['gen_ai.usage.cost'], where).toBe(w['gen_ai.usage.cost']);
          expect(a['llmcost.cost.source'], where).toBe(w['llmcost.cost.source']);
          expect(a['llmcost.cost.replaced'], where).toBe(w['llmcost.cost.replaced']);
        } else {
          expect(a['gen_ai.usage.cost'], where).toBe(w['gen_ai.usage.cost']);
        }
        // The SDK marks every call it handled priced_by = sdk (priced, unpriced, or failed: it meters the duration
        // of failed calls with error.type); the collector marks only priced ones.
        const failed = want.status?.code === 2;
        const handled = w['llmcost.priced_by'] === 'collector' || w['llmcost.unpriced'] === true || failed;
        expect(a['llmcost.priced_by'], where).toBe(handled ? 'sdk' : undefined);
        expect(a['llmcost.model_call'], where).toBe(w['llmcost.model_call']);
        expect(a['llmcost.unpriced.reason'], where).toBe(w['llmcost.unpriced.reason']);
      }
      // Our metrics: one request-cost observation per priced call, none for the spans over it.
      expect(requests() - before).toBe(priced);
    });
  }

  it('in one process, a framework LLM span with no call under it (the framework alone is instrumented) is priced', async () => {
    trace
      .getTracer('openinference.instrumentation.langchain')
      .startSpan('ChatOpenAI', {
        attributes: {
          'openinference.span.kind': 'LLM',
          'llm.provider': 'openai',
          'llm.model_name': 'gpt-4o-mini',
          'llm.token_count.prompt': 2000,
          'llm.token_count.completion': 300,
          'llm.token_count.prompt_details.cache_read': 1024,
          'fixture.span_id': 'langchain-only',
        },
      })
      .end();
    await h.flush();
    const span = h.receiver.spans.find((s) => s.attributes['fixture.span_id'] === 'langchain-only');
    // gpt-4o-mini: 976*0.15 + 1024*0.075 = 223.2; 300*0.60 = 180; 403.2 µ$ (as in nested-openinference.json)
    expect(span?.attributes['gen_ai.usage.cost']).toBe(0.0004032);
    expect(span?.attributes['llmcost.model_call']).toBeUndefined();
  });

  it('decides from the span alone: role by dialect', () => {
    const role = (attrs: Attributes, name = 'x', scope = 'x') => modelCallRole(attrs, name, scope)?.role;
    expect(role({ 'ai.operationId': 'ai.generateText' })).toBe('summary');
    expect(role({ 'ai.operationId': 'ai.generateText.doGenerate' })).toBe('call');
    expect(role({ 'openinference.span.kind': 'LLM' }, 'ChatOpenAI', 'openinference.instrumentation.langchain')).toBe(
      'framework',
    );
    expect(role({ 'openinference.span.kind': 'LLM' }, 'ChatCompletion', 'openinference.instrumentation.openai')).toBe(
      'call',
    );
    expect(role({ 'openinference.span.kind': 'EMBEDDING' })).toBe('call');
    expect(role({ 'openinference.span.kind': 'CHAIN' })).toBe('summary');
    expect(role({ 'traceloop.span.kind': 'workflow' })).toBe('summary');
    expect(role({ 'gen_ai.operation.name': 'invoke_agent' })).toBe('summary');
    expect(role({ 'gen_ai.operation.name': 'chat' })).toBe('call');
    expect(role({}, 'anthropic.messages.count_tokens', 'com.anthropic.sdk.typescript')).toBe('other');
    expect(role({ 'gen_ai.system': 'openai' })).toBeUndefined();
  });
});
