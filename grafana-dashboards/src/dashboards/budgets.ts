// "Budgets": every budget of budgets.yaml, its spend in the current (rolling) period against its limit, its burn
// rate and a forecast, all read from the budget recording rules.

import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import { BarGaugeDisplayMode, ReduceDataOptionsBuilder } from '@grafana/grafana-foundation-sdk/common';
import { type Dashboard, DashboardBuilder, DashboardCursorSync } from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import type { Config } from '../config.ts';
import { budgetRecorded as r } from '../rules/budget-rules.ts';
import {
  datasource,
  datasourceVariable,
  finish,
  labelVariable,
  layout,
  tablePanel,
  thresholds,
  timeseriesPanel,
} from './common.ts';

export const budgetsUid = 'llmcost-budgets';

export function budgetsDashboard(cfg: Config): Dashboard {
  const b = '{budget=~"$budget"}';
  const spend = `${r.spend}${b}`;
  const limit = `${r.limit}${b}`;
  const warning = cfg.dashboards.budgetWarningColorAt;

  const usedPanel = new bargauge.PanelBuilder()
    .title('Spent of budget (current period)')
    .description('Spend in the rolling period (last 24h, 7d or 30d) as a share of the limit.')
    .datasource(datasource)
    .unit('percentunit')
    .min(0)
    .max(1)
    .displayMode(BarGaugeDisplayMode.Gradient)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .thresholds(
      thresholds([
        { value: null, color: 'green' },
        { value: warning, color: 'orange' },
        { value: 1, color: 'red' },
      ]),
    )
    .withTarget(
      new DataqueryBuilder()
        .datasource(datasource)
        .refId('A')
        .expr(`${spend} / ${limit}`)
        .legendFormat('{{budget}}')
        .instant()
        .format(PromQueryFormat.TimeSeries),
    );

  const d = new DashboardBuilder('LLM cost budgets')
    .uid(budgetsUid)
    .description(
      'Budgets from budgets.yaml: spend in the current rolling period against the limit, burn rate and forecast.',
    )
    .tags(cfg.dashboards.tags)
    .refresh(cfg.dashboards.refresh)
    .time({ from: 'now-7d', to: 'now' })
    .tooltip(DashboardCursorSync.Crosshair)
    .withVariable(datasourceVariable())
    .withVariable(labelVariable('budget', 'Budget', `label_values(${r.limit}, budget)`));

  return finish(
    layout(d, [
      {
        title: 'Budgets',
        cells: [
          { panel: usedPanel, w: 12, h: 8 },
          {
            panel: tablePanel(
              'Budgets in USD',
              'Spent in the current period, the limit, and the spend of a full period at the last 6h pace.',
              'currencyUSD',
              [
                { expr: spend, legend: 'spent' },
                { expr: limit, legend: 'limit' },
                { expr: `${r.burnRate('6h')}${b} * ${limit}`, legend: 'forecast' },
              ],
            ),
            w: 12,
            h: 8,
          },
          {
            panel: timeseriesPanel(
              'Spend in period and limit',
              'Spend in the rolling period and the limit of each budget, in USD.',
              'currencyUSD',
              [
                { expr: spend, legend: '{{budget}} spent' },
                { expr: limit, legend: '{{budget}} limit' },
              ],
            ),
            w: 12,
            h: 8,
          },
          {
            panel: timeseriesPanel(
              'Burn rate',
              'Spend pace relative to the budget: 1 = on pace to spend exactly the limit in one period.',
              'short',
              [
                { expr: `${r.burnRate('1h')}${b}`, legend: '{{budget}} 1h' },
                { expr: `${r.burnRate('6h')}${b}`, legend: '{{budget}} 6h' },
              ],
            ),
            w: 12,
            h: 8,
          },
          {
            panel: timeseriesPanel(
              'Forecast: a full period at the last 6h pace',
              'USD a full period would cost at the spend pace of the last 6 hours, against the limit.',
              'currencyUSD',
              [
                { expr: `${r.burnRate('6h')}${b} * ${limit}`, legend: '{{budget}} forecast' },
                { expr: limit, legend: '{{budget}} limit' },
              ],
            ),
            w: 24,
            h: 8,
          },
        ],
      },
    ]),
    cfg,
  );
}
