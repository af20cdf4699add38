import type * as BedrockModule from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../../test/helpers/harness.js';
import { withAttribution } from '../../index.js';

// Expected costs by hand from packages/pricing/data/genai-prices.json, provider `aws` (USD per 1M tokens):
// meta.llama3-1-8b-instruct-v1:0 input 0.22, output 0.22; amazon.titan-text-express-v1 input 0.20, output 0.60;
// amazon.titan-embed-text-v2:0 input 0.02; mistral.mistral-7b-instruct-v0:2 input 0.15, output 0.20;
// mistral.mixtral-8x7b-instruct-v0:1 input 0.45, output 0.70. No cohere.* model and no amazon.nova-reel model.

let h: Harness;
let bedrock: typeof BedrockModule;
let client: BedrockModule.BedrockRuntimeClient;

beforeAll(async () => {
  h = await startHarness();
  bedrock = h.require('@aws-sdk/client-bedrock-runtime');
  client = new bedrock.BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: h.sim.url,
    credentials: { accessKeyId: 'AKIDSIMULATOR', secretAccessKey: 'simulator-secret' },
    requestHandler: new NodeHttpHandler(),
  });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
  h.receiver.reset();
});

const USAGE = { inputTokens: 1000, outputTokens: 200 };
const LLAMA = 'meta.llama3-1-8b-instruct-v1:0';
const decode = (bytes: Uint8Array | undefined) => JSON.parse(new TextDecoder().decode(bytes));

async function invoke(feature: string, modelId: string, body: unknown) {
  return withAttribution({ feature }, async () => {
    const r = await client.send(new bedrock.InvokeModelCommand({ modelId, body: JSON.stringify(body) }));
    return decode(r.body);
  });
}

function spanOf(feature: string) {
  const span = h.llmSpans().find((s) => s.attributes['app.feature'] === feature);
  if (!span) throw new Error(`no span for ${feature}`);
  return span;
}

describe('InvokeModel bodies without a usage block', () => {
  it('Llama and Titan: counts from the body (it wins over the headers); the caller gets the body unchanged', async () => {
    // The headers here disagree with the body on purpose: the body's counts must be the ones priced.
    const headers = { 'x-amzn-bedrock-input-token-count': '7', 'x-amzn-bedrock-output-token-count': '3' };
    h.sim.script({ usage: USAGE, headers, content: 'hey' }, { usage: USAGE, headers }, { usage: USAGE });
    const llama = await invoke('llama', LLAMA, { prompt: 'hi', max_gen_len: 300, temperature: 0.5 });
    expect(llama).toEqual({
      generation: 'hey',
      prompt_token_count: 1000,
      generation_token_count: 200,
      stop_reason: 'stop',
    });
    await invoke('titan', 'amazon.titan-text-express-v1', {
      inputText: 'hi',
      textGenerationConfig: { maxTokenCount: 400, topP: 0.9 },
    });
    await invoke('titan-embed', 'amazon.titan-embed-text-v2:0', { inputText: 'hi' });
    await h.flush();
    expect(spanOf('llama').attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.max_tokens': 300,
      'gen_ai.request.temperature': 0.5,
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 200,
      'gen_ai.response.finish_reasons': ['stop'],
      // 1000*0.22 + 200*0.22 = 264/1M
      'gen_ai.usage.cost': 0.000264,
    });
    expect(spanOf('titan').attributes).toMatchObject({
      'gen_ai.request.max_tokens': 400,
      'gen_ai.request.top_p': 0.9,
      // output = sum of results[].tokenCount
      'gen_ai.usage.output_tokens': 200,
      'gen_ai.response.finish_reasons': ['FINISH'],
      // 1000*0.20 + 200*0.60 = 320/1M
      'gen_ai.usage.cost': 0.00032,
    });
    expect(spanOf('titan-embed').attributes).toMatchObject({
      'gen_ai.operation.name': 'embeddings',
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 0,
      // 1000*0.02 = 20/1M
      'gen_ai.usage.cost': 0.00002,
    });
  });

  it('Mistral and Cohere: counts from the x-amzn-bedrock-*-token-count headers', async () => {
    h.sim.script({ usage: USAGE, content: 'hey' }, { usage: USAGE });
    const mistral = await invoke('mistral', 'mistral.mistral-7b-instruct-v0:2', { prompt: '[INST] hi [/INST]' });
    expect(mistral).toEqual({ outputs: [{ text: 'hey', stop_reason: 'stop' }] });
    await invoke('cohere', 'cohere.command-r-v1:0', { message: 'hi', p: 0.8 });
    await h.flush();
    expect(spanOf('mistral').attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 200,
      'gen_ai.response.finish_reasons': ['stop'],
      // 1000*0.15 + 200*0.20 = 190/1M
      'gen_ai.usage.cost': 0.00019,
    });
    // Usage seen, but the price data has no cohere.* model on aws: unpriced unknown_model, never 0.
    const cohere = spanOf('cohere');
    expect(cohere.attributes).toMatchObject({
      'gen_ai.request.top_p': 0.8,
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 200,
      'gen_ai.response.finish_reasons': ['COMPLETE'],
      'llmcost.unpriced.reason': 'unknown_model',
    });
    expect(cohere.attributes['gen_ai.usage.cost']).toBeUndefined();
  });

  it('streams: usage from amazon-bedrock-invocationMetrics; a Llama stream left early keeps its running counts', async () => {
    h.sim.script(
      { usage: USAGE, content: ['a', 'b'] },
      { usage: USAGE, content: ['a', 'b'] },
      { usage: USAGE, content: ['a', 'b', 'c'], hangAfterChunks: 1 },
    );
    const drain = (feature: string, modelId: string, body: unknown, stopEarly = false) =>
      withAttribution({ feature }, async () => {
        const r = await client.send(
          new bedrock.InvokeModelWithResponseStreamCommand({ modelId, body: JSON.stringify(body) }),
        );
        for await (const _e of r.body ?? []) if (stopEarly) break;
      });
    await drain('llama-stream', LLAMA, { prompt: 'hi' });
    await drain('mixtral-stream', 'mistral.mixtral-8x7b-instruct-v0:1', { prompt: 'hi' });
    await drain('llama-break', LLAMA, { prompt: 'hi' }, true);
    await h.flush();
    expect(spanOf('llama-stream').attributes).toMatchObject({
      'gen_ai.usage.output_tokens': 200,
      'gen_ai.response.finish_reasons': ['stop'],
      // 1000*0.22 + 200*0.22 = 264/1M
      'gen_ai.usage.cost': 0.000264,
    });
    expect(spanOf('llama-stream').attributes['llmcost.cost.partial']).toBeUndefined();
    // 1000*0.45 + 200*0.70 = 590/1M
    expect(spanOf('mixtral-stream').attributes['gen_ai.usage.cost']).toBe(0.00059);
    // First chunk: prompt_token_count 1000, running generation_token_count floor(200*1/3) = 66;
    // 1066*0.22 = 234.52/1M
    expect(spanOf('llama-break').attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 66,
      'llmcost.cost.partial': true,
      'gen_ai.usage.cost': 0.00023452,
    });
  });
});

describe('StartAsyncInvoke, GetAsyncInvoke, ListAsyncInvokes, CountTokens', () => {
  it('StartAsyncInvoke is one deferred span, unpriced unsupported_usage (per video second); polling and listing make no span', async () => {
    const start = await withAttribution({ feature: 'reel' }, () =>
      client.send(
        new bedrock.StartAsyncInvokeCommand({
          modelId: 'amazon.nova-reel-v1:1',
          modelInput: {
            taskType: 'TEXT_VIDEO',
            textToVideoParams: { text: 'a cat surfing' },
            videoGenerationConfig: { durationSeconds: 6, fps: 24, dimension: '1280x720' },
          },
          outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://bucket/videos/' } },
        }),
      ),
    );
    expect(start.invocationArn).toMatch(/:async-invoke\//);
    await withAttribution({ feature: 'reel-poll' }, async () => {
      const job = await client.send(new bedrock.GetAsyncInvokeCommand({ invocationArn: start.invocationArn }));
      expect(job.status).toBe('Completed');
      const list = await client.send(new bedrock.ListAsyncInvokesCommand({}));
      expect(list.asyncInvokeSummaries).toHaveLength(1);
    });
    await h.flush();
    const spans = h.llmSpans();
    expect(spans).toHaveLength(1);
    expect(spans[0]?.name).toBe('video_generation amazon.nova-reel-v1:1');
    expect(spans[0]?.attributes).toMatchObject({
      'gen_ai.provider.name': 'aws.bedrock',
      'gen_ai.response.id': start.invocationArn,
      'llmcost.usage.video.output_seconds': 6,
      'llmcost.unpriced': true,
      'llmcost.unpriced.reason': 'unsupported_usage',
      'llmcost.deferred': true,
    });
    expect(spans[0]?.attributes['gen_ai.usage.cost']).toBeUndefined();
    expect(h.points('llmcost.unpriced.requests', { 'app.feature': 'reel' })[0]?.value).toBe(1);
    expect(h.points('gen_ai.client.operation.duration', { 'app.feature': 'reel' })).toHaveLength(0);
    expect(h.points('llmcost.unpriced.requests', { 'app.feature': 'reel-poll' })).toHaveLength(0);
  });

  it('CountTokens (free) makes no LLM span and counts nothing as unpriced', async () => {
    h.sim.script({ usage: { inputTokens: 321 } });
    const r = await withAttribution({ feature: 'count' }, () =>
      client.send(
        new bedrock.CountTokensCommand({
          modelId: 'anthropic.claude-sonnet-4-20250514-v1:0',
          input: { converse: { messages: [{ role: 'user', content: [{ text: 'hi' }] }] } },
        }),
      ),
    );
    expect(r.inputTokens).toBe(321);
    expect(h.sim.requests).toHaveLength(1);
    await h.flush();
    expect(h.llmSpans()).toHaveLength(0);
    expect(h.points('llmcost.unpriced.requests', { 'app.feature': 'count' })).toHaveLength(0);
    expect(h.points('llmcost.cost', { 'app.feature': 'count' })).toHaveLength(0);
  });
});
