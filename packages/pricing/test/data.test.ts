import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateDocument } from '../src/index.js';

const data = join(import.meta.dirname, '..', 'data');
const goData = join(import.meta.dirname, '..', '..', 'collector-processor', 'internal', 'pricing', 'data');
const read = (dir: string, f: string) => readFileSync(join(dir, f));
const meta = JSON.parse(read(data, 'genai-prices.meta.json').toString());
const doc = JSON.parse(read(data, 'genai-prices.json').toString());

// `npm run data:check` (in scripts/test.sh) proves these files are what the genai-prices release gives; these
// checks need no Python.
describe('bundled price data (data/genai-prices.json)', () => {
  it('is the genai-prices document its meta file describes (version, sha256, counts)', () => {
    expect(meta.version).toMatch(/^genai-prices@\d+\.\d+\.\d+$/);
    expect(createHash('sha256').update(read(data, 'genai-prices.json')).digest('hex')).toBe(meta.sha256);
    expect(doc.length).toBe(meta.providers);
    expect(doc.reduce((n: number, p: { models: unknown[] }) => n + p.models.length, 0)).toBe(meta.models);
    expect(validateDocument(doc, { providers: meta.providers, models: meta.models })).toBeUndefined();
  });

  it('the units table is from the same release', () => {
    expect(JSON.parse(read(data, 'units.json').toString()).source).toBe(meta.source);
  });

  it('the Go collector processor embeds byte-identical copies', () => {
    for (const f of ['genai-prices.json', 'genai-prices.meta.json', 'units.json', 'provider-aliases.json']) {
      expect(read(goData, f).equals(read(data, f)), f).toBe(true);
    }
  });
});

describe('usage keys', () => {
  it('TokenUsage feeds exactly the keys of data/token-usage-keys.json', async () => {
    const { GENAI_USAGE_KEYS } = await import('../src/pricer.js');
    const shared = JSON.parse(read(data, 'token-usage-keys.json').toString()).keys;
    expect(Object.values(GENAI_USAGE_KEYS).sort()).toEqual([...shared].sort());
  });
});
