import { describe, expect, it } from 'vitest';
import { driftedFiles } from '../src/generate.ts';
import { generatedDashboards, lintAll } from '../src/lint/index.ts';
import { validateDashboard } from '../src/lint/validate.ts';

describe('generated output', () => {
  it('matches what src/ renders (run `npm run generate -w grafana-dashboards` and commit if this fails)', () => {
    expect(driftedFiles()).toEqual([]);
  });

  it('holds the three dashboards', () => {
    expect(generatedDashboards().map((d) => d.dashboard.title)).toEqual([
      'LLM cost attribution drill-down',
      'LLM cost budgets',
      'LLM cost overview',
    ]);
  });

  it.each(generatedDashboards())('$file is valid dashboard JSON for Grafana 11 and 12', ({ dashboard }) => {
    expect(validateDashboard(dashboard)).toEqual([]);
  });

  it('passes the dashboard linter', () => {
    expect(lintAll()).toEqual([]);
  });
});
