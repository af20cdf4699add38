import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import type OpenAIType from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AttributionError, type LlmCostOptions, withAttribution } from '../src/index.js';
import { type Harness, startHarness } from './helpers/harness.js';

let h: Harness;
let client: OpenAIType;
const tracer = trace.getTracer('app');
const BASE: LlmCostOptions = { environment: 'test', attribution: { baggageKeys: ['app.feature', 'app.customer.id'] } };

beforeAll(async () => {
  h = await startHarness(BASE);
  const { OpenAI } = h.require('openai') as typeof import('openai');
  client = new OpenAI({ apiKey: 'sk-test', baseURL: h.sim.openaiBaseURL });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
  h.receiver.reset();
  // init()'s runtime (BASE): the span processor's parent links are the instrumentation's too.
  h.useRuntime();
});

const chat = () => client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });

describe('attribution', () => {
  it('inherits attributes set on the request span after it started, from the whole ancestor chain', async () => {
    await tracer.startActiveSpan('GET /users/:id', { kind: SpanKind.SERVER }, async (server) => {
      await tracer.startActiveSpan('handler', async (handler) => {
        // Set after both spans started, the way auth middleware does it.
        server.setAttribute('user.id', 'u-1');
        server.setAttribute('http.route', '/users/:id');
        handler.setAttribute('app.feature', 'search');
        await chat();
        handler.end();
      });
      server.end();
    });
    await h.flush();
    const [span] = h.llmSpans();
    expect(span?.attributes).toMatchObject({
      'user.id': 'u-1',
      'app.feature': 'search',
      'llmcost.route': '/users/:id',
    });
    expect(span?.attributes['gen_ai.usage.cost']).toBeGreaterThan(0);
    const cost = h.points('llmcost.cost', { 'app.feature': 'search' });
    expect(cost).toHaveLength(1);
    expect(cost[0]?.attributes['llmcost.route']).toBe('/users/:id');
    expect(cost[0]?.attributes['deployment.environment.name']).toBe('test');
    expect(cost[0]?.attributes['user.id']).toBeUndefined();
  });

  it('ignores http.route of client spans (they name the called API)', async () => {
    await tracer.startActiveSpan(
      'POST',
      { kind: SpanKind.CLIENT, attributes: { 'http.route': '/v1/x' } },
      async (s) => {
        await chat();
        s.end();
      },
    );
    await h.flush();
    expect(h.llmSpans()[0]?.attributes['llmcost.route']).toBeUndefined();
  });

  it('applies precedence scope > parent spans > allowed baggage', async () => {
    const bag = propagation.createBaggage({
      'app.feature': { value: 'from-baggage' },
      'app.customer.id': { value: 'c-baggage' },
      'user.id': { value: 'not-allowed' },
    });
    await context.with(propagation.setBaggage(context.active(), bag), async () => {
      await chat(); // baggage only
      await tracer.startActiveSpan('parent', { attributes: { 'app.feature': 'from-parent' } }, async (p) => {
        await chat(); // parent beats baggage
        await withAttribution({ feature: 'from-scope', team: 'core' }, () => chat()); // scope beats parent
        p.end();
      });
    });
    await h.flush();
    const [a, b, c] = h.llmSpans();
    expect(a?.attributes['app.feature']).toBe('from-baggage');
    expect(a?.attributes['app.customer.id']).toBe('c-baggage');
    expect(a?.attributes['user.id']).toBeUndefined();
    expect(b?.attributes['app.feature']).toBe('from-parent');
    expect(c?.attributes['app.feature']).toBe('from-scope');
    expect(c?.attributes['app.team']).toBe('core');
  });

  it('copies attribution set on a short-lived child (middleware span) up to the request span', async () => {
    await tracer.startActiveSpan('GET /x', { kind: SpanKind.SERVER }, async (server) => {
      tracer.startActiveSpan('middleware - auth', (mw) => {
        mw.setAttribute('user.id', 'u-mw');
        mw.end();
      });
      await tracer.startActiveSpan('request handler', async (handler) => {
        await chat();
        handler.end();
      });
      server.end();
    });
    await h.flush();
    expect(h.llmSpans()[0]?.attributes['user.id']).toBe('u-mw');
    expect(h.receiver.spans.find((s) => s.name === 'GET /x')?.attributes['user.id']).toBe('u-mw');
  });

  it('gives other spans started in a scope the same attribution', async () => {
    withAttribution({ userId: 'u-9', customerId: 'acme' }, () => {
      tracer.startSpan('db.query').end();
    });
    await h.flush();
    const db = h.receiver.spans.find((s) => s.name === 'db.query');
    expect(db?.attributes).toMatchObject({ 'user.id': 'u-9', 'app.customer.id': 'acme' });
  });

  it('never leaks attribution between thousands of interleaved requests', async () => {
    h.sim.setHandler(() => ({ usage: { inputTokens: 10, outputTokens: 1 } }));
    const request = async (i: number) => {
      await tracer.startActiveSpan(`req ${i}`, { kind: SpanKind.SERVER }, async (span) => {
        for (let k = 0; k < i % 3; k++) await new Promise((r) => setImmediate(r));
        span.setAttribute('user.id', `user-${i}`);
        await withAttribution({ customerId: `cust-${i}` }, async () => {
          for (let k = 0; k < i % 5; k++) await new Promise((r) => setImmediate(r));
          await chat();
        });
        span.end();
      });
    };
    const total = 2000;
    const batch = 500;
    const llm: typeof h.receiver.spans = [];
    for (let start = 0; start < total; start += batch) {
      await Promise.all(Array.from({ length: batch }, (_, j) => request(start + j)));
      await h.flush();
      llm.push(...h.llmSpans());
      h.receiver.reset();
    }
    expect(llm).toHaveLength(total);
    for (const s of llm) {
      const user = String(s.attributes['user.id']);
      const customer = String(s.attributes['app.customer.id']);
      expect(user.replace('user-', '')).toBe(customer.replace('cust-', ''));
    }
    expect(new Set(llm.map((s) => s.attributes['user.id'])).size).toBe(total);
  });
});

describe('strict mode', () => {
  it("throws a clear error before sending when required dimensions are missing ('throw')", async () => {
    h.useRuntime({ ...BASE, strict: { mode: 'throw', required: ['feature', 'customer'] } });
    // Thrown synchronously by create(), before any request (await turns it into a rejection as usual).
    const error = await (async () => chat())().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AttributionError);
    expect((error as Error).message).toContain('app.feature, app.customer.id');
    expect((error as Error).message).toContain('withAttribution');
    expect(h.sim.requests).toHaveLength(0);
    await withAttribution({ feature: 'f', customerId: 'c' }, () => chat());
    expect(h.sim.requests).toHaveLength(1);
  });

  it("counts missing dimensions and lets the call through ('count')", async () => {
    h.useRuntime({ ...BASE, strict: { mode: 'count', required: ['feature', 'customer'] } });
    await withAttribution({ feature: 'strict-count' }, () => chat());
    await h.flush();
    expect(h.llmSpans().filter((s) => s.attributes['app.feature'] === 'strict-count')).toHaveLength(1);
    const missing = h.points('llmcost.attribution.missing', { 'app.feature': 'strict-count' });
    expect(missing).toHaveLength(1);
    expect(missing[0]?.attributes['llmcost.dimension']).toBe('app.customer.id');
    expect(missing[0]?.value).toBe(1);
  });
});
