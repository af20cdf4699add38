import type OpenAIType from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LlmCostOptions, RateLimitedError, type RateLimitOptions, withAttribution } from '../src/index.js';
import { type Harness, startHarness } from './helpers/harness.js';

// The opt-in request-rate limiter with the real openai client against the simulator: a refused call never
// reaches the simulator (sim.requests), and the injected clock moves minutes forward without sleeping.
let h: Harness;
let client: OpenAIType;
let clock = Date.parse('2026-12-01T10:00:00Z');
const now = () => clock;
const BASE: LlmCostOptions = { environment: 'test' };

beforeAll(async () => {
  h = await startHarness(BASE);
  const { OpenAI } = h.require('openai') as typeof import('openai');
  client = new OpenAI({ apiKey: 'sk-test', baseURL: h.sim.openaiBaseURL, maxRetries: 0 });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
  h.receiver.reset();
  clock = Date.parse('2026-12-01T10:00:00Z');
});

const limit = (rateLimit: RateLimitOptions) => h.useRuntime({ ...BASE, rateLimit: { now, ...rateLimit } });
/** One chat call as this user and customer; a refusal (thrown before any request) becomes a rejection here. */
const call = (userId?: string, customerId?: string) =>
  withAttribution({ userId, customerId, feature: 'rl' }, async () =>
    client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
  );
const refusal = async (p: Promise<unknown>) => {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RateLimitedError);
  return error as RateLimitedError;
};

describe('request-rate limits (opt-in, per instance)', () => {
  it('refuses the call over a user limit before any request is sent, and a later minute allows it', async () => {
    limit({ perUser: 2 });
    await call('u1');
    await call('u1');
    expect(h.sim.requests).toHaveLength(2);

    const error = await refusal(call('u1'));
    expect(error).toMatchObject({
      name: 'RateLimitedError',
      status: 429,
      dimension: 'user',
      attribute: 'user.id',
      key: 'u1',
      limit: 2,
      // 2 per minute refill one call every 30 s; both were used at the same instant.
      retryAfterMs: 30_000,
    });
    expect(error.message).toBe(
      'Too many AI requests: at most 2 per minute are allowed. Please try again in 30 seconds.',
    );
    expect(h.sim.requests, 'the refused call sent nothing').toHaveLength(2);

    // Another user has a limit of its own.
    await call('u2');
    expect(h.sim.requests).toHaveLength(3);

    clock += 20_000; // 2/3 of a call refilled: still refused, 10 s to go
    expect((await refusal(call('u1'))).retryAfterMs).toBe(10_000);
    expect(h.sim.requests).toHaveLength(3);

    clock += 40_000; // a minute after the first calls: the full allowance again
    await call('u1');
    await call('u1');
    expect(h.sim.requests).toHaveLength(5);
    await refusal(call('u1'));
    expect(h.sim.requests).toHaveLength(5);
  });

  it('records the refused call as a failed span with error.type RateLimitedError and no cost', async () => {
    limit({ perUser: 1 });
    await call('u-span');
    await refusal(call('u-span'));
    await h.flush();
    const spans = h.llmSpans().filter((s) => s.attributes['user.id'] === 'u-span');
    expect(spans).toHaveLength(2);
    const refused = spans.find((s) => s.attributes['error.type'] === 'RateLimitedError');
    expect(refused?.status.code).toBe(2); // ERROR
    expect(refused?.attributes).not.toHaveProperty('gen_ai.usage.cost');
    expect(refused?.attributes).not.toHaveProperty('llmcost.unpriced');
    expect(h.sim.requests).toHaveLength(1);
  });

  it('limits per customer; a call without the id is not limited, and a refusal uses up no other limit', async () => {
    limit({ perUser: 2, perCustomer: 1 });
    await call('u1', 'acme');
    const error = await refusal(call('u1', 'acme'));
    expect(error).toMatchObject({ dimension: 'customer', attribute: 'app.customer.id', key: 'acme', limit: 1 });
    expect(error.retryAfterMs).toBe(60_000);
    // The refused call did not take u1's second call: u1 still has it, under another customer.
    await call('u1', 'globex');
    expect(h.sim.requests).toHaveLength(2);
    await refusal(call('u1', 'initech'));
    // Without a user or a customer id, no limit applies.
    for (let i = 0; i < 3; i++) await call();
    expect(h.sim.requests).toHaveLength(5);
  });

  it('uses the configured attribution key of the dimension', async () => {
    h.useRuntime({ ...BASE, attribution: { keys: { user: 'enduser.id' } }, rateLimit: { perUser: 1, now } });
    await call('k1');
    expect(await refusal(call('k1'))).toMatchObject({ attribute: 'enduser.id', key: 'k1' });
    expect(h.sim.requests).toHaveLength(1);
  });

  it('reads LLMCOST_RATE_LIMIT_PER_USER / _PER_CUSTOMER; a bad value warns and that limit is off', async () => {
    process.env.LLMCOST_RATE_LIMIT_PER_CUSTOMER = '1';
    process.env.LLMCOST_RATE_LIMIT_PER_USER = 'lots';
    try {
      h.useRuntime({ ...BASE, onWarning: (m) => h.warnings.push(m) });
    } finally {
      delete process.env.LLMCOST_RATE_LIMIT_PER_CUSTOMER;
      delete process.env.LLMCOST_RATE_LIMIT_PER_USER;
    }
    expect(h.warnings.join('\n')).toContain(
      'rateLimit.perUser (or LLMCOST_RATE_LIMIT_PER_USER) is "lots", not a number of requests per minute of at least 1: that limit is off.',
    );
    await call('u1', 'env-co');
    await call('u1', 'other-co'); // no user limit
    expect((await refusal(call('u2', 'env-co'))).dimension).toBe('customer');
    expect(h.sim.requests).toHaveLength(2);
  });

  it('without rateLimit nothing is limited', async () => {
    h.useRuntime(BASE);
    for (let i = 0; i < 5; i++) await call('free');
    expect(h.sim.requests).toHaveLength(5);
  });
});
