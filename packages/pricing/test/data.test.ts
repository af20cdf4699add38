import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('extracted price data', () => {
  it('data/*.json and the Go copies match the pinned @pydantic/genai-prices (extract-data --check)', () => {
    const out = execFileSync(
      process.execPath,
      [join(import.meta.dirname, '..', 'scripts', 'extract-data.mjs'), '--check'],
      {
        encoding: 'utf8',
      },
    );
    expect(out).toMatch(/genai-prices@0\.1\.8: 43 providers, \d{4} models/);
  });
});
