// Alerts on spend and telemetry health (budget alerts are generated from budgets.yaml in budget-rules.ts).

import { labels as l, metrics as m } from '@otel-llm-cost/contract/prometheus';
import { type Config, groupInterval, runbookUrl, sel } from '../config.ts';
import { recorded } from './recording.ts';
import type { AlertingRule, RuleGroup } from './types.ts';

export function alertRules(cfg: Config): RuleGroup {
  const s = sel(cfg.selector);
  const rate1h = recorded.costRate('job', '1h');
  const ops = recorded.modelOperationsRate5m;
  const rules: AlertingRule[] = [
    {
      alert: 'LLMCostSpendAnomaly',
      expr: [
        `${rate1h} * 3600 > ${cfg.anomaly.floorUsdPerHour}`,
        `and ${rate1h} > ${cfg.anomaly.factor} * avg_over_time(${rate1h}[7d])`,
        // Fresh data: without at least a day of history there is no baseline to compare with.
        `and on (${l.service}) (max_over_time(${rate1h}[1d] offset 1d))`,
      ].join('\n'),
      for: cfg.anomaly.for,
      labels: { severity: 'warning' },
      annotations: {
        summary: 'LLM spend of {{ $labels.job }} is far above its 7-day baseline.',
        description: `{{ $labels.job }} spends {{ $value | printf "%.4g" }} USD/h (1h average), more than ${cfg.anomaly.factor}x its 7-day average and above ${cfg.anomaly.floorUsdPerHour} USD/h.`,
        runbook_url: runbookUrl(cfg, 'LLMCostSpendAnomaly'),
      },
    },
    {
      alert: 'LLMCostRequestCostSpike',
      expr: `${recorded.requestCostQuantile}{quantile="0.99"} > ${cfg.requestCostSpike.p99Usd}`,
      for: cfg.requestCostSpike.for,
      labels: { severity: 'warning' },
      annotations: {
        summary: 'p99 cost per LLM request of {{ $labels.job }} / {{ $labels.gen_ai_request_model }} is high.',
        description: `The 99th percentile cost of one {{ $labels.gen_ai_request_model }} request in {{ $labels.job }} is {{ $value | printf "%.4g" }} USD (threshold ${cfg.requestCostSpike.p99Usd} USD).`,
        runbook_url: runbookUrl(cfg, 'LLMCostRequestCostSpike'),
      },
    },
    {
      alert: 'LLMCostNewModel',
      expr: [
        `group by (${l.provider}, ${l.model}) (max_over_time(${ops}[${cfg.newModel.recent}]))`,
        `unless on (${l.model}) group by (${l.model}) (max_over_time(${ops}[${cfg.newModel.lookback}] offset ${cfg.newModel.recent}))`,
        // Fresh data: a Prometheus with less than a day of history would call every model new.
        `and on () group(max_over_time(${ops}[1d] offset 1d))`,
      ].join('\n'),
      labels: { severity: 'info' },
      annotations: {
        summary: 'A new LLM model is in use: {{ $labels.gen_ai_request_model }}.',
        description: `Model {{ $labels.gen_ai_request_model }} ({{ $labels.gen_ai_provider_name }}) was called in the last ${cfg.newModel.recent} and not in the ${cfg.newModel.lookback} before.`,
        runbook_url: runbookUrl(cfg, 'LLMCostNewModel'),
      },
    },
    {
      alert: 'LLMCostUnpricedModelInUse',
      expr: `sum by (${l.service}, ${l.provider}, ${l.model}, ${l.unpricedReason}) (increase(${m.unpriced}${s}[${cfg.unpriced.window}])) > 0`,
      for: cfg.unpriced.for,
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Calls to {{ $labels.gen_ai_request_model }} have no price: their spend is not counted.',
        description: `{{ $labels.job }} made {{ $value | printf "%.4g" }} unpriced calls to {{ $labels.gen_ai_request_model }} ({{ $labels.gen_ai_provider_name }}, reason {{ $labels.llmcost_unpriced_reason }}) in the last ${cfg.unpriced.window}.`,
        runbook_url: runbookUrl(cfg, 'LLMCostUnpricedModelInUse'),
      },
    },
    {
      alert: 'LLMCostUserRequestRateHigh',
      // Every LLM call (priced, unpriced, failed or refused by the in-process limiter) counts once in the duration
      // histogram; user_id is on it only where the app opted in (metrics.includeUserId), elsewhere nothing fires.
      expr: `sum by (${l.service}, ${l.user}) (rate(${m.durationCount}${sel(cfg.selector, `${l.user}!=""`)}[${cfg.userRequestRate.window}])) * 60 > ${cfg.userRequestRate.perMinute}`,
      for: cfg.userRequestRate.for,
      labels: { severity: 'warning' },
      annotations: {
        summary: 'User {{ $labels.user_id }} makes unusually many LLM calls in {{ $labels.job }}.',
        description: `User {{ $labels.user_id }} made {{ $value | printf "%.4g" }} LLM calls per minute in {{ $labels.job }} (${cfg.userRequestRate.window} average), more than ${cfg.userRequestRate.perMinute}.`,
        runbook_url: runbookUrl(cfg, 'LLMCostUserRequestRateHigh'),
      },
    },
    {
      alert: 'LLMCostTelemetryAbsent',
      expr: `absent_over_time(${m.cost}${s}[${cfg.telemetryAbsent.after}])`,
      for: cfg.telemetryAbsent.for,
      labels: { severity: 'warning' },
      annotations: {
        summary: 'No LLM cost telemetry reaches Prometheus.',
        description: `No ${m.cost} series has been scraped for ${cfg.telemetryAbsent.after}: spend is invisible and the budget alerts cannot fire.`,
        runbook_url: runbookUrl(cfg, 'LLMCostTelemetryAbsent'),
      },
    },
    {
      alert: 'LLMCostServiceTelemetryStopped',
      expr: [
        `group by (${l.service}) (max_over_time(${m.cost}${s}[${cfg.telemetryAbsent.history}] offset ${cfg.telemetryAbsent.after}))`,
        `unless group by (${l.service}) (max_over_time(${m.cost}${s}[${cfg.telemetryAbsent.after}]))`,
      ].join('\n'),
      for: cfg.telemetryAbsent.for,
      labels: { severity: 'warning' },
      annotations: {
        summary: '{{ $labels.job }} stopped sending LLM cost telemetry.',
        description: `{{ $labels.job }} had ${m.cost} series in the ${cfg.telemetryAbsent.history} before and none in the last ${cfg.telemetryAbsent.after}.`,
        runbook_url: runbookUrl(cfg, 'LLMCostServiceTelemetryStopped'),
      },
    },
    {
      alert: 'LLMCostReconciliationDrift',
      // Not narrowed by the selector: the bill is the organization's, not one environment's.
      expr: `abs(last_over_time(${m.reconciliationDrift}[${cfg.reconciliation.window}])) > ${cfg.reconciliation.maxDrift}`,
      labels: { severity: 'warning' },
      annotations: {
        summary:
          'LLM spend on {{ $labels.llmcost_reconciliation_day }} does not reconcile with the {{ $labels.gen_ai_provider_name }} bill.',
        description: `On {{ $labels.llmcost_reconciliation_day }} our attributed spend differed from the {{ $labels.gen_ai_provider_name }} bill by {{ $value | humanizePercentage }} of it (more than ${cfg.reconciliation.maxDrift * 100}%), as llm-cost reconcile last reported.`,
        runbook_url: runbookUrl(cfg, 'LLMCostReconciliationDrift'),
      },
    },
  ];
  return { name: 'llmcost.alerts', ...groupInterval(cfg), rules };
}
