import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLlmCostRuntime } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'llmcost-node-overrides-'));
const usage = { inputTokens: 1_000_000, outputTokens: 0 };

describe('price overrides given to init()', () => {
  afterEach(() => {
    delete process.env.LLMCOST_PRICE_OVERRIDES;
  });

  it('a broken file gives one warning naming the file, entry and field; bundled prices keep working', () => {
    const path = join(dir, 'broken.yaml');
    writeFileSync(path, 'models:\n  - model: house-llm\n    prices: { input_mtok: -1 }\n');
    const warnings: string[] = [];
    const rt = createLlmCostRuntime({ priceOverrides: path, onWarning: (m) => warnings.push(m) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(
      `${path}: models[0] (model "house-llm"): prices.input_mtok must be a non-negative number`,
    );
    expect(warnings[0]).toContain('the price data still applies');
    // gpt-4o at $2.50 per 1M input tokens
    expect(rt.pricer.price({ provider: 'openai', model: 'gpt-4o', usage })).toMatchObject({ priced: true, cost: 2.5 });
    expect(rt.pricer.price({ model: 'house-llm', usage })).toMatchObject({ priced: false, reason: 'unknown_model' });
  });

  it('LLMCOST_PRICE_OVERRIDES names a file for the zero-code register entry', () => {
    const path = join(dir, 'prices.yaml');
    writeFileSync(path, 'models:\n  - model: house-llm\n    prices: { input_mtok: 0.4, output_mtok: 1.6 }\n');
    process.env.LLMCOST_PRICE_OVERRIDES = path;
    const rt = createLlmCostRuntime({});
    expect(rt.pricer.price({ model: 'house-llm', usage })).toMatchObject({
      priced: true,
      cost: 0.4,
      source: 'override',
    });
  });
});
