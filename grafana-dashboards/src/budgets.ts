// Budgets as config: reads budgets.yaml. The schema and its validation are the Node package's
// (packages/node/src/budgets/schema.ts), so that the rules generated here and the in-process budget check read
// the same file the same way; this file adds the YAML reading and what a budget selects in Prometheus.
import { readFileSync } from 'node:fs';
import { labels, metrics } from '@otel-llm-cost/contract/prometheus';
import { parse } from 'yaml';
import { type Budget, BudgetConfigError, validateBudgets } from '../../packages/node/src/budgets/schema.ts';

export {
  BUDGET_DIMENSIONS,
  BUDGET_PERIODS as budgetPeriods,
  type Budget,
  BudgetConfigError,
  type BudgetDimension,
  type BudgetPeriod,
} from '../../packages/node/src/budgets/schema.ts';

/** The dimensions that are labels of the cost metric, and their Prometheus label. */
export const budgetDimensions = {
  team: labels.team,
  feature: labels.feature,
  customer: labels.customer,
  service: labels.service,
} as const;

/**
 * The counter and matcher a budget's spend is read from. Team, feature, customer and service are labels of
 * `llmcost.cost` (from every app and language). User ids and other attribution keys are not (cardinality), so
 * their budgets read `llmcost.budget.spend`, which the Node package records per budget when it runs with this
 * budgets file (`budgets`, in warn or enforce mode).
 */
export function budgetSeries(b: Budget): { metric: string; matcher: string } {
  if (b.dimension === 'attribute' || b.dimension === 'user') {
    return { metric: metrics.budgetSpend, matcher: `${labels.budgetName}="${b.name}"` };
  }
  return { metric: metrics.cost, matcher: `${budgetDimensions[b.dimension]}="${b.value}"` };
}

/** Parses and validates the text of a budgets file; `file` is only used in error messages. */
export function parseBudgets(text: string, file: string): Budget[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new BudgetConfigError(`${file}: not valid YAML: ${(err as Error).message}`);
  }
  return validateBudgets(doc, file);
}

export function loadBudgets(file: string): Budget[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new BudgetConfigError(`${file}: cannot read the budgets file: ${(err as Error).message}`);
  }
  return parseBudgets(text, file);
}
