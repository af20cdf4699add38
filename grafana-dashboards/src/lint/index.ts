// Lints and validates the generated dashboards against docs/telemetry.md and the generated rules.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { packageDir } from '../render.ts';
import { lintDashboard } from './dashboard-lint.ts';
import { readText, recordedNames, telemetryMetricNames } from './known-metrics.ts';
import { validateDashboard } from './validate.ts';

export const telemetryDoc = join(packageDir, '..', 'docs', 'telemetry.md');

export function knownMetrics(): Set<string> {
  const rulesDir = join(packageDir, 'rules');
  const ruleTexts = readdirSync(rulesDir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => readText(join(rulesDir, f)));
  return new Set([...telemetryMetricNames(readText(telemetryDoc)), ...recordedNames(ruleTexts)]);
}

export function generatedDashboards(): Array<{ file: string; dashboard: Dashboard }> {
  const dir = join(packageDir, 'generated');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: `generated/${f}`, dashboard: JSON.parse(readText(join(dir, f))) as Dashboard }));
}

export function lintAll(): string[] {
  const known = knownMetrics();
  return generatedDashboards().flatMap(({ file, dashboard }) =>
    [...validateDashboard(dashboard), ...lintDashboard(dashboard, { knownMetrics: known })].map((p) => `${file}: ${p}`),
  );
}
