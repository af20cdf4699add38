import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dist = join(import.meta.dirname, '..', 'dist');
const probe = "p.createPricer().price({provider:'openai',model:'gpt-4o',usage:{inputTokens:1234,outputTokens:0}}).cost";

describe('the built package', () => {
  it('exists (run `npm run build` first)', () => {
    expect(existsSync(join(dist, 'index.js')) && existsSync(join(dist, 'index.cjs'))).toBe(true);
  });

  it.each([
    ['require', ['-e', `const p = require('@otel-llm-cost/pricing'); console.log(${probe})`]],
    ['import', ['--input-type=module', '-e', `import * as p from '@otel-llm-cost/pricing'; console.log(${probe})`]],
  ])('works from %s', (_, args) => {
    const out = execFileSync(process.execPath, args, { cwd: join(import.meta.dirname, '..'), encoding: 'utf8' });
    expect(out.trim()).toBe('0.003085');
  });
});
