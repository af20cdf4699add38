import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { OpenAIInstrumentation as ContribOpenAIInstrumentation } from '@opentelemetry/instrumentation-openai';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../../test/helpers/harness.js';

// One Express app calling every client: Anthropic (1.x, traces itself), Gemini, Bedrock, openai 7 (ours) and
// openai 6 traced by the official @opentelemetry/instrumentation-openai. init() with the HTTP and Express
// instrumentations; a middleware puts user.id and app.feature on the request span. Every LLM call must come
// out priced once, attributed (incl. llmcost.route = the Express route), with metrics per provider.
// Expected costs by hand (1000 input, 100 output tokens; USD per 1M): Claude Sonnet 4 3/15 (first party and
// Bedrock us. profile) -> 0.0045; gemini-2.5-flash 0.30/2.50 -> 0.00055; gpt-4o 2.50/10 -> 0.0035;
// gpt-4o-mini 0.15/0.60 -> 0.00021.

let h: Harness;
let server: Server;
let base: string;
const contrib = new ContribOpenAIInstrumentation();

beforeAll(async () => {
  process.env.OTEL_LOGS_EXPORTER = 'none';
  h = await startHarness({ instrumentations: [new HttpInstrumentation(), new ExpressInstrumentation(), contrib] });
  h.sim.setHandler(() => ({ usage: { inputTokens: 1000, outputTokens: 100 } }));
  const req = h.require;
  const express = req('express') as typeof import('express');
  const { trace } = req('@opentelemetry/api') as typeof import('@opentelemetry/api');
  const Anthropic = (req('@anthropic-ai/sdk') as typeof import('@anthropic-ai/sdk')).default;
  const { GoogleGenAI } = req('@google/genai') as typeof import('@google/genai');
  const bedrock = req('@aws-sdk/client-bedrock-runtime') as typeof import('@aws-sdk/client-bedrock-runtime');
  const { OpenAI } = req('openai') as typeof import('openai');
  const v6 = req('openai-v6') as typeof import('openai-v6');
  for (const def of contrib.getModuleDefinitions()) def.patch?.(v6, '6.49.0');

  const anthropic = new Anthropic({ apiKey: 'sk-ant-test', baseURL: h.sim.url });
  const gemini = new GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl: h.sim.url } });
  const brt = new bedrock.BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: h.sim.url,
    credentials: { accessKeyId: 'AKIDSIMULATOR', secretAccessKey: 'simulator-secret' },
    requestHandler: new NodeHttpHandler(),
  });
  const openai7 = new OpenAI({ apiKey: 'sk-test', baseURL: h.sim.openaiBaseURL });
  const openai6 = new v6.OpenAI({ apiKey: 'sk-test', baseURL: h.sim.openaiBaseURL });

  const calls: Record<string, () => Promise<unknown>> = {
    anthropic: () =>
      anthropic.messages.create({
        model: 'claude-sonnet-4-20250514',
        max_tokens: 200,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    gemini: () => gemini.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' }),
    bedrock: () =>
      brt.send(
        new bedrock.ConverseCommand({
          modelId: 'us.anthropic.claude-sonnet-4-20250514-v1:0',
          messages: [{ role: 'user', content: [{ text: 'hi' }] }],
        }),
      ),
    openai: () => openai7.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    'openai-contrib': () =>
      openai6.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
  };

  const app = express();
  app.use((request, _res, next) => {
    const span = trace.getActiveSpan();
    span?.setAttribute('user.id', String(request.headers['x-user'] ?? 'anonymous'));
    span?.setAttribute('app.feature', 'assistant');
    next();
  });
  app.get('/ask/:provider', async (request, res) => {
    const call = calls[String(request.params.provider)];
    if (!call) {
      res.status(404).end();
      return;
    }
    await call();
    res.json({ ok: true });
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await h.close();
});

const EXPECTED: Record<string, { provider: string; model: string; cost: number }> = {
  anthropic: { provider: 'anthropic', model: 'claude-sonnet-4-20250514', cost: 0.0045 },
  gemini: { provider: 'gcp.gemini', model: 'gemini-2.5-flash', cost: 0.00055 },
  bedrock: { provider: 'aws.bedrock', model: 'us.anthropic.claude-sonnet-4-20250514-v1:0', cost: 0.0045 },
  openai: { provider: 'openai', model: 'gpt-4o', cost: 0.0035 },
  'openai-contrib': { provider: 'openai', model: 'gpt-4o-mini', cost: 0.00021 },
};

describe('an Express app calling every client', () => {
  it('exports priced, attributed spans and metrics for every call, each priced once', async () => {
    for (const provider of Object.keys(EXPECTED)) {
      const res = await fetch(`${base}/ask/${provider}`, { headers: { 'x-user': `u-${provider}` } });
      expect(res.status).toBe(200);
    }
    await h.flush();
    const spans = h.llmSpans();
    expect(spans).toHaveLength(Object.keys(EXPECTED).length);
    for (const [name, want] of Object.entries(EXPECTED)) {
      const span = spans.find((s) => s.attributes['user.id'] === `u-${name}`);
      expect(span, name).toBeDefined();
      expect(span?.attributes['gen_ai.usage.cost'], name).toBe(want.cost);
      expect(span?.attributes['gen_ai.request.model'], name).toBe(want.model);
      expect(span?.attributes['app.feature'], name).toBe('assistant');
      expect(span?.attributes['llmcost.route'], name).toBe('/ask/:provider');
      expect(span?.attributes['llmcost.priced_by'], name).toBe('sdk');
      // the app's request span (the simulator's own server span may join the trace through traceparent)
      const request = h.receiver.spans.find((s) => s.traceId === span?.traceId && s.name === 'GET /ask/:provider');
      expect(request?.kind, name).toBe(2);
      expect(request?.attributes['http.route'], name).toBe('/ask/:provider');
    }
    for (const want of Object.values(EXPECTED)) {
      const points = h.points('llmcost.cost', {
        'gen_ai.request.model': want.model,
        'llmcost.route': '/ask/:provider',
      });
      expect(points, want.model).toHaveLength(1);
      expect(points[0]?.attributes['gen_ai.provider.name']).toBe(want.provider);
      expect(points[0]?.attributes['app.feature']).toBe('assistant');
      expect(points[0]?.attributes['deployment.environment.name']).toBe('test');
      expect(points[0]?.value).toBeCloseTo(want.cost, 12);
    }
    const requests = h.points('llmcost.request.cost', { 'app.feature': 'assistant' });
    expect(requests.reduce((n, p) => n + (p.count ?? 0), 0)).toBe(5);
  });
});
