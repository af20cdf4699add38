// The linter must catch each kind of mistake it exists for: each case breaks one thing in a real dashboard.
import type { Dashboard, Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import { describe, expect, it } from 'vitest';
import { lintDashboard } from '../src/lint/dashboard-lint.ts';
import { generatedDashboards, knownMetrics } from '../src/lint/index.ts';
import { metricNames, rangeWindows, variableRefs } from '../src/lint/promql.ts';
import { validateDashboard } from '../src/lint/validate.ts';

const overview = () => structuredClone(generatedDashboards().find((d) => d.file.includes('overview'))!.dashboard);
const firstPanel = (d: Dashboard, type = 'timeseries') => (d.panels as Panel[]).find((p) => p.type === type)!;
// biome-ignore lint/suspicious/noExplicitAny: tests poke at untyped target fields
const firstTarget = (p: Panel) => p.targets![0] as any;
const lint = (d: Dashboard) => lintDashboard(d, { knownMetrics: knownMetrics() });

describe('dashboard linter', () => {
  it('accepts the generated overview', () => {
    expect(lint(overview())).toEqual([]);
  });

  it('rejects a hard-coded datasource uid', () => {
    const d = overview();
    firstPanel(d).datasource = { type: 'prometheus', uid: 'P1809F7CD0C75ACF3' };
    expect(lint(d).join('\n')).toMatch(/datasource must be .*\$\{datasource\}/);
    expect(lint(d).join('\n')).toMatch(/hard-coded uid "P1809F7CD0C75ACF3"/);
  });

  it('rejects a panel without a unit, and a USD query without currencyUSD', () => {
    const d = overview();
    firstPanel(d, 'stat').fieldConfig!.defaults!.unit = undefined;
    expect(lint(d).join('\n')).toMatch(/Spend in range.*no unit set/);
    firstPanel(d, 'stat').fieldConfig!.defaults!.unit = 'short';
    expect(lint(d).join('\n')).toMatch(/returns USD, so the panel unit must be currencyUSD/);
  });

  it('rejects a fixed rate window and a missing legend', () => {
    const d = overview();
    const t = firstTarget(firstPanel(d));
    t.expr = t.expr.replace('$__rate_interval', '5m');
    t.legendFormat = '__auto';
    const out = lint(d).join('\n');
    expect(out).toMatch(/rate\(\.\.\.\[5m\]\) must use \[\$__rate_interval\]/);
    expect(out).toMatch(/set a legendFormat/);
  });

  it('rejects an unknown metric and an undefined variable', () => {
    const d = overview();
    const t = firstTarget(firstPanel(d));
    t.expr = 'sum(rate(llmcost_cost_total{job=~"$service"}[$__rate_interval]))';
    const out = lint(d).join('\n');
    expect(out).toMatch(/queries "llmcost_cost_total", which is neither in docs\/telemetry.md/);
    expect(out).toMatch(/uses \$service, which is not a variable/);
  });

  it('rejects a dashboard without the datasource variable', () => {
    const d = overview();
    d.templating!.list = d.templating!.list!.filter((v) => v.name !== 'datasource');
    expect(lint(d).join('\n')).toMatch(/needs a variable "datasource"/);
  });
});

describe('dashboard JSON validation', () => {
  it('rejects a schema version Grafana 11 does not know, bad grids and duplicate ids', () => {
    const d = overview();
    d.schemaVersion = 99;
    const [a, b] = d.panels as Panel[];
    b!.id = a!.id;
    a!.gridPos = { x: 20, y: 0, w: 12, h: 4 };
    const out = validateDashboard(d).join('\n');
    expect(out).toMatch(/schemaVersion must be 39\.\.42/);
    expect(out).toMatch(/id must be a unique integer/);
    expect(out).toMatch(/gridPos must be integers within the 24-column grid/);
  });
});

describe('PromQL helpers', () => {
  it('finds metric names but not functions, labels or keywords', () => {
    expect(
      metricNames('sum by (job) (rate(a_total{x="b_total"}[5m])) / on (job) group_left () b:rec:rate5m > bool 0'),
    ).toEqual(['a_total', 'b:rec:rate5m']);
  });
  it('finds variables and range windows', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana variable syntax under test
    expect(variableRefs('x{a=~"$a", b="${b:regex}"}[$__rate_interval] [[c]]')).toEqual([
      'a',
      'b',
      '__rate_interval',
      'c',
    ]);
    expect(rangeWindows('sum(rate(x[1m])) / sum(increase(y{a="]"}[$__range]))')).toEqual([
      { fn: 'rate', window: '1m' },
      { fn: 'increase', window: '$__range' },
    ]);
  });
});
