// The dashboard linter: checks that a generated dashboard is portable (datasource variable, no fixed uid),
// readable (units, legends) and correct against the metric contract (known metrics, rate windows, variables).
import type { Dashboard, Panel, VariableModel } from '@grafana/grafana-foundation-sdk/dashboard';
import { metricNames, rangeWindows, variableRefs } from './promql.ts';

export interface LintContext {
  /** Metric names a query may use: docs/telemetry.md names and recording rule names. */
  knownMetrics: Set<string>;
}

const BUILTIN_VARIABLES = new Set([
  '__rate_interval',
  '__range',
  '__interval',
  '__interval_ms',
  '__range_s',
  '__range_ms',
  '__all',
  '__auto',
  '__dashboard',
  '__from',
  '__to',
  '__name',
  '__org',
  '__user',
]);
// biome-ignore lint/suspicious/noTemplateCurlyInString: a Grafana variable reference, not a JS template
const DS = '${datasource}';

interface Target {
  refId?: string;
  expr?: string;
  legendFormat?: string;
  instant?: boolean;
  datasource?: { type?: string; uid?: string };
}

function isUsdQuery(expr: string): boolean {
  if (!/USD|_usd/.test(expr) || /burnrate/.test(expr)) return false;
  if (/^\s*count\(/.test(expr)) return false;
  return !/\)\s*\/\s*|\s\/\s/.test(expr);
}

export function lintDashboard(d: Dashboard, ctx: LintContext): string[] {
  const problems: string[] = [];
  const vars: VariableModel[] = d.templating?.list ?? [];
  const defined = new Set(vars.map((v) => v.name));
  const dsVar = vars.find((v) => v.name === 'datasource');
  if (dsVar?.type !== 'datasource' || dsVar.query !== 'prometheus') {
    problems.push(`${d.title}: needs a variable "datasource" of type datasource with query "prometheus"`);
  }

  const checkVars = (where: string, text: string) => {
    for (const v of variableRefs(text)) {
      if (!BUILTIN_VARIABLES.has(v) && !defined.has(v))
        problems.push(`${where}: uses $${v}, which is not a variable of the dashboard`);
    }
  };
  const checkMetrics = (where: string, expr: string) => {
    for (const name of metricNames(expr)) {
      if (!ctx.knownMetrics.has(name)) {
        problems.push(
          `${where}: queries "${name}", which is neither in docs/telemetry.md nor a generated recording rule`,
        );
      }
    }
  };

  for (const v of vars) {
    if (v.type !== 'query') continue;
    const where = `${d.title} / variable ${v.name}`;
    if (v.datasource?.uid !== DS)
      problems.push(`${where}: datasource must be ${DS}, is ${JSON.stringify(v.datasource)}`);
    const q = typeof v.query === 'string' ? v.query : '';
    checkVars(where, q);
    const inner = /^label_values\((.*),\s*[$\w]+\)$/.exec(q)?.[1];
    if (inner) checkMetrics(where, inner);
    else problems.push(`${where}: query should be label_values(<metric>{...}, <label>), is ${JSON.stringify(q)}`);
  }

  for (const p of (d.panels ?? []) as Panel[]) {
    if (p.type === 'row') {
      checkVars(`${d.title} / row "${p.title}"`, p.title ?? '');
      continue;
    }
    const where = `${d.title} / panel "${p.title}"`;
    checkVars(where, p.title ?? '');
    if (p.datasource?.type !== 'prometheus' || p.datasource?.uid !== DS) {
      problems.push(`${where}: datasource must be {type: prometheus, uid: ${DS}}, is ${JSON.stringify(p.datasource)}`);
    }
    const unit = p.fieldConfig?.defaults?.unit;
    if (!unit) problems.push(`${where}: no unit set (fieldConfig.defaults.unit)`);
    const targets = (p.targets ?? []) as Target[];
    if (targets.length === 0) problems.push(`${where}: has no queries`);
    for (const t of targets) {
      const tw = `${where} / query ${t.refId ?? '?'}`;
      if (t.datasource?.uid !== DS)
        problems.push(`${tw}: datasource must be ${DS}, is ${JSON.stringify(t.datasource)}`);
      const expr = t.expr ?? '';
      if (!expr) problems.push(`${tw}: empty expr`);
      checkVars(tw, `${expr} ${t.legendFormat ?? ''}`);
      checkMetrics(tw, expr);
      if (p.type !== 'stat' && (!t.legendFormat || t.legendFormat === '__auto')) {
        problems.push(`${tw}: set a legendFormat so that series are named, not "{__name__=...}"`);
      }
      for (const { fn, window } of rangeWindows(expr)) {
        const ok = ['rate', 'irate'].includes(fn)
          ? window === '$__rate_interval'
          : ['$__rate_interval', '$__range'].includes(window);
        if (!ok)
          problems.push(
            `${tw}: ${fn}(...[${window}]) must use [$__rate_interval]${fn === 'increase' ? ' or [$__range]' : ''}`,
          );
      }
      if (isUsdQuery(expr) && unit !== 'currencyUSD') {
        problems.push(`${tw}: returns USD, so the panel unit must be currencyUSD (is ${JSON.stringify(unit)})`);
      }
    }
  }

  const json = JSON.stringify(d);
  for (const m of json.matchAll(/"uid":"([^"]*)"/g)) {
    if (m[1] !== DS && m[1] !== d.uid) problems.push(`${d.title}: hard-coded uid ${JSON.stringify(m[1])}; use ${DS}`);
  }
  return problems;
}
