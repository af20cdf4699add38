import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as semconv from '@opentelemetry/semantic-conventions';
import * as incubating from '@opentelemetry/semantic-conventions/incubating';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { validateContract } from '../validate.mjs';

const dir = join(import.meta.dirname, '..');
const text = readFileSync(join(dir, 'telemetry.yaml'), 'utf8');
const contract = parse(text);

const values = (entry: Record<string, unknown>, prefix: string) =>
  new Set(
    Object.entries(entry)
      .filter(([k]) => k.startsWith(prefix))
      .map(([, v]) => v),
  );

describe('the telemetry contract', () => {
  it('every generated copy matches it (node generate.mjs --check)', () => {
    const r = spawnSync(process.execPath, [join(dir, 'generate.mjs'), '--check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('semconv names are the semantic conventions’ own: stable ones from the stable entry point', () => {
    const stable = values(semconv, 'ATTR_');
    const all = values(incubating, 'ATTR_');
    for (const a of contract.attributes) {
      if (a.semconv === 'stable') expect(stable.has(a.name), a.name).toBe(true);
      if (a.semconv === 'incubating') expect(all.has(a.name), a.name).toBe(true);
      // ours, or another tool's: never a name semconv defines under another meaning
      if (!a.semconv) expect(all.has(a.name), `${a.name} is semconv: mark it`).toBe(false);
    }
    const metrics = values(incubating, 'METRIC_');
    for (const m of contract.metrics) expect(metrics.has(m.name), m.name).toBe(Boolean(m.semconv));
  });

  it('a broken contract is refused with the place named', () => {
    const broken = parse(text);
    broken.metrics[0].labels = ['no_such_label'];
    expect(() => validateContract(broken)).toThrow(/metric llmcost.cost: unknown label no_such_label/);
    const comma = parse(text.replace('doc: the API host }', 'doc: the API host, and more }'));
    expect(() => validateContract(comma)).toThrow(/attributes SERVER_ADDRESS: unknown key "and more"/);
    const rule = parse(text);
    rule.model_calls.rules[2].when[0].present = true;
    expect(() => validateContract(rule)).toThrow(/model_calls rule 2 \(vercel_ai\): a condition needs exactly one of/);
  });

  it('the dashboards’ linter and the docs read the same metric names', () => {
    const doc = readFileSync(join(dir, '..', '..', 'docs', 'telemetry.md'), 'utf8');
    for (const m of contract.metrics) expect(doc).toContain(`\`${m.prometheus}`);
  });
});
