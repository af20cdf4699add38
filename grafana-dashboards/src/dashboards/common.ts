// Shared building blocks of the dashboards: the datasource reference, variables, panel helpers and a layout
// helper. Every panel and query points at the `${datasource}` variable, never at a fixed datasource uid.
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import {
  LegendDisplayMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
  TableSortByFieldStateBuilder,
  VizLegendOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import {
  type Dashboard,
  type DashboardBuilder,
  type DataSourceRef,
  DatasourceVariableBuilder,
  type GridPos,
  type Panel,
  QueryVariableBuilder,
  RowBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import type { Config } from '../config.ts';

// biome-ignore lint/suspicious/noTemplateCurlyInString: a Grafana variable reference, not a JS template
export const datasource: DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

export function datasourceVariable(): DatasourceVariableBuilder {
  return new DatasourceVariableBuilder('datasource').label('Data source').type('prometheus');
}

/** A multi-value label_values() variable whose "All" matches every value, and series without the label. */
export function labelVariable(name: string, label: string, query: string): QueryVariableBuilder {
  return new QueryVariableBuilder(name)
    .label(label)
    .datasource(datasource)
    .query(query)
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.*')
    .current({ text: 'All', value: '$__all', selected: true });
}

export interface Query {
  expr: string;
  legend?: string;
  /** Instant queries back stat, bar gauge and table panels (one value per series at the end of the range). */
  instant?: boolean;
}

function target(q: Query, i: number): DataqueryBuilder {
  const t = new DataqueryBuilder()
    .datasource(datasource)
    .refId(String.fromCharCode(65 + i))
    .expr(q.expr)
    .legendFormat(q.legend ?? '__auto');
  if (q.instant) t.instant().format(PromQueryFormat.Table);
  else t.range();
  return t;
}

export type AnyPanel = cog.Builder<Panel> & { gridPos(g: GridPos): unknown };

export function statPanel(title: string, description: string, unit: string, q: Query): AnyPanel {
  return new stat.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(datasource)
    .unit(unit)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .withTarget(target({ ...q, instant: true }, 0));
}

export function timeseriesPanel(
  title: string,
  description: string,
  unit: string,
  queries: Query[],
  opts: { stack?: boolean; min?: number } = {},
): AnyPanel {
  const p = new timeseries.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(datasource)
    .unit(unit)
    .min(opts.min ?? 0)
    .fillOpacity(opts.stack ? 30 : 10)
    .legend(
      new VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(LegendDisplayMode.Table)
        .placement(LegendPlacement.Right)
        .calcs(['mean', 'lastNotNull']),
    );
  queries.forEach((q, i) => {
    p.withTarget(target(q, i));
  });
  return p;
}

/** A table of instant values, one row per series, sorted by value (largest first). */
export function tablePanel(title: string, description: string, unit: string, queries: Query[]): AnyPanel {
  const p = new table.PanelBuilder().title(title).description(description).datasource(datasource).unit(unit);
  // Several instant queries become one row per series with one column per query.
  if (queries.length > 1) p.withTransformation({ id: 'merge', options: {} });
  p.withTransformation({ id: 'organize', options: { excludeByName: { Time: true } } }).sortBy([
    new TableSortByFieldStateBuilder().displayName('Value').desc(true),
  ]);
  queries.forEach((q, i) => {
    p.withTarget(target({ ...q, instant: true }, i));
  });
  return p;
}

export function thresholds(steps: Array<{ value: number | null; color: string }>): ThresholdsConfigBuilder {
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps);
}

export interface Cell {
  panel: AnyPanel;
  w: number;
  h: number;
}

/** Lays rows of panels out left to right, top to bottom, on Grafana's 24-column grid. */
export function layout(d: DashboardBuilder, rows: Array<{ title: string; cells: Cell[] }>): DashboardBuilder {
  let y = 0;
  for (const row of rows) {
    d.withRow(new RowBuilder(row.title).gridPos({ x: 0, y, w: 24, h: 1 }));
    y += 1;
    let x = 0;
    let rowHeight = 0;
    for (const c of row.cells) {
      if (x + c.w > 24) {
        y += rowHeight;
        x = 0;
        rowHeight = 0;
      }
      c.panel.gridPos({ x, y, w: c.w, h: c.h });
      d.withPanel(c.panel);
      x += c.w;
      rowHeight = Math.max(rowHeight, c.h);
    }
    y += rowHeight;
  }
  return d;
}

/** Builds the dashboard JSON with the configured schema version and numbered panel ids. */
export function finish(d: DashboardBuilder, cfg: Config): Dashboard {
  const out = d.build();
  let id = 1;
  for (const p of out.panels ?? []) p.id = id++;
  return { ...out, schemaVersion: cfg.dashboards.schemaVersion };
}
