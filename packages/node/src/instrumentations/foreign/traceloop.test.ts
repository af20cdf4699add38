import { OpenAIInstrumentation as TraceloopOpenAIInstrumentation } from '@traceloop/instrumentation-openai';
import type OpenAIV6 from 'openai-v6';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../../test/helpers/harness.js';
import { withAttribution } from '../../index.js';

// Spans of OpenLLMetry's @traceloop/instrumentation-openai (0.27, openai 6), priced by LlmCostForeignSpanProcessor.
// Expected costs by hand from OpenAI's list prices (USD per 1M): gpt-4o input 2.50, output 10.00.

let h: Harness;
let client: OpenAIV6;
const traceloop = new TraceloopOpenAIInstrumentation();

beforeAll(async () => {
  process.env.OTEL_LOGS_EXPORTER = 'none';
  h = await startHarness({ instrumentations: [traceloop] });
  const v6 = h.require('openai-v6') as typeof import('openai-v6');
  // Its manuallyInstrument() takes the OpenAI class itself.
  traceloop.manuallyInstrument(v6.OpenAI);
  client = new v6.OpenAI({ apiKey: 'sk-test', baseURL: h.sim.openaiBaseURL, maxRetries: 0 });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
  h.receiver.reset();
});

describe('spans of @traceloop/instrumentation-openai (openai 6)', () => {
  it('are priced once, attributed, with our metrics; streamed spans without usage are counted unpriced', async () => {
    h.sim.script(
      { usage: { inputTokens: 1000, outputTokens: 200 } },
      { content: ['a', 'b'], usage: { inputTokens: 1000, outputTokens: 200 } },
    );
    await withAttribution({ feature: 'traceloop', team: 'growth' }, async () => {
      await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
      const stream = await client.chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      for await (const _ of stream) {
      }
    });
    await h.flush();
    const spans = h.receiver.spans.filter((s) => s.attributes['app.feature'] === 'traceloop' && s.kind === 3);
    expect(spans).toHaveLength(2);
    const [plain, streamed] = [
      spans.find((s) => s.attributes['gen_ai.usage.input_tokens'] !== undefined),
      spans.find((s) => s.attributes['gen_ai.usage.input_tokens'] === undefined),
    ];
    expect(plain?.attributes).toMatchObject({
      'gen_ai.provider.name': 'openai',
      'llmcost.priced_by': 'sdk',
      'app.team': 'growth',
    });
    // 1000*2.50 + 200*10 = 4500/1M
    expect(plain?.attributes['gen_ai.usage.cost']).toBe(0.0045);
    // OpenLLMetry 0.27 records no usage on streamed chat spans (even with include_usage): unpriced, never 0.
    expect(streamed?.attributes['gen_ai.usage.cost']).toBeUndefined();
    expect(streamed?.attributes['llmcost.unpriced.reason']).toBe('no_usage');
    const cost = h.points('llmcost.cost', { 'app.feature': 'traceloop' });
    expect(cost).toHaveLength(1);
    expect(cost[0]?.attributes['gen_ai.provider.name']).toBe('openai');
    expect(cost[0]?.value).toBeCloseTo(0.0045, 12);
    expect(h.points('llmcost.unpriced.requests', { 'app.feature': 'traceloop' })[0]?.value).toBe(1);
  });
});
