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

const unitVectors = readReference(join(import.meta.dirname, '..', 'test-vectors', 'unit-vectors.json'));

describe('usage that is not tokens (audio seconds, characters, web searches), computed by calc_price', () => {
  it('cover whisper-1, tts-1 and web search fees, priced and unsupported', () => {
    expect(unitVectors.version).toBe(PRICE_DATA_VERSION);
    const byName = new Map(unitVectors.cases.map((c) => [c.name, c.expected]));
    // By hand from the price data: whisper-1 $0.36 per audio hour, tts-1 $15 per million characters, gpt-4o
    // $2.50 / $10 per M tokens plus $10 per 1,000 web searches.
    expect(byName.get('openai/whisper-1 transcription-60s')).toMatchObject({ priced: true, cost: (60 / 3600) * 0.36 });
    expect(byName.get('openai/tts-1 speech-1234-chars')).toMatchObject({ priced: true, cost: (1234 * 15) / 1e6 });
    expect(byName.get('token model gpt-4o chat-3-web-searches')).toMatchObject({
      priced: true,
      cost: 0.038755, // 1234 * 2.5/M + 567 * 10/M + 3 * 10/1000
    });
    expect(byName.get('openai/whisper-1 chat-tokens-only')).toMatchObject({ reason: 'unsupported_usage' });
    expect(byName.get('token model gpt-4o transcription-60s')).toMatchObject({ reason: 'unsupported_usage' });
  });

  it('are reproduced by this pricer to 1e-10 USD', () => {
    const differences = compare(unitVectors);
    expect(differences.slice(0, 20), `${differences.length} of ${unitVectors.cases.length} cases differ`).toEqual([]);
  });
});
