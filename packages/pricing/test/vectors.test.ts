import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRICE_DATA_VERSION } from '../src/index.js';
import { compare, readReference } from './reference-cases.js';

const vectors = readReference(join(import.meta.dirname, '..', 'test-vectors', 'pricing-vectors.json'));

describe('shared test vectors, computed by genai-prices reference implementation (calc_price)', () => {
  it('are for the bundled release and cover every provider, variant key, tiers and modality', () => {
    expect(vectors.version).toBe(PRICE_DATA_VERSION);
    expect(vectors.source).toMatch(/calc_price$/);
    expect(vectors.cases.length).toBeGreaterThanOrEqual(2000);
    const providers = new Set(vectors.cases.map((c) => (c.expected.priced ? c.expected.pricing_provider : '')));
    expect(providers.size).toBeGreaterThanOrEqual(47);
    const keys = new Set(vectors.cases.flatMap((c) => Object.keys(c.input.context ?? {})));
    expect([...keys].sort()).toEqual(['processing', 'route', 'search_type', 'service_tier', 'speed']);
    const reasons = new Set(vectors.cases.map((c) => (c.expected.priced ? 'priced' : c.expected.reason)));
    expect([...reasons].sort()).toEqual(['invalid_usage', 'priced', 'unknown_model', 'unsupported_usage']);
    const usage = new Set(vectors.cases.flatMap((c) => Object.keys(c.input.usage)));
    expect([...usage]).toEqual(expect.arrayContaining(['input_audio_tokens', 'output_image_tokens']));
  });

  it('are reproduced by this pricer to 1e-10 USD, with the same provider, model and variant', () => {
    const differences = compare(vectors);
    expect(differences.slice(0, 20), `${differences.length} of ${vectors.cases.length} cases differ`).toEqual([]);
  });
});
