import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type OpenAIType from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BudgetExceededError, createLlmCostRuntime, type LlmCostOptions, withAttribution } from '../src/index.js';
import { type Harness, startHarness } from './helpers/harness.js';

// Costs by hand from packages/pricing/data/genai-prices.json (USD per 1M tokens):
//   gpt-4o: input 2.50, output 10.00. 1000 in + 200 out = 0.0025 + 0.002 = 0.0045 USD.
const CALL = { model: 'gpt-4o', usage: { inputTokens: 1000, outputTokens: 200 } };
const CALL_USD = 0.0045;

let h: Harness;
let OpenAI: typeof OpenAIType;
let client: OpenAIType;
const dir = mkdtempSync(join(tmpdir(), 'budgets-'));

beforeAll(async () => {
  h = await startHarness();
  OpenAI = h.require('openai').OpenAI;
  client = new OpenAI({ apiKey: 'sk-test', baseURL: h.sim.openaiBaseURL, maxRetries: 2 });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
  h.receiver.reset();
});

const messages = [{ role: 'user' as const, content: 'hello' }];

function budgetsFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** Calls as customer `customer`: the promise of the chat completion (a refusal throws before it exists). */
function chat(customer: string) {
  h.sim.script(CALL);
  return withAttribution({ customerId: customer }, () => client.chat.completions.create({ model: 'gpt-4o', messages }));
}

/** The thrown refusal of a call (the client method throws it before any request is made). */
function refusal(customer: string): BudgetExceededError {
  try {
    void chat(customer);
  } catch (error) {
    expect(error).toBeInstanceOf(BudgetExceededError);
    return error as BudgetExceededError;
  }
  throw new Error('expected the call to be refused');
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function runtimeWith(options: LlmCostOptions) {
  return h.useRuntime({ onWarning: (m) => h.warnings.push(m), ...options });
}

describe('budgets, one instance (no Prometheus: its own spend)', () => {
  it('enforce: refuses the call after spend reached the limit, before any request, until the next calendar day', async () => {
    // 2026-03-10 15:00 UTC = 16:00 in Berlin (CET, +1): the calendar day resets at 2026-03-10T23:00:00Z.
    let now = Date.parse('2026-03-10T15:00:00Z');
    const file = budgetsFile(
      'daily.yaml',
      `budgets:
  - name: acme-day
    selector: { dimension: customer, value: acme }
    period: calendar_day
    time_zone: Europe/Berlin
    limit_usd: 0.004
`,
    );
    runtimeWith({ budgets: file, budgetsMode: 'enforce', budgetEnforcement: { now: () => now } });

    await chat('acme'); // spend 0 < 0.004: goes through, and spends 0.0045
    expect(h.sim.requests).toHaveLength(1);

    const err = refusal('acme');
    expect(h.sim.requests).toHaveLength(1); // nothing left the process
    expect(err.status).toBe(429);
    expect(err.budget).toBe('acme-day');
    expect(err.limitUsd).toBe(0.004);
    expect(err.spentUsd).toBeCloseTo(CALL_USD, 12);
    expect(err.resetsAt.toISOString()).toBe('2026-03-10T23:00:00.000Z');
    expect(err.message).toBe('Daily AI quota exceeded. It resets at 2026-03-10T23:00:00.000Z.');
    expect(err.reason).toBe('exceeded');

    await chat('globex'); // another customer: no budget of its own
    expect(h.sim.requests).toHaveLength(2);

    now = Date.parse('2026-03-10T22:59:59Z');
    refusal('acme');
    now = Date.parse('2026-03-10T23:00:00Z'); // midnight in Berlin: a new day
    await chat('acme');
    expect(h.sim.requests).toHaveLength(3);

    await h.flush();
    const refused = h.llmSpans().filter((s) => s.attributes['llmcost.budget.action'] === 'refused');
    expect(refused).toHaveLength(2);
    expect(refused[0]!.attributes).toMatchObject({
      'llmcost.budget.exceeded': 'acme-day',
      'error.type': 'BudgetExceededError',
      'app.customer.id': 'acme',
    });
    expect(refused[0]!.attributes['gen_ai.usage.cost']).toBeUndefined();
    expect(h.points('llmcost.budget.exceeded.requests', { 'llmcost.budget.name': 'acme-day' })).toMatchObject([
      { value: 2, attributes: { 'llmcost.budget.action': 'refused' } },
    ]);
    // Two acme calls went through: 2 * 0.0045 USD under the budget (the refused ones cost nothing).
    const [spend] = h.points('llmcost.budget.spend', { 'llmcost.budget.name': 'acme-day' });
    expect(spend?.value).toBeCloseTo(2 * CALL_USD, 12);
  });

  it('warn: lets the call through, marks its span and counts it', async () => {
    const file = budgetsFile(
      'warn.yaml',
      `budgets:
  - { name: chat-roll, selector: { dimension: feature, value: chat }, period: daily, limit_usd: 0.004 }
`,
    );
    runtimeWith({ budgets: file, budgetsMode: 'warn' });
    const call = () => {
      h.sim.script(CALL);
      return withAttribution({ feature: 'chat' }, () => client.chat.completions.create({ model: 'gpt-4o', messages }));
    };
    await call();
    const res = await call();
    expect(res.choices[0]?.message.content).toBe('Hello from the simulator.');
    expect(h.sim.requests).toHaveLength(2);
    await h.flush();
    const [first, second] = h.llmSpans();
    expect(first?.attributes['llmcost.budget.exceeded']).toBeUndefined();
    expect(second?.attributes).toMatchObject({
      'llmcost.budget.exceeded': 'chat-roll',
      'llmcost.budget.action': 'warned',
    });
    expect(second?.attributes['gen_ai.usage.cost']).toBe(CALL_USD);
    expect(h.points('llmcost.budget.exceeded.requests', { 'llmcost.budget.name': 'chat-roll' })).toMatchObject([
      { value: 1, attributes: { 'llmcost.budget.action': 'warned' } },
    ]);
  });

  it('counts a stream and a retried call once each', async () => {
    const file = budgetsFile(
      'once.yaml',
      `budgets:
  - { name: team-once, selector: { dimension: team, value: once }, period: weekly, limit_usd: 10 }
`,
    );
    runtimeWith({ budgets: file, budgetsMode: 'enforce' });
    h.sim.script({ status: 429, headers: { 'retry-after-ms': '1' } });
    h.sim.script(CALL);
    h.sim.script(CALL);
    await withAttribution({ team: 'once' }, async () => {
      await client.chat.completions.create({ model: 'gpt-4o', messages }); // 429, retried by the SDK
      const stream = await client.chat.completions.create({
        model: 'gpt-4o',
        messages,
        stream: true,
        stream_options: { include_usage: true },
      });
      for await (const _ of stream) {
        // consume
      }
    });
    expect(h.sim.requests).toHaveLength(3);
    await h.flush();
    const [spend] = h.points('llmcost.budget.spend', { 'llmcost.budget.name': 'team-once' });
    expect(spend?.value).toBeCloseTo(2 * CALL_USD, 12);
  });

  it('a broken budgets file names the file, the budget and the field; calls go on without budget checks', async () => {
    const file = budgetsFile(
      'broken.yaml',
      `budgets:
  - name: acme-day
    selector: { dimension: customer, value: acme }
    period: calendar_day
    limit_usd: "lots"
`,
    );
    const warnings: string[] = [];
    const rt = createLlmCostRuntime({ budgets: file, budgetsMode: 'enforce', onWarning: (m) => warnings.push(m) });
    expect(rt.budgets).toBeUndefined();
    expect(warnings).toEqual([
      expect.stringContaining(`${file}: budget "acme-day" (budgets[0]): field "limit_usd" must be a positive number`),
    ]);
    expect(warnings[0]).toContain('Budgets are not checked until this is fixed');
    rt.close();

    runtimeWith({ budgets: file, budgetsMode: 'enforce' });
    await chat('acme');
    await chat('acme');
    expect(h.sim.requests).toHaveLength(2);
  });

  it('reads LLMCOST_BUDGETS and LLMCOST_BUDGETS_MODE', () => {
    const file = budgetsFile(
      'env.yaml',
      `budgets:
  - { name: env-b, selector: { attribute: app.plan, value: free }, period: calendar_month, limit_usd: 1 }
`,
    );
    const rt = createLlmCostRuntime({});
    expect(rt.budgets).toBeUndefined();
    rt.close();
    process.env.LLMCOST_BUDGETS = file;
    process.env.LLMCOST_BUDGETS_MODE = 'enforce';
    try {
      const withEnv = createLlmCostRuntime({});
      expect(withEnv.budgets?.mode).toBe('enforce');
      expect(withEnv.budgets?.budgets.map((b) => b.name)).toEqual(['env-b']);
      // An attribute budget's key is inherited from parent spans like the dimensions.
      expect(withEnv.attribution.inherited).toContain('app.plan');
      withEnv.close();
    } finally {
      delete process.env.LLMCOST_BUDGETS;
      delete process.env.LLMCOST_BUDGETS_MODE;
    }
  });
});

describe('budgets with Prometheus down', () => {
  const file = () =>
    budgetsFile(
      'prom.yaml',
      `budgets:
  - { name: acme-prom, selector: { dimension: customer, value: acme }, period: calendar_day, limit_usd: 1 }
`,
    );

  it('fails open by default: the call goes through, with a warning and a counted failed read', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const rt = runtimeWith({ budgets: file(), budgetsMode: 'enforce', budgetEnforcement: { prometheusUrl: url } });
    await chat('acme');
    expect(h.sim.requests).toHaveLength(1);
    await rt.budgets!.read();
    expect(h.warnings.some((w) => w.includes(`budgets: cannot read spend from Prometheus at ${url}`))).toBe(true);
    expect(h.warnings.some((w) => w.includes('Failing open'))).toBe(true);
    await h.flush();
    expect(h.points('llmcost.budget.read_failures')[0]?.value).toBeGreaterThanOrEqual(1);
  });

  it('fails closed by option: the call is refused before any request while spend is unknown', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const rt = runtimeWith({
      budgets: file(),
      budgetsMode: 'enforce',
      budgetEnforcement: { prometheusUrl: url, failMode: 'closed' },
    });
    await rt.budgets!.read();
    const err = refusal('acme');
    expect(err.reason).toBe('spend_unknown');
    expect(err.status).toBe(429);
    expect(err.message).toBe('AI quota temporarily unavailable. Please try again later.');
    expect(h.sim.requests).toHaveLength(0);
    await chat('globex'); // outside every budget: not affected
    expect(h.sim.requests).toHaveLength(1);
  });
});
