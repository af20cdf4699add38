import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../core/names.js';
import { normalizeProvider } from './attributes.js';

// The contract's examples of provider names as real instrumentations write them; the collector processor's
// normalizeProvider is tested against the same (provider_test.go).
describe('provider names are normalised by the contract rule', () => {
  for (const [raw, want] of Object.entries(DIALECTS.provider_examples)) {
    it(`${JSON.stringify(raw)} -> ${want}`, () => {
      expect(normalizeProvider(raw)).toBe(want);
    });
  }
});
