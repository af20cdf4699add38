// Per-customer markup (pricing.markup): the billed price next to the cost, on the span and in the metrics, with the
// real openai client over HTTP to the simulator. Expected figures are worked out by hand from genai-prices' data:
// gpt-4o costs $2.50 per million input tokens and $10 per million output tokens, so 1000 in / 200 out costs
// 1000 * 2.5/1e6 + 200 * 10/1e6 = 0.0025 + 0.002 = 0.0045 USD.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type OpenAIType from 'openai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LlmCostOptions, type MarkupConfig, withAttribution } from '../src/index.js';
import { type Harness, startHarness } from './helpers/harness.js';

let h: Harness;
let client: OpenAIType;
const dir = mkdtempSync(join(tmpdir(), 'llmcost-node-markup-'));

const MARKUP: MarkupConfig = {
  default: { multiplier: 1.2 },
  plans: {
    // cost x 1.1, plus $1 per million input tokens and $5 per million output tokens
    pro: { multiplier: 1.1, perMillionTokens: { input: 1, output: 5 } },
  },
  customers: {
    acme: { multiplier: 1.3 },
    globex: { plan: 'pro' },
    // a surcharge only: the multiplier is 1
    initech: { perMillionTokens: { input: 1 } },
  },
};

beforeAll(async () => {
  h = await startHarness({ environment: 'test' });
  const { OpenAI } = h.require('openai') as typeof import('openai');
  client = new OpenAI({ apiKey: 'sk-test', baseURL: h.sim.openaiBaseURL, maxRetries: 0 });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
  h.warnings.length = 0;
});
afterEach(() => {
  delete process.env.LLMCOST_MARKUP;
});

function use(markup: LlmCostOptions['pricing']) {
  h.useRuntime({ environment: 'test', onWarning: (m) => h.warnings.push(m), pricing: markup });
}

/** One gpt-4o call of 1000 input and 200 output tokens for this customer (none: no customer). */
async function callFor(customerId: string | undefined, feature: string, model = 'gpt-4o'): Promise<void> {
  h.sim.script({ usage: { inputTokens: 1000, outputTokens: 200 } });
  await withAttribution({ feature, ...(customerId ? { customerId } : {}) }, () =>
    client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }),
  );
}

async function spanOf(feature: string) {
  await h.flush();
  const spans = h.llmSpans().filter((s) => s.attributes['app.feature'] === feature);
  expect(spans).toHaveLength(1);
  return spans[0]!;
}

describe('per-customer markup', () => {
  it('a customer rule: cost and billed side by side on the span and in the metrics (x1.3: 0.00585)', async () => {
    use({ markup: MARKUP });
    await callFor('acme', 'mk-acme');
    const span = await spanOf('mk-acme');
    expect(span.attributes['gen_ai.usage.cost']).toBe(0.0045);
    // 0.0045 * 1.3
    expect(span.attributes['llmcost.billed_cost']).toBe(0.00585);

    const cost = h.points('llmcost.cost', { 'app.feature': 'mk-acme' });
    const billed = h.points('llmcost.billed', { 'app.feature': 'mk-acme' });
    expect(cost).toHaveLength(1);
    expect(billed).toHaveLength(1);
    expect(cost[0]?.value).toBeCloseTo(0.0045, 12);
    expect(billed[0]?.value).toBeCloseTo(0.00585, 12);
    // the same labels as the cost counter, the same unit, and a counter
    expect(billed[0]?.attributes).toEqual(cost[0]?.attributes);
    expect(billed[0]?.attributes).toMatchObject({
      'app.customer.id': 'acme',
      'gen_ai.request.model': 'gpt-4o',
      'llmcost.cost.source': 'pricing_data',
    });
    expect(billed[0]?.unit).toBe('USD');
    expect(billed[0]?.type).toBe('sum');
    expect(h.warnings).toEqual([]);
  });

  it("a customer's plan: multiplier and per-token surcharge (0.00695)", async () => {
    use({ markup: MARKUP });
    await callFor('globex', 'mk-globex');
    const span = await spanOf('mk-globex');
    expect(span.attributes['gen_ai.usage.cost']).toBe(0.0045);
    // 0.0045 * 1.1 + 1000 * 1/1e6 + 200 * 5/1e6 = 0.00495 + 0.001 + 0.001
    expect(span.attributes['llmcost.billed_cost']).toBe(0.00695);
    expect(h.points('llmcost.billed', { 'app.feature': 'mk-globex' })[0]?.value).toBeCloseTo(0.00695, 12);
  });

  it('a surcharge without a multiplier bills the cost plus the surcharge (0.0055)', async () => {
    use({ markup: MARKUP });
    await callFor('initech', 'mk-initech');
    // 0.0045 + 1000 * 1/1e6
    expect((await spanOf('mk-initech')).attributes['llmcost.billed_cost']).toBe(0.0055);
  });

  it('a customer without a rule of its own gets the default (x1.2: 0.0054)', async () => {
    use({ markup: MARKUP });
    await callFor('umbrella', 'mk-default');
    // 0.0045 * 1.2
    expect((await spanOf('mk-default')).attributes['llmcost.billed_cost']).toBe(0.0054);
    expect(h.points('llmcost.billed', { 'app.feature': 'mk-default' })[0]?.value).toBeCloseTo(0.0054, 12);
  });

  it('no billed cost for a customer with no rule and no default, nor for a call without a customer', async () => {
    use({ markup: { customers: { acme: { multiplier: 1.3 } } } });
    await callFor('umbrella', 'mk-norule');
    await callFor(undefined, 'mk-nocustomer');
    for (const feature of ['mk-norule', 'mk-nocustomer']) {
      const span = await spanOf(feature);
      expect(span.attributes['gen_ai.usage.cost']).toBe(0.0045);
      expect(span.attributes['llmcost.billed_cost']).toBeUndefined();
      expect(h.points('llmcost.cost', { 'app.feature': feature })[0]?.value).toBeCloseTo(0.0045, 12);
      expect(h.points('llmcost.billed', { 'app.feature': feature })).toEqual([]);
    }
  });

  it('never a billed price without a cost: an unpriced call gets neither', async () => {
    use({ markup: MARKUP });
    await callFor('acme', 'mk-unpriced', 'house-model-without-a-price');
    const span = await spanOf('mk-unpriced');
    expect(span.attributes['llmcost.unpriced']).toBe(true);
    expect(span.attributes['gen_ai.usage.cost']).toBeUndefined();
    expect(span.attributes['llmcost.billed_cost']).toBeUndefined();
    expect(h.points('llmcost.billed', { 'app.feature': 'mk-unpriced' })).toEqual([]);
  });

  it('a stream is billed once, from its usage chunk', async () => {
    use({ markup: MARKUP });
    h.sim.script({ usage: { inputTokens: 1000, outputTokens: 200 }, content: ['a', 'b'] });
    await withAttribution({ feature: 'mk-stream', customerId: 'acme' }, async () => {
      const stream = await client.chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
      });
      for await (const _ of stream) {
        // drain
      }
    });
    expect((await spanOf('mk-stream')).attributes['llmcost.billed_cost']).toBe(0.00585);
    expect(h.points('llmcost.billed', { 'app.feature': 'mk-stream' })[0]?.value).toBeCloseTo(0.00585, 12);
  });

  it('reads a YAML file named by LLMCOST_MARKUP', async () => {
    const path = join(dir, 'markup.yaml');
    writeFileSync(path, 'customers:\n  acme: { plan: gold }\nplans:\n  gold: { multiplier: 2 }\n');
    process.env.LLMCOST_MARKUP = path;
    use(undefined);
    await callFor('acme', 'mk-env');
    // 0.0045 * 2
    expect((await spanOf('mk-env')).attributes['llmcost.billed_cost']).toBe(0.009);
  });

  it.each<[string, unknown, string]>([
    ['a multiplier that is no number', { default: { multiplier: '1.3' } }, 'default.multiplier must be a number >= 0'],
    ['a misspelt key', { customers: { acme: { multipler: 1.3 } } }, 'customers.acme.multipler is not a markup setting'],
    [
      'an unknown plan',
      { plans: { pro: { multiplier: 1 } }, customers: { acme: { plan: 'gold' } } },
      'customers.acme.plan: no plan "gold" in plans; use one of pro',
    ],
    [
      'a negative surcharge',
      { default: { perMillionTokens: { output: -1 } } },
      'default.perMillionTokens.output must be a number >= 0',
    ],
    ['an empty rule', { customers: { acme: {} } }, 'customers.acme is empty: give multiplier'],
  ])('%s: one warning naming the field and the fix; calls are priced, unbilled', async (name, markup, message) => {
    use({ markup: markup as MarkupConfig });
    expect(h.warnings).toHaveLength(1);
    expect(h.warnings[0]).toContain(`pricing.markup: ${message}`);
    expect(h.warnings[0]).toContain('The markup is ignored until this is fixed');
    const feature = `mk-bad-${name}`;
    await callFor('acme', feature);
    const span = await spanOf(feature);
    expect(span.attributes['gen_ai.usage.cost']).toBe(0.0045);
    expect(span.attributes['llmcost.billed_cost']).toBeUndefined();
  });

  it('a broken or missing file warns with its path and the problem, and never takes the app down', async () => {
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'default:\n  multiplier: [1.3\n');
    use({ markup: broken });
    expect(h.warnings[0]).toContain(`${broken}: not valid YAML`);
    const missing = join(dir, 'missing.yaml');
    use({ markup: missing });
    expect(h.warnings[1]).toContain(`markup file ${missing} cannot be read`);
    const wrong = join(dir, 'wrong.json');
    writeFileSync(wrong, JSON.stringify({ plans: { pro: { multiplier: -2 } } }));
    use({ markup: wrong });
    expect(h.warnings[2]).toContain(`markup file ${wrong}: plans.pro.multiplier must be a number >= 0, e.g. 1.3`);
    await callFor('acme', 'mk-broken-file');
    expect((await spanOf('mk-broken-file')).attributes['gen_ai.usage.cost']).toBe(0.0045);
  });
});
