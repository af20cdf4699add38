// "LLM cost overview": where the money goes, sliced by every attribution dimension, plus tokens, caching,
// unpriced calls, per-request cost and the health (errors, latency) of the models.
import { type Dashboard, DashboardBuilder, DashboardCursorSync } from '@grafana/grafana-foundation-sdk/dashboard';
import { labels as l, metrics as m } from '@otel-llm-cost/contract/prometheus';
import { type Config, sel } from '../config.ts';
import {
  type Cell,
  datasourceVariable,
  finish,
  labelVariable,
  layout,
  statPanel,
  tablePanel,
  timeseriesPanel,
} from './common.ts';

export const overviewUid = 'llmcost-overview';

export function overviewDashboard(cfg: Config): Dashboard {
  const matchers = [
    cfg.selector,
    `${l.service}=~"$job"`,
    `${l.environment}=~"$environment"`,
    `${l.model}=~"$model"`,
    `${l.feature}=~"$feature"`,
    `${l.team}=~"$team"`,
    `${l.customer}=~"$customer"`,
  ];
  const f = sel(...matchers);
  const fWith = (extra: string) => sel(...matchers, extra);
  const cost = `${m.cost}${f}`;
  const rateUsdPerHour = (by: string) => `sum by (${by}) (rate(${cost}[$__rate_interval])) * 3600`;
  const filterOf = (upTo: string[]) => sel(cfg.selector, ...upTo);
  const jobF = `${l.service}=~"$job"`;
  const envF = `${l.environment}=~"$environment"`;

  const d = new DashboardBuilder('LLM cost overview')
    .uid(overviewUid)
    .description(
      'Spend on LLM calls from otel-llm-cost metrics: by model, provider, service, environment, feature, team and customer.',
    )
    .tags(cfg.dashboards.tags)
    .refresh(cfg.dashboards.refresh)
    .time({ from: 'now-24h', to: 'now' })
    .tooltip(DashboardCursorSync.Crosshair)
    .withVariable(datasourceVariable())
    .withVariable(labelVariable('job', 'Service', `label_values(${m.cost}${filterOf([])}, ${l.service})`))
    .withVariable(
      labelVariable('environment', 'Environment', `label_values(${m.cost}${filterOf([jobF])}, ${l.environment})`),
    )
    .withVariable(
      labelVariable('model', 'Model', `label_values(${m.durationCount}${filterOf([jobF, envF])}, ${l.model})`),
    )
    .withVariable(labelVariable('feature', 'Feature', `label_values(${m.cost}${filterOf([jobF, envF])}, ${l.feature})`))
    .withVariable(labelVariable('team', 'Team', `label_values(${m.cost}${filterOf([jobF, envF])}, ${l.team})`))
    .withVariable(
      labelVariable('customer', 'Customer', `label_values(${m.cost}${filterOf([jobF, envF])}, ${l.customer})`),
    );

  const by = (title: string, label: string): Cell => ({
    panel: timeseriesPanel(
      `Spend rate by ${title}`,
      `USD per hour, by ${label}.`,
      'currencyUSD',
      [{ expr: rateUsdPerHour(label), legend: `{{${label}}}` }],
      { stack: true },
    ),
    w: 12,
    h: 8,
  });

  const quantile = (q: string) =>
    `histogram_quantile(${q}, sum by (le) (rate(${m.requestCostBucket}${f}[$__rate_interval])))`;
  const ops = `${m.durationCount}${f}`;
  const versions = [l.service, l.serviceVersion, l.version].join(', ');
  const errOps = `${m.durationCount}${fWith(`${l.errorType}!=""`)}`;

  return finish(
    layout(d, [
      {
        title: 'Spend',
        cells: [
          {
            panel: statPanel('Spend in range', 'Total USD spent in the selected time range.', 'currencyUSD', {
              expr: `sum(increase(${cost}[$__range]))`,
            }),
            w: 6,
            h: 5,
          },
          {
            panel: statPanel('Spend rate', 'Current spend in USD per hour.', 'currencyUSD', {
              expr: `sum(rate(${cost}[$__rate_interval])) * 3600`,
            }),
            w: 6,
            h: 5,
          },
          {
            panel: statPanel('LLM calls in range', 'Number of LLM calls (priced and unpriced).', 'short', {
              expr: `sum(increase(${ops}[$__range]))`,
            }),
            w: 4,
            h: 5,
          },
          {
            panel: statPanel(
              'Unpriced calls in range',
              'Calls whose model has no known price: their spend is missing above.',
              'short',
              {
                expr: `sum(increase(${m.unpriced}${f}[$__range]))`,
              },
            ),
            w: 4,
            h: 5,
          },
          {
            panel: statPanel(
              'Cache savings in range',
              'USD that cache reads saved against the uncached input price.',
              'currencyUSD',
              {
                expr: `sum(increase(${m.cacheSavings}${f}[$__range]))`,
              },
            ),
            w: 4,
            h: 5,
          },
          by('model', l.model),
          by('provider', l.provider),
          by('service', l.service),
          by('environment', l.environment),
          by('feature', l.feature),
          by('team', l.team),
          {
            panel: tablePanel(
              'Top customers in range',
              'The 10 customers with the highest spend in the range, in USD.',
              'currencyUSD',
              [{ expr: `topk(10, sum by (${l.customer}) (increase(${cost}[$__range])))`, legend: `{{${l.customer}}}` }],
            ),
            w: 12,
            h: 8,
          },
          {
            panel: tablePanel('Spend by model in range', 'USD per model and provider in the range.', 'currencyUSD', [
              {
                expr: `sum by (${l.provider}, ${l.model}) (increase(${cost}[$__range]))`,
                legend: `{{${l.provider}}} {{${l.model}}}`,
              },
            ]),
            w: 12,
            h: 8,
          },
        ],
      },
      {
        title: 'Versions',
        cells: [
          {
            panel: timeseriesPanel(
              'Spend rate by version',
              'USD per hour by service version (service.version: a deploy) and prompt or feature version (app.version): a step in cost lines up with the version that caused it.',
              'currencyUSD',
              [{ expr: rateUsdPerHour(versions), legend: `{{${l.service}}} {{${l.serviceVersion}}} {{${l.version}}}` }],
              { stack: true },
            ),
            w: 12,
            h: 8,
          },
          {
            panel: tablePanel(
              'Spend by version in range',
              'USD per service, service version and prompt or feature version in the range.',
              'currencyUSD',
              [
                {
                  expr: `sum by (${versions}) (increase(${cost}[$__range]))`,
                  legend: `{{${l.service}}} {{${l.serviceVersion}}} {{${l.version}}}`,
                },
              ],
            ),
            w: 12,
            h: 8,
          },
        ],
      },
      {
        title: 'Tokens and caching',
        cells: [
          {
            panel: timeseriesPanel(
              'Tokens by type',
              'Tokens per second by type; cache_read, cache_creation and reasoning are parts of input and output.',
              'short',
              [
                {
                  expr: `sum by (${l.tokenType}) (rate(${m.tokens}${f}[$__rate_interval]))`,
                  legend: `{{${l.tokenType}}}`,
                },
              ],
            ),
            w: 8,
            h: 8,
          },
          {
            panel: timeseriesPanel(
              'Cache hit ratio',
              'Share of input tokens read from the provider cache.',
              'percentunit',
              [
                {
                  expr: `sum(rate(${m.tokens}${fWith(`${l.tokenType}="cache_read"`)}[$__rate_interval])) / sum(rate(${m.tokens}${fWith(`${l.tokenType}="input"`)}[$__rate_interval]))`,
                  legend: 'cache hit ratio',
                },
              ],
            ),
            w: 8,
            h: 8,
          },
          {
            panel: timeseriesPanel(
              'Cache savings rate',
              'USD per hour saved by cache reads, by model.',
              'currencyUSD',
              [
                {
                  expr: `sum by (${l.model}) (rate(${m.cacheSavings}${f}[$__rate_interval])) * 3600`,
                  legend: `{{${l.model}}}`,
                },
              ],
            ),
            w: 8,
            h: 8,
          },
        ],
      },
      {
        title: 'Unpriced calls and per-request cost',
        cells: [
          {
            panel: tablePanel(
              'Unpriced calls by model',
              'Calls without a price in the range, by model and reason. Add a price override for them.',
              'short',
              [
                {
                  expr: `sum by (${l.provider}, ${l.model}, ${l.unpricedReason}) (increase(${m.unpriced}${f}[$__range]))`,
                  legend: `{{${l.model}}} ({{${l.unpricedReason}}})`,
                },
              ],
            ),
            w: 12,
            h: 8,
          },
          {
            panel: timeseriesPanel(
              'Cost per request',
              'Quantiles of the cost of one LLM call, in USD.',
              'currencyUSD',
              [
                { expr: quantile('0.5'), legend: 'p50' },
                { expr: quantile('0.95'), legend: 'p95' },
                { expr: quantile('0.99'), legend: 'p99' },
              ],
            ),
            w: 12,
            h: 8,
          },
        ],
      },
      {
        title: 'Errors and latency',
        cells: [
          {
            panel: timeseriesPanel(
              'Error rate by model',
              'Share of LLM calls that failed (error_type set), by model.',
              'percentunit',
              [
                {
                  expr: `sum by (${l.model}) (rate(${errOps}[$__rate_interval])) / sum by (${l.model}) (rate(${ops}[$__rate_interval]))`,
                  legend: `{{${l.model}}}`,
                },
              ],
            ),
            w: 12,
            h: 8,
          },
          {
            panel: timeseriesPanel('Latency p95 by model', '95th percentile of the LLM call duration, by model.', 's', [
              {
                expr: `histogram_quantile(0.95, sum by (le, ${l.model}) (rate(${m.durationBucket}${f}[$__rate_interval])))`,
                legend: `{{${l.model}}}`,
              },
            ]),
            w: 12,
            h: 8,
          },
        ],
      },
    ]),
    cfg,
  );
}
