import {
  BedrockRuntimeClient,
  CountTokensCommand,
  GetAsyncInvokeCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  ListAsyncInvokesCommand,
  ResourceNotFoundException,
  StartAsyncInvokeCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from './index.ts';

let sim: Simulator;
let client: BedrockRuntimeClient;
/** The raw response headers of the last call (the SDK's command output does not expose them). */
let headers: Record<string, string> = {};

beforeAll(async () => {
  sim = await startSimulator();
  client = new BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: sim.url,
    credentials: { accessKeyId: 'AKIDSIMULATOR', secretAccessKey: 'simulator-secret' },
    requestHandler: new NodeHttpHandler(),
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      headers = (result.response as { headers: Record<string, string> }).headers;
      return result;
    },
    { step: 'deserialize', name: 'testHeaders' },
  );
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const decode = (bytes: Uint8Array | undefined) => JSON.parse(new TextDecoder().decode(bytes));
const usage = { inputTokens: 40, outputTokens: 9 };

async function invoke(modelId: string, body: unknown) {
  sim.script({ usage, content: 'hey' });
  const r = await client.send(new InvokeModelCommand({ modelId, body: JSON.stringify(body) }));
  return decode(r.body);
}

async function stream(modelId: string, body: unknown) {
  sim.script({ usage, content: ['he', 'y'] });
  const r = await client.send(new InvokeModelWithResponseStreamCommand({ modelId, body: JSON.stringify(body) }));
  const events: Record<string, unknown>[] = [];
  for await (const e of r.body ?? []) events.push(decode(e.chunk?.bytes));
  return events;
}

describe('Bedrock InvokeModel bodies without a usage block', () => {
  it('Llama, Titan Text and Titan Embeddings report their counts in the body; all send the token headers', async () => {
    expect(await invoke('meta.llama3-1-8b-instruct-v1:0', { prompt: 'hi', max_gen_len: 20 })).toEqual({
      generation: 'hey',
      prompt_token_count: 40,
      generation_token_count: 9,
      stop_reason: 'stop',
    });
    expect(headers).toMatchObject({
      'x-amzn-bedrock-input-token-count': '40',
      'x-amzn-bedrock-output-token-count': '9',
    });
    expect(await invoke('amazon.titan-text-express-v1', { inputText: 'hi' })).toEqual({
      inputTextTokenCount: 40,
      results: [{ tokenCount: 9, outputText: 'hey', completionReason: 'FINISH' }],
    });
    expect(await invoke('amazon.titan-embed-text-v2:0', { inputText: 'hi' })).toMatchObject({
      inputTextTokenCount: 40,
    });
    expect(headers).toMatchObject({
      'x-amzn-bedrock-input-token-count': '40',
      'x-amzn-bedrock-output-token-count': '0',
    });
  });

  it('Mistral and Cohere bodies have no counts: only the headers do', async () => {
    expect(await invoke('mistral.mistral-7b-instruct-v0:2', { prompt: '<s>[INST] hi [/INST]' })).toEqual({
      outputs: [{ text: 'hey', stop_reason: 'stop' }],
    });
    expect(headers['x-amzn-bedrock-input-token-count']).toBe('40');
    const chat = await invoke('mistral.mistral-large-2407-v1:0', { messages: [{ role: 'user', content: 'hi' }] });
    expect(chat.choices[0]).toMatchObject({ message: { role: 'assistant', content: 'hey' }, stop_reason: 'stop' });
    const r = await invoke('cohere.command-r-v1:0', { message: 'hi' });
    expect(r).toMatchObject({ text: 'hey', finish_reason: 'COMPLETE' });
    expect(JSON.stringify(r)).not.toMatch(/token/i);
    expect(headers['x-amzn-bedrock-output-token-count']).toBe('9');
  });

  it('streams each family in its own chunk format, the last chunk with amazon-bedrock-invocationMetrics', async () => {
    const llama = await stream('meta.llama3-1-8b-instruct-v1:0', { prompt: 'hi' });
    expect(llama[0]).toMatchObject({ generation: 'he', prompt_token_count: 40, stop_reason: null });
    expect(llama.at(-1)).toMatchObject({
      stop_reason: 'stop',
      generation_token_count: 9,
      'amazon-bedrock-invocationMetrics': { inputTokenCount: 40, outputTokenCount: 9 },
    });
    const titan = await stream('amazon.titan-text-lite-v1', { inputText: 'hi' });
    expect(titan[0]).toMatchObject({ outputText: 'he', inputTextTokenCount: 40 });
    expect(titan.at(-1)).toMatchObject({ completionReason: 'FINISH', totalOutputTextTokenCount: 9 });
    const mistral = await stream('mistral.mixtral-8x7b-instruct-v0:1', { prompt: 'hi' });
    expect(mistral.map((e) => (e.outputs as { text: string }[])[0]?.text).join('')).toBe('hey');
    expect(mistral.at(-1)?.['amazon-bedrock-invocationMetrics']).toMatchObject({ inputTokenCount: 40 });
    const cohere = await stream('cohere.command-r-v1:0', { message: 'hi' });
    expect(cohere.at(-1)).toMatchObject({ is_finished: true, event_type: 'stream-end', finish_reason: 'COMPLETE' });
  });

  it('rejects a family it does not speak with a ValidationException', async () => {
    await expect(
      client.send(new InvokeModelCommand({ modelId: 'ai21.jamba-1-5-mini-v1:0', body: '{}' })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('Bedrock async invocations and CountTokens', () => {
  it('starts a job, then gets and lists it', async () => {
    const start = await client.send(
      new StartAsyncInvokeCommand({
        modelId: 'amazon.nova-reel-v1:1',
        modelInput: {
          taskType: 'TEXT_VIDEO',
          textToVideoParams: { text: 'a cat' },
          videoGenerationConfig: { durationSeconds: 6, fps: 24, dimension: '1280x720' },
        },
        outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://bucket/videos/' } },
      }),
    );
    expect(start.invocationArn).toMatch(/^arn:aws:bedrock:us-east-1:123456789012:async-invoke\//);
    expect(sim.requests[0]?.path).toBe('/async-invoke');
    const job = await client.send(new GetAsyncInvokeCommand({ invocationArn: start.invocationArn }));
    expect(job).toMatchObject({ invocationArn: start.invocationArn, status: 'Completed' });
    expect(job.submitTime).toBeInstanceOf(Date);
    expect(job.outputDataConfig?.s3OutputDataConfig?.s3Uri).toBe('s3://bucket/videos/');
    const list = await client.send(new ListAsyncInvokesCommand({ statusEquals: 'Completed' }));
    expect(list.asyncInvokeSummaries?.map((s) => s.invocationArn)).toEqual([start.invocationArn]);
    await expect(
      client.send(new GetAsyncInvokeCommand({ invocationArn: 'arn:aws:bedrock:us-east-1:1:async-invoke/none' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('counts tokens', async () => {
    sim.script({ usage: { inputTokens: 77 } });
    const r = await client.send(
      new CountTokensCommand({
        modelId: 'anthropic.claude-sonnet-4-20250514-v1:0',
        input: { converse: { messages: [{ role: 'user', content: [{ text: 'hi' }] }] } },
      }),
    );
    expect(r.inputTokens).toBe(77);
    expect(sim.requests[0]?.path).toBe('/model/anthropic.claude-sonnet-4-20250514-v1%3A0/count-tokens');
  });
});
