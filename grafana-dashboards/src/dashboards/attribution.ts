// "Attribution drill-down": one feature, team or customer at a time: its spend over time by model and route,
// its share of the total, its most expensive routes, and what it billed its customers against what it cost.
import {
  CustomVariableBuilder,
  type Dashboard,
  DashboardBuilder,
  DashboardCursorSync,
  QueryVariableBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { labels as l, metrics as m } from '@otel-llm-cost/contract/prometheus';
import { type Config, sel } from '../config.ts';
import {
  datasource,
  datasourceVariable,
  finish,
  labelVariable,
  layout,
  statPanel,
  tablePanel,
  timeseriesPanel,
} from './common.ts';

export const attributionUid = 'llmcost-attribution';

export function attributionDashboard(cfg: Config): Dashboard {
  const base = [cfg.selector, `${l.service}=~"$job"`, `${l.environment}=~"$environment"`];
  const all = `${m.cost}${sel(...base)}`;
  const slice = `${m.cost}${sel(...base, '$dimension="$value"')}`;
  // What the slice's calls were billed under the markup (pricing.markup): the billed counter has the cost
  // counter's labels, so `billed - cost` matches series one to one and subtracts only the billed calls' cost.
  const billed = `${m.billed}${sel(...base, '$dimension="$value"')}`;
  const margin = (w: string) => `increase(${billed}[${w}]) - increase(${slice}[${w}])`;
  const valueQuery = `label_values(${m.cost}${sel(...base)}, $dimension)`;

  const d = new DashboardBuilder('LLM cost attribution drill-down')
    .uid(attributionUid)
    .description(
      'Spend of one feature, team or customer: over time by model and route, its share of the total, its most expensive routes.',
    )
    .tags(cfg.dashboards.tags)
    .refresh(cfg.dashboards.refresh)
    .time({ from: 'now-7d', to: 'now' })
    .tooltip(DashboardCursorSync.Crosshair)
    .withVariable(datasourceVariable())
    .withVariable(labelVariable('job', 'Service', `label_values(${m.cost}${sel(cfg.selector)}, ${l.service})`))
    .withVariable(
      labelVariable(
        'environment',
        'Environment',
        `label_values(${m.cost}${sel(cfg.selector, `${l.service}=~"$job"`)}, ${l.environment})`,
      ),
    )
    .withVariable(
      new CustomVariableBuilder('dimension')
        .label('Slice by')
        .values(`feature : ${l.feature},team : ${l.team},customer : ${l.customer}`)
        .options([
          { text: 'feature', value: l.feature, selected: true },
          { text: 'team', value: l.team, selected: false },
          { text: 'customer', value: l.customer, selected: false },
        ])
        .current({ text: 'feature', value: l.feature, selected: true }),
    )
    .withVariable(
      new QueryVariableBuilder('value')
        .label('Value')
        .datasource(datasource)
        .query(valueQuery)
        .definition(valueQuery)
        .refresh(VariableRefresh.OnTimeRangeChanged)
        .sort(VariableSort.AlphabeticalAsc),
    );

  return finish(
    layout(d, [
      {
        title: '$dimension = $value',
        cells: [
          {
            panel: statPanel('Spend in range', 'USD spent by this slice in the range.', 'currencyUSD', {
              expr: `sum(increase(${slice}[$__range]))`,
            }),
            w: 6,
            h: 5,
          },
          {
            panel: statPanel(
              'Share of total spend',
              'This slice as a share of all spend of the selected services.',
              'percentunit',
              {
                expr: `sum(increase(${slice}[$__range])) / sum(increase(${all}[$__range]))`,
              },
            ),
            w: 6,
            h: 5,
          },
          {
            panel: statPanel('Spend rate', 'Current spend of this slice in USD per hour.', 'currencyUSD', {
              expr: `sum(rate(${slice}[$__rate_interval])) * 3600`,
            }),
            w: 6,
            h: 5,
          },
          {
            panel: statPanel('Models used', 'Distinct models this slice spent money on in the range.', 'short', {
              expr: `count(sum by (${l.model}) (increase(${slice}[$__range])) > 0)`,
            }),
            w: 6,
            h: 5,
          },
          {
            panel: timeseriesPanel(
              'Spend rate by model',
              'USD per hour of this slice, by model.',
              'currencyUSD',
              [{ expr: `sum by (${l.model}) (rate(${slice}[$__rate_interval])) * 3600`, legend: `{{${l.model}}}` }],
              { stack: true },
            ),
            w: 12,
            h: 8,
          },
          {
            panel: timeseriesPanel(
              'Spend rate by route',
              'USD per hour of this slice, by the HTTP route the calls ran under.',
              'currencyUSD',
              [{ expr: `sum by (${l.route}) (rate(${slice}[$__rate_interval])) * 3600`, legend: `{{${l.route}}}` }],
              { stack: true },
            ),
            w: 12,
            h: 8,
          },
          {
            panel: timeseriesPanel(
              'Share of total spend over time',
              'This slice as a share of all spend.',
              'percentunit',
              [
                {
                  expr: `sum(rate(${slice}[$__rate_interval])) / sum(rate(${all}[$__rate_interval]))`,
                  legend: '$value',
                },
              ],
            ),
            w: 12,
            h: 8,
          },
          {
            panel: tablePanel(
              'Most expensive routes in range',
              'The 10 routes with the highest spend of this slice, in USD.',
              'currencyUSD',
              [{ expr: `topk(10, sum by (${l.route}) (increase(${slice}[$__range])))`, legend: `{{${l.route}}}` }],
            ),
            w: 12,
            h: 8,
          },
          {
            panel: tablePanel('Spend by model in range', 'USD of this slice per model.', 'currencyUSD', [
              { expr: `sum by (${l.provider}, ${l.model}) (increase(${slice}[$__range]))`, legend: `{{${l.model}}}` },
            ]),
            w: 12,
            h: 8,
          },
          {
            panel: timeseriesPanel('Tokens by type', 'Tokens per second of this slice by type.', 'short', [
              {
                expr: `sum by (${l.tokenType}) (rate(${m.tokens}${sel(...base, '$dimension="$value"')}[$__rate_interval]))`,
                legend: `{{${l.tokenType}}}`,
              },
            ]),
            w: 12,
            h: 8,
          },
        ],
      },
      {
        title: 'Margin: billed − cost (pricing.markup)',
        cells: [
          {
            panel: statPanel(
              'Billed in range',
              'USD this slice billed its customers under the markup (pricing.markup, docs/markup.md) in the range.',
              'currencyUSD',
              { expr: `sum(increase(${billed}[$__range]))` },
            ),
            w: 6,
            h: 5,
          },
          {
            panel: statPanel(
              'Margin in range',
              'Billed minus the cost of the billed calls, in USD. Calls whose customer has no markup rule are left out.',
              'currencyUSD',
              { expr: `sum(${margin('$__range')})` },
            ),
            w: 6,
            h: 5,
          },
          {
            panel: timeseriesPanel(
              'Billed and cost rate',
              'USD per hour this slice billed and cost, side by side (cost of all its calls, billed or not).',
              'currencyUSD',
              [
                { expr: `sum(rate(${billed}[$__rate_interval])) * 3600`, legend: 'billed' },
                { expr: `sum(rate(${slice}[$__rate_interval])) * 3600`, legend: 'cost' },
              ],
            ),
            w: 12,
            h: 8,
          },
          {
            panel: tablePanel(
              'Margin by customer in range',
              'Per customer: billed, cost and margin (billed minus the cost of the billed calls) in USD. A customer without a markup rule shows its cost only.',
              'currencyUSD',
              [
                { expr: `sum by (${l.customer}) (increase(${billed}[$__range]))`, legend: 'billed' },
                { expr: `sum by (${l.customer}) (increase(${slice}[$__range]))`, legend: 'cost' },
                { expr: `sum by (${l.customer}) (${margin('$__range')})`, legend: 'margin' },
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
