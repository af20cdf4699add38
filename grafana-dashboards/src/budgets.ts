// Budgets as config: parses and validates budgets.yaml. Every error names the file, the budget and the field,
// and says what a valid value looks like.
import { readFileSync } from 'node:fs';
import { labels } from '@otel-llm-cost/contract/prometheus';
import { parse } from 'yaml';

export const budgetDimensions = {
  team: labels.team,
  feature: labels.feature,
  customer: labels.customer,
  service: labels.service,
} as const;
export type BudgetDimension = keyof typeof budgetDimensions;

/** Budget periods are rolling windows ending now: the last 1, 7 or 30 days. */
export const budgetPeriods = {
  daily: { range: '1d', seconds: 86_400 },
  weekly: { range: '7d', seconds: 604_800 },
  monthly: { range: '30d', seconds: 2_592_000 },
} as const;
export type BudgetPeriod = keyof typeof budgetPeriods;

export interface Budget {
  name: string;
  dimension: BudgetDimension;
  value: string;
  period: BudgetPeriod;
  limitUsd: number;
  warningFraction: number;
}

export class BudgetConfigError extends Error {
  override name = 'BudgetConfigError';
}

const NAME = /^[a-z0-9][a-z0-9_-]*$/;
const BUDGET_KEYS = ['name', 'selector', 'period', 'limit_usd', 'warning_fraction'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  return v === undefined ? 'nothing' : JSON.stringify(v);
}

/** Validates the parsed content of a budgets file; `file` is only used in error messages. */
export function parseBudgets(text: string, file: string): Budget[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new BudgetConfigError(`${file}: not valid YAML: ${(err as Error).message}`);
  }
  if (!isRecord(doc) || !Array.isArray(doc.budgets)) {
    throw new BudgetConfigError(`${file}: expected a top-level key "budgets" holding a list of budgets`);
  }
  const seen = new Set<string>();
  return doc.budgets.map((raw: unknown, i: number) => {
    const where = (name: unknown) => `${file}: budget ${typeof name === 'string' ? `"${name}" ` : ''}(budgets[${i}])`;
    if (!isRecord(raw)) throw new BudgetConfigError(`${where(undefined)}: expected a mapping, got ${show(raw)}`);
    const at = where(raw.name);
    const fail = (field: string, want: string, got: unknown): never => {
      throw new BudgetConfigError(`${at}: field "${field}" ${want}, got ${show(got)}`);
    };
    for (const key of Object.keys(raw)) {
      if (!BUDGET_KEYS.includes(key)) fail(key, `is not a budget field (allowed: ${BUDGET_KEYS.join(', ')})`, raw[key]);
    }
    const name = raw.name;
    if (typeof name !== 'string' || !NAME.test(name)) {
      fail('name', 'must be a lower-case name of letters, digits, "-" or "_" (e.g. "search-team-daily")', name);
    }
    if (seen.has(name as string)) fail('name', 'must be unique; another budget already uses it', name);
    seen.add(name as string);

    const selector = raw.selector;
    if (!isRecord(selector)) fail('selector', 'must be a mapping like {dimension: team, value: search}', selector);
    const s = selector as Record<string, unknown>;
    if (typeof s.dimension !== 'string' || !(s.dimension in budgetDimensions)) {
      fail('selector.dimension', `must be one of ${Object.keys(budgetDimensions).join(', ')}`, s.dimension);
    }
    if (typeof s.value !== 'string' || s.value.length === 0 || /["\\\n]/.test(s.value)) {
      fail('selector.value', 'must be a non-empty label value without quotes, backslashes or newlines', s.value);
    }
    if (typeof raw.period !== 'string' || !(raw.period in budgetPeriods)) {
      fail('period', `must be one of ${Object.keys(budgetPeriods).join(', ')}`, raw.period);
    }
    const limit = raw.limit_usd;
    if (typeof limit !== 'number' || !Number.isFinite(limit) || limit <= 0) {
      fail('limit_usd', 'must be a positive number of USD (e.g. 250)', limit);
    }
    const warning = raw.warning_fraction ?? 0.8;
    if (typeof warning !== 'number' || !(warning > 0 && warning < 1)) {
      fail('warning_fraction', 'must be a number between 0 and 1 exclusive (e.g. 0.8), or left out for 0.8', warning);
    }
    return {
      name: name as string,
      dimension: s.dimension as BudgetDimension,
      value: s.value as string,
      period: raw.period as BudgetPeriod,
      limitUsd: limit as number,
      warningFraction: warning as number,
    };
  });
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
