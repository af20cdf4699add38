import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  ThrottlingException,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from './index.ts';

let sim: Simulator;
let client: BedrockRuntimeClient;

beforeAll(async () => {
  sim = await startSimulator();
  client = new BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: sim.url,
    credentials: { accessKeyId: 'AKIDSIMULATOR', secretAccessKey: 'simulator-secret' },
    maxAttempts: 2,
    // The simulator serves HTTP/1.1; the client's default handler speaks HTTP/2 only.
    requestHandler: new NodeHttpHandler(),
  });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const MODEL = 'us.anthropic.claude-sonnet-4-20250514-v1:0';
const messages = [{ role: 'user' as const, content: [{ text: 'hi' }] }];

describe('Bedrock wire format', () => {
  it('answers Converse (SigV4-signed); inputTokens excludes cache reads and writes', async () => {
    sim.script({
      usage: { inputTokens: 1000, cachedTokens: 600, cacheWriteTokens: 300, cacheWrite1hTokens: 100, outputTokens: 50 },
    });
    const r = await client.send(new ConverseCommand({ modelId: MODEL, messages }));
    expect(r.output?.message?.content?.[0]?.text).toBe('Hello from the simulator.');
    expect(r.usage).toMatchObject({
      inputTokens: 100,
      cacheReadInputTokens: 600,
      cacheWriteInputTokens: 300,
      outputTokens: 50,
      totalTokens: 1050,
    });
    expect(r.usage?.cacheDetails).toEqual([
      { ttl: '5m', inputTokens: 200 },
      { ttl: '1h', inputTokens: 100 },
    ]);
    const req = sim.requests[0];
    expect(req?.path).toBe(`/model/${encodeURIComponent(MODEL)}/converse`);
    expect(String(req?.headers.authorization)).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDSIMULATOR\//);
  });

  it('streams ConverseStream as a binary event stream that the SDK decodes', async () => {
    sim.script({ content: ['a', 'b'], usage: { inputTokens: 10, outputTokens: 2 } });
    const r = await client.send(new ConverseStreamCommand({ modelId: MODEL, messages }));
    const kinds: string[] = [];
    let text = '';
    let usage: unknown;
    for await (const event of r.stream ?? []) {
      kinds.push(Object.keys(event)[0] ?? '');
      if (event.contentBlockDelta?.delta?.text) text += event.contentBlockDelta.delta.text;
      if (event.metadata) usage = event.metadata.usage;
    }
    expect(text).toBe('ab');
    expect(kinds).toEqual([
      'messageStart',
      'contentBlockDelta',
      'contentBlockDelta',
      'contentBlockStop',
      'messageStop',
      'metadata',
    ]);
    expect(usage).toMatchObject({ inputTokens: 10, outputTokens: 2, totalTokens: 12 });
  });

  it('answers InvokeModel and InvokeModelWithResponseStream with Anthropic bodies', async () => {
    sim.script({ usage: { inputTokens: 30, cachedTokens: 10, outputTokens: 4 } });
    const body = JSON.stringify({
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const r = await client.send(new InvokeModelCommand({ modelId: MODEL, body, contentType: 'application/json' }));
    const parsed = JSON.parse(new TextDecoder().decode(r.body));
    expect(parsed.usage).toMatchObject({ input_tokens: 20, cache_read_input_tokens: 10, output_tokens: 4 });
    const s = await client.send(
      new InvokeModelWithResponseStreamCommand({ modelId: MODEL, body, contentType: 'application/json' }),
    );
    const types: string[] = [];
    for await (const e of s.body ?? []) {
      const event = JSON.parse(new TextDecoder().decode(e.chunk?.bytes));
      types.push(event.type);
    }
    expect(types.at(0)).toBe('message_start');
    expect(types.at(-1)).toBe('message_stop');
  });

  it('sends typed errors (x-amzn-errortype); the SDK retries throttling', async () => {
    sim.script({ status: 429 }, { status: 429 });
    await expect(client.send(new ConverseCommand({ modelId: MODEL, messages }))).rejects.toBeInstanceOf(
      ThrottlingException,
    );
    expect(sim.requests).toHaveLength(2);
  });
});
