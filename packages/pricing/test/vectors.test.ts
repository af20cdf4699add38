import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildVectors } from '../scripts/vectors.js';

const committed = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'test-vectors', 'pricing-vectors.json'), 'utf8'),
);

describe('shared test vectors (test-vectors/pricing-vectors.json)', () => {
  const built = buildVectors();

  it('has at least 200 cases over many providers, priced and unpriced', () => {
    expect(committed.cases.length).toBeGreaterThanOrEqual(200);
    const providers = new Set(
      committed.cases.map((c: { expected: { pricing_provider?: string } }) => c.expected.pricing_provider),
    );
    expect(providers.size).toBeGreaterThanOrEqual(30);
    const reasons = new Set(committed.cases.map((c: { expected: { reason?: string } }) => c.expected.reason));
    expect([...reasons]).toEqual(expect.arrayContaining(['unknown_model', 'no_model', 'invalid_usage']));
  });

  it('match what this package answers (regenerate with `npm run vectors -w @otel-llm-cost/pricing`)', () => {
    expect(built.source).toBe(committed.source);
    expect(built.cases.length).toBe(committed.cases.length);
    for (let i = 0; i < built.cases.length; i++) {
      expect(built.cases[i], committed.cases[i].name).toEqual(committed.cases[i]);
    }
  });
});
