// Extracts every panel query and variable of a dashboard, and resolves Grafana variables in query text the way
// Grafana does for a Prometheus data source (`All` -> the variable's allValue, `.*` here).
import type { Dashboard, Panel, VariableModel } from '@grafana/grafana-foundation-sdk/dashboard';

export interface PanelQuery {
  dashboard: string;
  panel: string;
  refId: string;
  expr: string;
  /** Stat, bar gauge and table panels run instant queries; time series panels run range queries. */
  instant: boolean;
}

export function panelQueries(d: Dashboard): PanelQuery[] {
  const out: PanelQuery[] = [];
  for (const p of (d.panels ?? []) as Panel[]) {
    if (p.type === 'row') continue;
    for (const t of (p.targets ?? []) as Array<{ refId?: string; expr?: string; instant?: boolean }>) {
      out.push({
        dashboard: d.title ?? '',
        panel: p.title ?? '',
        refId: t.refId ?? '',
        expr: t.expr ?? '',
        instant: t.instant === true,
      });
    }
  }
  return out;
}

export function variables(d: Dashboard): VariableModel[] {
  return d.templating?.list ?? [];
}

/** Replaces $name, ${name} and ${name:format} with values[name]; unknown names are an error. */
export function interpolate(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{(\w+)(?::[^}]*)?\}|\$(\w+)/g, (_whole, a: string | undefined, b: string | undefined) => {
    const name = (a ?? b)!;
    const v = values[name];
    if (v === undefined) throw new Error(`no value for variable $${name} in: ${text}`);
    return v;
  });
}

/** `label_values(metric{...}, label)` -> { match: 'metric{...}', label: 'label' }. */
export function parseLabelValues(query: string): { match: string; label: string } | undefined {
  const m = /^label_values\((.*),\s*([\w$]+)\s*\)$/.exec(query.trim());
  return m ? { match: m[1]!.trim(), label: m[2]! } : undefined;
}
