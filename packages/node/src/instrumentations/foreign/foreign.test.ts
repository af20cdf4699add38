import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OpenAIInstrumentation as ContribOpenAIInstrumentation } from '@opentelemetry/instrumentation-openai';
import type OpenAIV6 from 'openai-v6';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../../test/helpers/harness.js';
import { withAttribution } from '../../index.js';

// Spans of other instrumentations in the same process, priced by LlmCostForeignSpanProcessor.
// Expected costs by hand from OpenAI's list prices (USD per 1M tokens): gpt-4o input 2.50, output 10.00;
// gpt-4o-mini input 0.15, output 0.60. Claude Sonnet 4: input 3, cache read 0.30, 5m write 3.75, output 15.

let h: Harness;
let v6: typeof import('openai-v6');
let client: OpenAIV6;
const contrib = new ContribOpenAIInstrumentation();

beforeAll(async () => {
  // The official instrumentation also emits gen_ai events as log records; init() leaves the NodeSDK's default
  // OTLP log exporter (localhost:4318, not the harness receiver), whose failing exports delay shutdown by ~9s.
  process.env.OTEL_LOGS_EXPORTER = 'none';
  // init() installs LlmCostForeignSpanProcessor by default.
  h = await startHarness({ instrumentations: [contrib] });
  // openai 6 as the alias `openai-v6`: the require hook does not see the name `openai`, so apply the
  // official instrumentation's own patch to it (it supports >=4.19 <7).
  v6 = h.require('openai-v6');
  expect(h.require('openai-v6/version').VERSION).toMatch(/^6\./);
  for (const def of contrib.getModuleDefinitions()) def.patch?.(v6, '6.49.0');
  client = new v6.OpenAI({ apiKey: 'sk-test', baseURL: h.sim.openaiBaseURL, maxRetries: 0 });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
  h.receiver.reset();
});

const messages = [{ role: 'user' as const, content: 'hello' }];

describe('spans of @opentelemetry/instrumentation-openai (openai 6)', () => {
  it('are priced once and attributed, with our metrics', async () => {
    h.sim.script({ model: 'gpt-4o-2024-08-06', usage: { inputTokens: 1000, outputTokens: 200 } });
    await withAttribution({ feature: 'contrib', customerId: 'acme' }, () =>
      client.chat.completions.create({ model: 'gpt-4o', messages }),
    );
    await h.flush();
    const spans = h.llmSpans();
    expect(spans).toHaveLength(1);
    const span = spans[0];
    expect(span?.name).toBe('chat gpt-4o');
    expect(span?.attributes).toMatchObject({
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 200,
      'llmcost.priced_by': 'sdk',
      'llmcost.sdk.metrics': true,
      'llmcost.cost.source': 'pricing_data',
      'app.feature': 'contrib',
      'app.customer.id': 'acme',
    });
    // 1000*2.50 + 200*10 = 4500/1M
    expect(span?.attributes['gen_ai.usage.cost']).toBe(0.0045);
    const cost = h.points('llmcost.cost', { 'app.feature': 'contrib' });
    expect(cost).toHaveLength(1);
    expect(cost[0]?.value).toBeCloseTo(0.0045, 12);
    expect(cost[0]?.attributes).toMatchObject({ 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o' });
    expect(h.points('gen_ai.client.operation.duration', { 'app.feature': 'contrib' })[0]?.count).toBe(1);
  });

  it('our OpenAI instrumentation does not wrap a method the official one already wrapped: still one priced span', async () => {
    h.otel.openai?.manuallyInstrument(v6);
    h.sim.script({ usage: { inputTokens: 1000, outputTokens: 200 } });
    await withAttribution({ feature: 'both' }, () =>
      client.chat.completions.create({ model: 'gpt-4o-mini', messages }),
    );
    await h.flush();
    const spans = h.llmSpans();
    expect(spans).toHaveLength(1);
    // 1000*0.15 + 200*0.60 = 270/1M
    expect(spans[0]?.attributes['gen_ai.usage.cost']).toBe(0.00027);
    expect(h.points('llmcost.request.cost', { 'app.feature': 'both' })[0]?.count).toBe(1);
  });

  it('the official patch applied after ours (openai 7) replaces our wrapper: still one span, priced once', async () => {
    const v7 = h.require('openai') as typeof import('openai');
    for (const def of contrib.getModuleDefinitions()) def.patch?.(v7, '7.57.0');
    const c7 = new v7.OpenAI({ apiKey: 'sk-test', baseURL: h.sim.openaiBaseURL, maxRetries: 0 });
    h.sim.script({ usage: { inputTokens: 1000, outputTokens: 200 } });
    await withAttribution({ feature: 'replaced' }, () =>
      c7.chat.completions.create({ model: 'gpt-4o-mini', messages }),
    );
    for (const def of contrib.getModuleDefinitions()) def.unpatch?.(v7, '7.57.0');
    await h.flush();
    const spans = h.llmSpans();
    expect(spans).toHaveLength(1);
    expect(spans[0]?.attributes['gen_ai.usage.cost']).toBe(0.00027);
    expect(h.points('llmcost.request.cost', { 'app.feature': 'replaced' })[0]?.count).toBe(1);
  });

  it('a call traced twice by nested instrumentations (Vercel AI doGenerate around the official span) is priced once, innermost', async () => {
    h.sim.script({ usage: { inputTokens: 1000, outputTokens: 200 } });
    const tracer = trace.getTracer('ai');
    await withAttribution({ feature: 'nested' }, () =>
      tracer.startActiveSpan(
        'ai.generateText.doGenerate',
        {
          attributes: {
            'ai.operationId': 'ai.generateText.doGenerate',
            'ai.model.provider': 'openai.chat',
            'ai.model.id': 'gpt-4o-mini',
          },
        },
        async (outer) => {
          await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
          outer.setAttributes({ 'gen_ai.usage.input_tokens': 1000, 'gen_ai.usage.output_tokens': 200 });
          outer.end();
        },
      ),
    );
    await h.flush();
    const inner = h.llmSpans().find((s) => s.name === 'chat gpt-4o-mini');
    const outer = h.receiver.spans.find((s) => s.name === 'ai.generateText.doGenerate');
    expect(inner?.parentSpanId).toBe(outer?.spanId);
    expect(inner?.attributes['gen_ai.usage.cost']).toBe(0.00027);
    expect(outer?.attributes['gen_ai.usage.cost']).toBeUndefined();
    expect(h.points('llmcost.request.cost', { 'app.feature': 'nested' }).reduce((n, p) => n + (p.count ?? 0), 0)).toBe(
      1,
    );
  });
});

describe('spans of other instrumentations (attribute conventions)', () => {
  const tracer = () => trace.getTracer('other-instrumentation');

  it('Vercel AI SDK: priced on the provider call span (doGenerate), not again on the outer ai.generateText span', async () => {
    await withAttribution({ feature: 'vercel' }, async () => {
      const outer = tracer().startSpan('ai.generateText', {
        attributes: {
          'ai.operationId': 'ai.generateText',
          'ai.model.provider': 'openai.chat',
          'ai.model.id': 'gpt-4o',
          'ai.usage.promptTokens': 1000,
          'ai.usage.completionTokens': 200,
        },
      });
      const ctx = trace.setSpan(await import('@opentelemetry/api').then((m) => m.context.active()), outer);
      const inner = tracer().startSpan(
        'ai.generateText.doGenerate',
        {
          kind: SpanKind.CLIENT,
          attributes: {
            'ai.operationId': 'ai.generateText.doGenerate',
            'ai.model.provider': 'openai.chat',
            'ai.model.id': 'gpt-4o',
            'gen_ai.system': 'openai.chat',
            'gen_ai.request.model': 'gpt-4o',
            'gen_ai.response.model': 'gpt-4o-2024-08-06',
            'gen_ai.usage.input_tokens': 1000,
            'gen_ai.usage.output_tokens': 200,
          },
        },
        ctx,
      );
      inner.end();
      outer.end();
    });
    await h.flush();
    const inner = h.receiver.spans.find((s) => s.name === 'ai.generateText.doGenerate');
    const outer = h.receiver.spans.find((s) => s.name === 'ai.generateText');
    expect(inner?.attributes['gen_ai.usage.cost']).toBe(0.0045);
    expect(inner?.attributes['app.feature']).toBe('vercel');
    expect(outer?.attributes['gen_ai.usage.cost']).toBeUndefined();
    expect(h.points('llmcost.cost', { 'app.feature': 'vercel' })[0]?.attributes['gen_ai.provider.name']).toBe('openai');
  });

  it('OpenLLMetry-style Anthropic span: older token names, input without cache counts is completed', async () => {
    await withAttribution({ feature: 'traceloop' }, async () => {
      tracer()
        .startSpan('anthropic.chat', {
          kind: SpanKind.CLIENT,
          attributes: {
            'gen_ai.system': 'Anthropic',
            'gen_ai.request.model': 'claude-sonnet-4-20250514',
            // Anthropic's raw input_tokens (excludes the cache), as some instrumentations copy it
            'gen_ai.usage.prompt_tokens': 100,
            'gen_ai.usage.completion_tokens': 50,
            'gen_ai.usage.cache_read_input_tokens': 600,
            'gen_ai.usage.cache_creation_input_tokens': 300,
          },
        })
        .end();
    });
    await h.flush();
    const span = h.receiver.spans.find((s) => s.name === 'anthropic.chat');
    // 100*3 + 600*0.30 + 300*3.75 = 1605/1M; 50*15 = 750/1M
    expect(span?.attributes['gen_ai.usage.cost']).toBe(0.002355);
    expect(span?.attributes['gen_ai.usage.cache_creation.input_tokens']).toBe(300);
  });

  it('leaves spans that already carry a cost, unknown models unpriced (never 0), failed calls unpriced', async () => {
    await withAttribution({ feature: 'misc' }, async () => {
      tracer()
        .startSpan('priced elsewhere', {
          attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.cost': 0.5 },
        })
        .end();
      tracer()
        .startSpan('chat mystery', {
          attributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': 'openai',
            'gen_ai.request.model': 'mystery-model-9000',
            'gen_ai.usage.input_tokens': 10,
            'gen_ai.usage.output_tokens': 10,
          },
        })
        .end();
      const failed = tracer().startSpan('chat gpt-4o', {
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o',
        },
      });
      failed.setStatus({ code: SpanStatusCode.ERROR });
      failed.setAttribute('error.type', 'RateLimitError');
      failed.end();
    });
    await h.flush();
    const pricedElsewhere = h.receiver.spans.find((s) => s.name === 'priced elsewhere');
    expect(pricedElsewhere?.attributes['gen_ai.usage.cost']).toBe(0.5);
    expect(pricedElsewhere?.attributes['llmcost.priced_by']).toBeUndefined();
    const mystery = h.receiver.spans.find((s) => s.name === 'chat mystery');
    expect(mystery?.attributes['gen_ai.usage.cost']).toBeUndefined();
    expect(mystery?.attributes['llmcost.unpriced']).toBe(true);
    expect(mystery?.attributes['llmcost.unpriced.reason']).toBe('unknown_model');
    const failed = h.receiver.spans.find((s) => s.name === 'chat gpt-4o' && s.attributes['app.feature'] === 'misc');
    expect(failed?.attributes['gen_ai.usage.cost']).toBeUndefined();
    expect(failed?.attributes['llmcost.unpriced']).toBeUndefined();
    expect(
      h.points('gen_ai.client.operation.duration', { 'app.feature': 'misc', 'error.type': 'RateLimitError' })[0]?.count,
    ).toBe(1);
    expect(h.points('llmcost.unpriced.requests', { 'app.feature': 'misc' })[0]?.value).toBe(1);
  });
});
