// Runs every panel query of every dashboard against a real Prometheus, with the dashboard variables resolved
// from the data itself (label_values through the HTTP API; "All" -> .*), and checks that each query returns data
// and that the values named in `expectations` (e.g. the known costs) are what the panels show.
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { instantQuery, labelValues, rangeQuery, type Sample } from '@otel-llm-cost/testkit';
import { generatedDashboards } from '../lint/index.ts';
import { interpolate, type PanelQuery, panelQueries, parseLabelValues, variables } from './panel-queries.ts';

export interface Expectation {
  dashboard: string;
  panel: string;
  refId?: string;
  /** The query returns one series with this value... */
  value?: number;
  /** ...or one series per value of `label` ('' for series without it), exactly these. */
  byLabel?: { label: string; values: Record<string, number> };
  /** Allowed difference: max(absolute, relative * |expected|). Default: 1e-9 relative, 1e-12 absolute. */
  tolerance?: { relative?: number; absolute?: number };
}

export interface RunOptions {
  /** Dashboards to run; default: the committed generated/*.json. */
  dashboards?: Dashboard[];
  /** Unix seconds: instant queries run at this time and range queries end there (use the last scrape's time). */
  time: number;
  /** Unix seconds: the start of the dashboard time range, before the first sample. */
  start: number;
  /** What Grafana would put in $__rate_interval (4 x the scrape interval for a short range). */
  rateInterval: string;
  /** Range query step in seconds (default 1). */
  step?: number;
  /** Values for variables that should not be resolved from the data (applies to every dashboard). */
  variables?: Record<string, string>;
  expectations?: Expectation[];
}

export interface QueryResult extends PanelQuery {
  resolved: string;
  samples: Sample[];
}

export interface RunReport {
  results: QueryResult[];
  variables: Record<string, Record<string, string>>;
  failures: string[];
}

const finite = (s: string) => Number.isFinite(Number(s));

function hasData(r: QueryResult): boolean {
  return r.samples.some((s) =>
    r.instant ? s.value !== undefined && finite(s.value[1]) : (s.values ?? []).some((v) => finite(v[1])),
  );
}

function lastValue(s: Sample): number {
  return Number(s.value ? s.value[1] : (s.values ?? []).at(-1)?.[1]);
}

function close(got: number, want: number, tol: Expectation['tolerance']): boolean {
  const allowed = Math.max(tol?.absolute ?? 1e-12, (tol?.relative ?? 1e-9) * Math.abs(want));
  return Math.abs(got - want) <= allowed;
}

function checkExpectation(e: Expectation, r: QueryResult): string[] {
  const where = `${e.dashboard} / ${e.panel} / ${r.refId} (${r.resolved})`;
  if (e.value !== undefined) {
    if (r.samples.length !== 1) return [`${where}: expected one series, got ${r.samples.length}`];
    const got = lastValue(r.samples[0]!);
    return close(got, e.value, e.tolerance) ? [] : [`${where}: shows ${got}, expected ${e.value}`];
  }
  if (e.byLabel) {
    const problems: string[] = [];
    const got = new Map(r.samples.map((s) => [s.metric[e.byLabel!.label] ?? '', lastValue(s)]));
    for (const [k, want] of Object.entries(e.byLabel.values)) {
      const v = got.get(k);
      if (v === undefined) problems.push(`${where}: no series with ${e.byLabel.label}="${k}" (expected ${want})`);
      else if (!close(v, want, e.tolerance))
        problems.push(`${where}: ${e.byLabel.label}="${k}" shows ${v}, expected ${want}`);
    }
    for (const k of got.keys()) {
      if (!(k in e.byLabel.values))
        problems.push(`${where}: unexpected series ${e.byLabel.label}="${k}" (${got.get(k)})`);
    }
    return problems;
  }
  return [];
}

async function resolveVariables(
  prom: string,
  d: Dashboard,
  opts: RunOptions,
  failures: string[],
): Promise<Record<string, string>> {
  const range = Math.max(1, Math.round(opts.time - opts.start));
  const values: Record<string, string> = {
    __range: `${range}s`,
    __rate_interval: opts.rateInterval,
    __interval: `${opts.step ?? 1}s`,
  };
  for (const v of variables(d)) {
    if (v.type === 'datasource') {
      values[v.name] = 'prometheus';
      continue;
    }
    const fixed = opts.variables?.[v.name];
    if (v.type === 'custom') {
      values[v.name] = fixed ?? String(v.current?.value ?? '');
      continue;
    }
    const q = parseLabelValues(interpolate(String(v.query ?? ''), values));
    if (!q) {
      failures.push(`${d.title} / variable ${v.name}: cannot run query ${JSON.stringify(v.query)}`);
      continue;
    }
    const found = await labelValues(prom, q.label, q.match, opts.start, opts.time).catch((err: Error) => {
      failures.push(`${d.title} / variable ${v.name}: label_values failed: ${err.message}`);
      return [] as string[];
    });
    if (found.length === 0)
      failures.push(`${d.title} / variable ${v.name}: label_values(${q.match}, ${q.label}) returned no values`);
    values[v.name] = fixed ?? (v.includeAll ? (v.allValue ?? '.*') : (found.sort()[0] ?? ''));
  }
  return values;
}

export async function runAllPanelQueries(prom: string, opts: RunOptions): Promise<RunReport> {
  const dashboards = opts.dashboards ?? generatedDashboards().map((g) => g.dashboard);
  const failures: string[] = [];
  const results: QueryResult[] = [];
  const resolvedVars: Record<string, Record<string, string>> = {};
  for (const d of dashboards) {
    const values = await resolveVariables(prom, d, opts, failures);
    resolvedVars[d.title ?? ''] = values;
    for (const q of panelQueries(d)) {
      const resolved = interpolate(q.expr, values);
      const where = `${q.dashboard} / ${q.panel} / ${q.refId}`;
      try {
        const samples = q.instant
          ? await instantQuery(prom, resolved, opts.time)
          : await rangeQuery(prom, resolved, opts.start, opts.time, opts.step ?? 1);
        const r: QueryResult = { ...q, resolved, samples };
        results.push(r);
        if (!hasData(r)) failures.push(`${where}: no data for ${resolved}`);
      } catch (err) {
        failures.push(`${where}: query failed: ${(err as Error).message}: ${resolved}`);
      }
    }
  }
  for (const e of opts.expectations ?? []) {
    const r = results.find((x) => x.dashboard === e.dashboard && x.panel === e.panel && x.refId === (e.refId ?? 'A'));
    if (!r)
      failures.push(
        `expectation for ${e.dashboard} / ${e.panel} / ${e.refId ?? 'A'}: no such panel query (or it failed)`,
      );
    else failures.push(...checkExpectation(e, r));
  }
  return { results, variables: resolvedVars, failures };
}
