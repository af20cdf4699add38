import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPricer, OverrideError, PRICE_DATA_VERSION } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'llmcost-overrides-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
const usage = { inputTokens: 1_000_000, outputTokens: 1_000_000 };

describe('price overrides', () => {
  it('a YAML file prices a fine-tune the data lacks, and says so', () => {
    const path = file(
      'prices.yaml',
      'models:\n  - model: ft:gpt-4o-mini:acme::a1b2\n    provider: openai\n    prices: { input_mtok: 0.3, output_mtok: 1.2 }\n',
    );
    const r = createPricer({ overrides: path }).price({
      provider: 'openai',
      model: 'ft:gpt-4o-mini:acme::a1b2',
      usage,
    });
    expect(r).toMatchObject({ priced: true, cost: 1.5, source: 'override', priceDataVersion: `override:${path}` });
  });

  it('a negotiated price in a JSON file wins over the bundled one', () => {
    const path = file(
      'prices.json',
      JSON.stringify({ models: [{ model: 'gpt-4o', prices: { input_mtok: 2, output_mtok: 8 } }] }),
    );
    const r = createPricer({ overrides: path }).price({ provider: 'openai', model: 'gpt-4o', usage });
    expect(r).toMatchObject({ priced: true, cost: 10, source: 'override' });
  });

  it('a provider-restricted override does not apply to another provider', () => {
    const pricer = createPricer({
      overrides: {
        models: [
          { provider: 'aws.bedrock', match: { starts_with: 'gpt-4o' }, prices: { input_mtok: 1, output_mtok: 1 } },
        ],
      },
    });
    expect(pricer.price({ provider: 'openai', model: 'gpt-4o', usage })).toMatchObject({
      cost: 12.5,
      source: 'pricing_data',
    });
    expect(pricer.price({ provider: 'aws.bedrock', model: 'gpt-4o-x', usage })).toMatchObject({
      cost: 2,
      source: 'override',
    });
  });

  it('dated override prices follow their start dates', () => {
    const pricer = createPricer({
      overrides: {
        models: [
          {
            model: 'house-model',
            prices: [
              { prices: { input_mtok: 1, output_mtok: 1 } },
              { constraint: { start_date: '2026-06-01' }, prices: { input_mtok: 2, output_mtok: 2 } },
            ],
          },
        ],
      },
    });
    expect(pricer.price({ model: 'house-model', usage, time: new Date('2026-01-01T00:00:00Z') })).toMatchObject({
      cost: 2,
    });
    expect(pricer.price({ model: 'house-model', usage, time: new Date('2026-07-01T00:00:00Z') })).toMatchObject({
      cost: 4,
    });
  });

  it.each([
    [
      'bad.yaml',
      'models:\n  - model: x\n    prices: { input_mtok: "cheap" }\n',
      /bad\.yaml: models\[0\] \(model "x"\): prices\.input_mtok must be a non-negative number/,
    ],
    [
      'typo.yaml',
      'models:\n  - model: y\n    prices: { inptu_mtok: 1 }\n',
      /typo\.yaml: models\[0\] \(model "y"\): unknown price key "inptu_mtok"/,
    ],
    [
      'both.yaml',
      'models:\n  - model: z\n    match: { equals: z }\n    prices: { input_mtok: 1 }\n',
      /both\.yaml: models\[0\] \(model "z"\): give exactly one of "model"/,
    ],
    ['top.yaml', '- model: z\n', /top\.yaml: expected a top-level "models" list/],
    ['broken.json', '{"models": [', /broken\.json: not valid JSON/],
  ])('%s: the error names the file, the model and the field', (name, text, message) => {
    const path = file(name, text);
    expect(() => createPricer({ overrides: path })).toThrow(OverrideError);
    expect(() => createPricer({ overrides: path })).toThrow(message);
  });

  it('a missing file names the path', () => {
    expect(() => createPricer({ overrides: join(dir, 'nope.yaml') })).toThrow(/nope\.yaml cannot be read/);
  });
});

describe('price overrides from a URL', () => {
  let server: Server;
  let base: string;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits++;
      if (req.url === '/prices.yaml') {
        res.end('models:\n  - model: url-model\n    prices: { input_mtok: 4, output_mtok: 4 }\n');
      } else if (req.url === '/huge.yaml') {
        res.end(`# ${'x'.repeat(2 * 1024 * 1024)}\n`);
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  it('is fetched once, and prices after ready', async () => {
    const before = hits;
    const a = createPricer({ overrides: `${base}/prices.yaml` });
    const b = createPricer({ overrides: `${base}/prices.yaml` });
    await Promise.all([a.ready, b.ready]);
    expect(hits - before).toBe(1);
    expect(a.price({ model: 'url-model', usage })).toMatchObject({ priced: true, cost: 8, source: 'override' });
    expect(b.price({ model: 'url-model', usage })).toMatchObject({ priced: true, cost: 8 });
  });

  it.each([
    ['/missing.yaml', /answered HTTP 404/],
    ['/huge.yaml', /larger than 1048576 bytes/],
  ])('%s gives one clear warning and the bundled data keeps pricing', async (path, message) => {
    const warnings: string[] = [];
    const pricer = createPricer({ overrides: `${base}${path}`, onWarning: (m) => warnings.push(m) });
    await pricer.ready;
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(message);
    expect(warnings[0]).toContain(`continues with the price data (${PRICE_DATA_VERSION})`);
    expect(
      pricer.price({ provider: 'openai', model: 'gpt-4o', usage: { inputTokens: 1234, outputTokens: 0 } }),
    ).toMatchObject({
      cost: 0.003085,
    });
  });

  it('an unreachable host warns instead of crashing', async () => {
    const warnings: string[] = [];
    const pricer = createPricer({ overrides: 'http://127.0.0.1:9/prices.yaml', onWarning: (m) => warnings.push(m) });
    await pricer.ready;
    expect(warnings[0]).toMatch(/could not be fetched/);
  });
});
