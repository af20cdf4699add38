import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBudgets } from '../src/budgets.ts';
import { config } from '../src/config.ts';
import { budgetsFile, packageDir, ruleFiles } from '../src/render.ts';
import type { AlertingRule } from '../src/rules/types.ts';

const runbook = readFileSync(join(packageDir, '..', 'docs', 'runbook.md'), 'utf8');
const anchors = new Set(
  [...runbook.matchAll(/^#{2,3} (.+)$/gm)].map((m) =>
    m[1]!
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9 -]/g, '')
      .replace(/ /g, '-'),
  ),
);
const alerts = Object.values(ruleFiles(config, loadBudgets(budgetsFile)))
  .flatMap((f) => f.groups.flatMap((g) => g.rules))
  .filter((r): r is AlertingRule => 'alert' in r);

describe('alert annotations', () => {
  it.each(alerts.map((a) => [a.alert, a] as const))(
    '%s has severity, summary, description and a runbook section',
    (_name, a) => {
      expect(['critical', 'warning', 'info']).toContain(a.labels.severity);
      expect(a.annotations.summary.length).toBeGreaterThan(10);
      expect(a.annotations.description.length).toBeGreaterThan(10);
      const [base, anchor] = a.annotations.runbook_url.split('#');
      expect(base).toBe(config.runbookBaseUrl);
      expect(anchors, `docs/runbook.md has no section "### ${a.alert}"`).toContain(anchor);
    },
  );
});
