// Runs the real promtool on the generated rules: `promtool check rules` and every `promtool test rules` file,
// one vitest test each, so that they count in the test summary. Skipped (with the reason) only when promtool is
// missing and CI is not set; under CI=true a missing promtool fails the run.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findPromtool, missingToolPolicy } from '@otel-llm-cost/testkit';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { packageDir } from '../src/render.ts';

const promtool = findPromtool();
const policy = missingToolPolicy('promtool', promtool);
const rulesDir = join(packageDir, 'rules');
const testsDir = join(rulesDir, 'tests');
const ruleFiles = readdirSync(rulesDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const testFiles = readdirSync(testsDir)
  .filter((f) => f.endsWith('.test.yaml'))
  .sort();

function run(args: string[], cwd: string): { code: number | null; output: string } {
  const r = spawnSync(promtool!, args, { cwd, encoding: 'utf8' });
  if (r.error) throw new Error(`could not run ${promtool}: ${r.error.message}`);
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

describe.skipIf(policy.skip)(`promtool${policy.skip ? ` (skipped: ${policy.reason})` : ''}`, () => {
  it('check rules accepts every generated rule file', () => {
    const r = run(['check', 'rules', ...ruleFiles], rulesDir);
    expect(r.output, r.output).toMatch(/SUCCESS/);
    expect(r.code, r.output).toBe(0);
  });

  it.each(testFiles)('test rules %s', (file) => {
    const r = run(['test', 'rules', file], testsDir);
    expect(r.code, r.output).toBe(0);
  });
});

describe('rule test coverage', () => {
  interface AlertCase {
    alertname: string;
    exp_alerts?: unknown[];
  }
  const alerts = ruleFiles.flatMap((f) => {
    const doc = parse(readFileSync(join(rulesDir, f), 'utf8')) as {
      groups: Array<{ rules: Array<{ alert?: string }> }>;
    };
    return doc.groups.flatMap((g) => g.rules.flatMap((r) => (r.alert ? [r.alert] : [])));
  });
  const cases = testFiles.flatMap((f) => {
    const doc = parse(readFileSync(join(testsDir, f), 'utf8')) as { tests: Array<{ alert_rule_test?: AlertCase[] }> };
    return doc.tests.flatMap((t) => t.alert_rule_test ?? []);
  });

  it.each(alerts)('%s has a case where it fires and a case where it must not', (alert) => {
    const mine = cases.filter((c) => c.alertname === alert);
    expect(
      mine.some((c) => (c.exp_alerts ?? []).length > 0),
      `no firing case for ${alert} in rules/tests`,
    ).toBe(true);
    expect(
      mine.some((c) => (c.exp_alerts ?? []).length === 0),
      `no quiet case for ${alert} in rules/tests`,
    ).toBe(true);
  });
});
