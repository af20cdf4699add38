// Budget recording rules and alerts, generated from budgets.yaml. Every series of one budget carries the same
// labels (budget, budget_dimension, budget_value, budget_period, limit_usd), so spend, limit and burn rates of a
// budget compare with plain binary operators. Calendar periods (calendar_day, _week, _month) are recorded here
// as the rolling window of their nominal length (1d, 7d, 30d): a rule's range cannot depend on the clock. The
// in-process budget check (packages/node/src/budgets) reads the spend since the period start itself, with an
// instant query whose range is the seconds since then. docs/budgets.md says so.

import { type Budget, type BudgetPeriod, budgetPeriods, budgetSeries } from '../budgets.ts';
import { type Config, groupInterval, runbookUrl, sel } from '../config.ts';
import type { AlertingRule, RecordingRule, RuleGroup } from './types.ts';

export const budgetRecorded = {
  limit: 'budget:llmcost_budget_limit_usd:config',
  warning: 'budget:llmcost_budget_warning_usd:config',
  spend: 'budget:llmcost_cost_usd:increase_period',
  burnRate: (window: string) => `budget:llmcost_cost_usd:burnrate${window}`,
};

export const burnWindows = ['5m', '30m', '1h', '6h'] as const;

export function budgetLabels(b: Budget): Record<string, string> {
  return {
    budget: b.name,
    budget_dimension: b.attribute ?? b.dimension,
    budget_value: b.value,
    budget_period: b.period,
    limit_usd: String(b.limitUsd),
  };
}

function budgetRecording(cfg: Config, b: Budget): RecordingRule[] {
  const labels = budgetLabels(b);
  const series = budgetSeries(b);
  const cost = `${series.metric}${sel(cfg.selector, series.matcher)}`;
  const period = budgetPeriods[b.period];
  return [
    { record: budgetRecorded.limit, expr: `vector(${b.limitUsd})`, labels },
    { record: budgetRecorded.warning, expr: `vector(${b.limitUsd * b.warningFraction})`, labels },
    // "or vector(0)": a budget with no spend yet has spent 0 USD, and its panels and alerts still see it.
    { record: budgetRecorded.spend, expr: `sum(increase(${cost}[${period.range}])) or vector(0)`, labels },
    ...burnWindows.map((w) => ({
      record: budgetRecorded.burnRate(w),
      expr: `(sum(rate(${cost}[${w}])) or vector(0)) * ${period.seconds} / ${b.limitUsd}`,
      labels,
    })),
  ];
}

/** The burn-rate thresholds of a period: a calendar period burns like the rolling window of its length. */
const burnRateOf = Object.fromEntries(Object.entries(budgetPeriods).map(([period, p]) => [period, p.length])) as Record<
  BudgetPeriod,
  keyof Config['burnRate']
>;

function burnExpr(cfg: Config, speed: 'fast' | 'slow'): string {
  return Object.entries(cfg.burnRate)
    .map(([thresholds, w]) => {
      const { factor, long, short } = w[speed];
      const periods = Object.entries(burnRateOf)
        .filter(([, t]) => t === thresholds)
        .map(([p]) => p);
      const p = `{budget_period=~"${periods.join('|')}"}`;
      return `(${budgetRecorded.burnRate(long)}${p} > ${factor} and ${budgetRecorded.burnRate(short)}${p} > ${factor})`;
    })
    .join('\nor\n');
}

function budgetAlerts(cfg: Config): AlertingRule[] {
  const who = '{{ $labels.budget_dimension }}={{ $labels.budget_value }}';
  return [
    {
      alert: 'LLMCostBudgetExceeded',
      expr: `${budgetRecorded.spend} >= ${budgetRecorded.limit}`,
      labels: { severity: 'critical' },
      annotations: {
        summary: 'Budget {{ $labels.budget }} is exhausted.',
        description: `${who} spent {{ $value | printf "%.4g" }} USD in its {{ $labels.budget_period }} period, at or over the limit of {{ $labels.limit_usd }} USD.`,
        runbook_url: runbookUrl(cfg, 'LLMCostBudgetExceeded'),
      },
    },
    {
      alert: 'LLMCostBudgetWarning',
      expr: `${budgetRecorded.spend} >= ${budgetRecorded.warning}\nunless ${budgetRecorded.spend} >= ${budgetRecorded.limit}`,
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Budget {{ $labels.budget }} is nearly spent.',
        description: `${who} spent {{ $value | printf "%.4g" }} USD of its {{ $labels.limit_usd }} USD {{ $labels.budget_period }} budget.`,
        runbook_url: runbookUrl(cfg, 'LLMCostBudgetWarning'),
      },
    },
    {
      alert: 'LLMCostBudgetFastBurn',
      expr: burnExpr(cfg, 'fast'),
      for: '2m',
      labels: { severity: 'critical' },
      annotations: {
        summary: 'Budget {{ $labels.budget }} is burning fast.',
        description: `${who} spends at {{ $value | printf "%.4g" }}x the pace that would use its {{ $labels.limit_usd }} USD {{ $labels.budget_period }} budget in one period (1h and 5m windows).`,
        runbook_url: runbookUrl(cfg, 'LLMCostBudgetFastBurn'),
      },
    },
    {
      alert: 'LLMCostBudgetSlowBurn',
      expr: burnExpr(cfg, 'slow'),
      for: '15m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Budget {{ $labels.budget }} is burning steadily too fast.',
        description: `${who} spends at {{ $value | printf "%.4g" }}x the pace that would use its {{ $labels.limit_usd }} USD {{ $labels.budget_period }} budget in one period (6h and 30m windows).`,
        runbook_url: runbookUrl(cfg, 'LLMCostBudgetSlowBurn'),
      },
    },
  ];
}

/**
 * One group: Prometheus evaluates the rules of a group in order, so the alerts see the spend and burn rates
 * recorded in the same evaluation (across groups the order is not defined).
 */
export function budgetRules(cfg: Config, budgets: Budget[]): RuleGroup[] {
  return [
    {
      name: 'llmcost.budgets',
      ...groupInterval(cfg),
      rules: [...budgets.flatMap((b) => budgetRecording(cfg, b)), ...budgetAlerts(cfg)],
    },
  ];
}
