import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../../test/helpers/harness.js';
import { withAttribution } from '../../index.js';

// The real Vercel AI SDK (ai 7 with @ai-sdk/anthropic, telemetry through @ai-sdk/otel) over HTTP to the
// simulator: its spans are priced by LlmCostForeignSpanProcessor, once per model call.
// Expected cost by hand, Claude Sonnet 4 (USD per 1M): input 3, cache read 0.30, 5m cache write 3.75,
// output 15. Usage: 1000 input = 100 uncached + 600 read + 300 written; 50 output:
// 100*3 + 600*0.30 + 300*3.75 = 1605/1M = 0.001605; 50*15 = 0.00075; total 0.002355.

let h: Harness;
let ai: typeof import('ai');
let otel: typeof import('@ai-sdk/otel');
let anthropic: ReturnType<typeof import('@ai-sdk/anthropic').createAnthropic>;
const USAGE = { inputTokens: 1000, cachedTokens: 600, cacheWriteTokens: 300, outputTokens: 50 };

beforeAll(async () => {
  h = await startHarness();
  ai = await import('ai');
  otel = await import('@ai-sdk/otel');
  const { createAnthropic } = await import('@ai-sdk/anthropic');
  anthropic = createAnthropic({ apiKey: 'sk-ant-test', baseURL: `${h.sim.url}/v1` });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
  h.receiver.reset();
});

const byFeature = (feature: string) => h.receiver.spans.filter((s) => s.attributes['app.feature'] === feature);

describe('Vercel AI SDK telemetry (ai 7, @ai-sdk/otel)', () => {
  it('semconv spans: the chat span is priced once; invoke_agent and step spans (which repeat the usage) are not', async () => {
    h.sim.script({ usage: USAGE });
    await withAttribution({ feature: 'vercel-semconv' }, () =>
      ai.generateText({
        model: anthropic('claude-sonnet-4-20250514'),
        prompt: 'hi',
        telemetry: { integrations: [new otel.OpenTelemetry()] },
      }),
    );
    await h.flush();
    const spans = byFeature('vercel-semconv');
    const chat = spans.find((s) => s.attributes['gen_ai.operation.name'] === 'chat');
    const agent = spans.find((s) => s.attributes['gen_ai.operation.name'] === 'invoke_agent');
    expect(agent?.attributes['gen_ai.usage.input_tokens']).toBe(1000);
    expect(chat?.attributes['gen_ai.usage.cost']).toBe(0.002355);
    expect(spans.filter((s) => s.attributes['gen_ai.usage.cost'] !== undefined)).toHaveLength(1);
    expect(spans.filter((s) => s.attributes['llmcost.unpriced'] !== undefined)).toHaveLength(0);
    const cost = h.points('llmcost.cost', { 'app.feature': 'vercel-semconv' });
    expect(cost).toHaveLength(1);
    expect(cost[0]?.attributes['gen_ai.provider.name']).toBe('anthropic');
    expect(cost[0]?.value).toBeCloseTo(0.002355, 12);
  });

  it('legacy ai.* spans: priced on doGenerate / doStream with the cache write count from ai.usage.inputTokenDetails', async () => {
    h.sim.script({ usage: USAGE }, { content: ['a', 'b'], usage: USAGE });
    await withAttribution({ feature: 'vercel-legacy' }, async () => {
      await ai.generateText({
        model: anthropic('claude-sonnet-4-20250514'),
        prompt: 'hi',
        telemetry: { integrations: [new otel.LegacyOpenTelemetry()] },
      });
      const stream = ai.streamText({
        model: anthropic('claude-sonnet-4-20250514'),
        prompt: 'hi',
        telemetry: { integrations: [new otel.LegacyOpenTelemetry()] },
      });
      expect(await stream.text).toBe('ab');
    });
    await h.flush();
    const spans = byFeature('vercel-legacy');
    const priced = spans.filter((s) => s.attributes['gen_ai.usage.cost'] !== undefined);
    expect(priced.map((s) => s.name).sort()).toEqual(['ai.generateText.doGenerate', 'ai.streamText.doStream']);
    for (const span of priced) {
      expect(span.attributes['gen_ai.usage.cost']).toBe(0.002355);
      expect(span.attributes['gen_ai.usage.cache_creation.input_tokens']).toBe(300);
    }
    expect(spans.find((s) => s.name === 'ai.generateText')?.attributes['gen_ai.usage.cost']).toBeUndefined();
    expect(h.points('llmcost.request.cost', { 'app.feature': 'vercel-legacy' })[0]?.count).toBe(2);
  });
});
