import type * as BedrockModule from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../../test/helpers/harness.js';
import { withAttribution } from '../../index.js';

// Expected costs by hand from the AWS Bedrock pricing page (USD per 1M tokens), Bedrock's own prices:
// Claude Sonnet 4.5 in-region / geo profile (us.): input 3.30, cache write 4.125, cache read 0.33, output 16.50;
//   global profile (global.): input 3.00, cache write 3.75, cache read 0.30, output 15.00.
// Claude Sonnet 4 (us.): input 3.00, cache read 0.30, output 15.00. Amazon Nova Pro: input 0.80, output 3.20.

let h: Harness;
let bedrock: typeof BedrockModule;
let client: BedrockModule.BedrockRuntimeClient;

beforeAll(async () => {
  // init() registers the Bedrock instrumentation by default.
  h = await startHarness();
  bedrock = h.require('@aws-sdk/client-bedrock-runtime');
  client = new bedrock.BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: h.sim.url,
    credentials: { accessKeyId: 'AKIDSIMULATOR', secretAccessKey: 'simulator-secret' },
    maxAttempts: 2,
    // The simulator serves HTTP/1.1; the client's default handler speaks HTTP/2 only.
    requestHandler: new NodeHttpHandler(),
  });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
  h.receiver.reset();
});

const messages = [{ role: 'user' as const, content: [{ text: 'hi' }] }];
const SONNET_45_US = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const SONNET_45_GLOBAL = 'global.anthropic.claude-sonnet-4-5-20250929-v1:0';
const SONNET_4_US = 'us.anthropic.claude-sonnet-4-20250514-v1:0';
const CACHE_USAGE = { inputTokens: 1000, cachedTokens: 600, cacheWriteTokens: 300, outputTokens: 50 };

describe('@aws-sdk/client-bedrock-runtime', () => {
  it('Converse: Bedrock prices (regional vs global profile), inputTokens + cache reads + writes = all input', async () => {
    h.sim.script({ usage: CACHE_USAGE }, { usage: CACHE_USAGE });
    const r = await withAttribution({ feature: 'bedrock' }, () =>
      client.send(
        new bedrock.ConverseCommand({
          modelId: SONNET_45_US,
          messages,
          inferenceConfig: { maxTokens: 100, temperature: 0.3 },
        }),
      ),
    );
    expect(r.usage?.inputTokens).toBe(100);
    await withAttribution({ feature: 'bedrock-global' }, () =>
      client.send(new bedrock.ConverseCommand({ modelId: SONNET_45_GLOBAL, messages })),
    );
    await h.flush();
    const spans = h.llmSpans();
    expect(spans).toHaveLength(2);
    const us = spans.find((s) => s.attributes['app.feature'] === 'bedrock');
    expect(us?.name).toBe(`chat ${SONNET_45_US}`);
    expect(us?.kind).toBe(3);
    expect(us?.attributes).toMatchObject({
      'gen_ai.provider.name': 'aws.bedrock',
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': SONNET_45_US,
      'gen_ai.request.max_tokens': 100,
      'gen_ai.request.temperature': 0.3,
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 50,
      'gen_ai.usage.cache_read.input_tokens': 600,
      'gen_ai.usage.cache_creation.input_tokens': 300,
      'gen_ai.response.finish_reasons': ['end_turn'],
      'llmcost.pricing.provider': 'aws',
    });
    // 100*3.30 + 600*0.33 + 300*4.125 = 1765.5/1M; 50*16.50 = 825/1M
    expect(us?.attributes['llmcost.cost.input']).toBe(0.0017655);
    expect(us?.attributes['llmcost.cost.output']).toBe(0.000825);
    expect(us?.attributes['gen_ai.usage.cost']).toBe(0.0025905);
    const global = spans.find((s) => s.attributes['app.feature'] === 'bedrock-global');
    // 100*3 + 600*0.30 + 300*3.75 = 1605/1M; 50*15 = 750/1M
    expect(global?.attributes['gen_ai.usage.cost']).toBe(0.002355);
    expect(h.points('llmcost.cost', { 'app.feature': 'bedrock' })[0]?.value).toBeCloseTo(0.0025905, 12);
    expect(h.points('llmcost.cost', { 'app.feature': 'bedrock' })[0]?.attributes['gen_ai.provider.name']).toBe(
      'aws.bedrock',
    );
  });

  it('ConverseStream: priced from the metadata event of the binary event stream', async () => {
    h.sim.script({ content: ['a', 'b'], usage: { inputTokens: 1000, outputTokens: 200 } });
    await withAttribution({ feature: 'bedrock-stream' }, async () => {
      const r = await client.send(new bedrock.ConverseStreamCommand({ modelId: 'amazon.nova-pro-v1:0', messages }));
      let text = '';
      for await (const e of r.stream ?? []) text += e.contentBlockDelta?.delta?.text ?? '';
      expect(text).toBe('ab');
    });
    await h.flush();
    const [span] = h.llmSpans();
    // 1000*0.80 + 200*3.20 = 1440/1M
    expect(span?.attributes['gen_ai.usage.cost']).toBe(0.00144);
    expect(span?.attributes['llmcost.cost.partial']).toBeUndefined();
    expect(h.points('gen_ai.client.operation.time_to_first_chunk', { 'app.feature': 'bedrock-stream' })[0]?.count).toBe(
      1,
    );
  });

  it('ConverseStream abandoned with break ends its span (partial, no usage seen: unpriced, never 0)', async () => {
    h.sim.script({ content: ['a', 'b', 'c'], hangAfterChunks: 1, usage: { inputTokens: 1000, outputTokens: 200 } });
    await withAttribution({ feature: 'bedrock-break' }, async () => {
      const r = await client.send(new bedrock.ConverseStreamCommand({ modelId: 'amazon.nova-pro-v1:0', messages }));
      for await (const e of r.stream ?? []) if (e.contentBlockDelta) break;
    });
    await h.flush();
    const [span] = h.llmSpans();
    expect(span?.attributes['llmcost.cost.partial']).toBe(true);
    expect(span?.attributes['gen_ai.usage.cost']).toBeUndefined();
    expect(span?.attributes['llmcost.unpriced.reason']).toBe('no_usage');
  });

  it('InvokeModel and InvokeModelWithResponseStream with Anthropic bodies (and the BedrockRuntime client)', async () => {
    const usage = { inputTokens: 2000, cachedTokens: 500, outputTokens: 100 };
    h.sim.script({ usage }, { usage }, { usage });
    const body = JSON.stringify({
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 300,
      messages: [{ role: 'user', content: 'hi' }],
    });
    await withAttribution({ feature: 'invoke' }, async () => {
      const r = await client.send(
        new bedrock.InvokeModelCommand({ modelId: SONNET_4_US, body, contentType: 'application/json' }),
      );
      expect(JSON.parse(new TextDecoder().decode(r.body)).usage.input_tokens).toBe(1500);
      const s = await client.send(new bedrock.InvokeModelWithResponseStreamCommand({ modelId: SONNET_4_US, body }));
      for await (const _e of s.body ?? []) {
      }
      const agg = new bedrock.BedrockRuntime({
        region: 'us-east-1',
        endpoint: h.sim.url,
        credentials: { accessKeyId: 'AKIDSIMULATOR', secretAccessKey: 'simulator-secret' },
        requestHandler: new NodeHttpHandler(),
      });
      await agg.invokeModel({ modelId: SONNET_4_US, body });
    });
    await h.flush();
    const spans = h.llmSpans();
    expect(spans).toHaveLength(3);
    for (const span of spans) {
      expect(span.attributes['gen_ai.usage.input_tokens']).toBe(2000);
      expect(span.attributes['gen_ai.request.max_tokens']).toBe(300);
      // 1500*3 + 500*0.30 = 4650/1M; 100*15 = 1500/1M
      expect(span.attributes['gen_ai.usage.cost']).toBe(0.00615);
    }
  });

  it('errors are rethrown unchanged, retried sends are one span, not priced', async () => {
    h.sim.script({ status: 429 }, { status: 429 });
    const err = await withAttribution({ feature: 'bedrock-err' }, () =>
      client.send(new bedrock.ConverseCommand({ modelId: SONNET_4_US, messages })),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(bedrock.ThrottlingException);
    expect(h.sim.requests).toHaveLength(2);
    await h.flush();
    const spans = h.llmSpans();
    expect(spans).toHaveLength(1);
    expect(spans[0]?.attributes['error.type']).toBe('ThrottlingException');
    expect(spans[0]?.attributes['gen_ai.usage.cost']).toBeUndefined();
  });
});
