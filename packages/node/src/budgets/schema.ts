// The budgets file schema (grafana-dashboards/budgets.yaml): what a budget is and the validation of a parsed
// document. One copy for everyone: the Node package enforces budgets with it, and grafana-dashboards generates
// the rules from it (it imports this file directly, so it has no imports of its own). Every error names the
// file, the budget and the field, and says what a valid value looks like.

/** The named dimensions a budget can select on (besides `attribute: <any attribution key>`). */
export const BUDGET_DIMENSIONS = ['team', 'feature', 'customer', 'service', 'user'] as const;
export type BudgetDimension = (typeof BUDGET_DIMENSIONS)[number];

/**
 * Budget periods. Rolling windows end now (the last 1, 7 or 30 days); calendar periods start at midnight of the
 * day, of Monday (ISO week) or of the 1st of the month in the budget's `time_zone` (default UTC). `seconds` is
 * the nominal length: the rolling window of the generated Prometheus rules (which cannot have a range that
 * depends on the clock), and the burn-rate scale.
 */
export const BUDGET_PERIODS = {
  daily: { kind: 'rolling', seconds: 86_400, range: '1d', length: 'daily' },
  weekly: { kind: 'rolling', seconds: 604_800, range: '7d', length: 'weekly' },
  monthly: { kind: 'rolling', seconds: 2_592_000, range: '30d', length: 'monthly' },
  calendar_day: { kind: 'calendar', seconds: 86_400, range: '1d', length: 'daily' },
  calendar_week: { kind: 'calendar', seconds: 604_800, range: '7d', length: 'weekly' },
  calendar_month: { kind: 'calendar', seconds: 2_592_000, range: '30d', length: 'monthly' },
} as const;
export type BudgetPeriod = keyof typeof BUDGET_PERIODS;

export interface Budget {
  name: string;
  /** A named dimension, or `attribute` (then `attribute` holds the attribution key). */
  dimension: BudgetDimension | 'attribute';
  /** The attribution key of an `attribute` selector (e.g. `app.plan`). */
  attribute?: string;
  value: string;
  period: BudgetPeriod;
  /** IANA time zone of a calendar period (default UTC); absent for rolling periods. */
  timeZone?: string;
  limitUsd: number;
  warningFraction: number;
}

export class BudgetConfigError extends Error {
  override name = 'BudgetConfigError';
}

const NAME = /^[a-z0-9][a-z0-9_-]*$/;
const ATTRIBUTE_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const BUDGET_KEYS = ['name', 'selector', 'period', 'time_zone', 'limit_usd', 'warning_fraction'];
const SELECTOR_KEYS = ['dimension', 'attribute', 'value'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  return v === undefined ? 'nothing' : JSON.stringify(v);
}

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Validates a parsed budgets document; `file` names it in error messages. */
export function validateBudgets(doc: unknown, file: string): Budget[] {
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
    if (!isRecord(selector)) {
      fail(
        'selector',
        'must be a mapping like {dimension: team, value: search} or {attribute: app.plan, value: free}',
        selector,
      );
    }
    const s = selector as Record<string, unknown>;
    for (const key of Object.keys(s)) {
      if (!SELECTOR_KEYS.includes(key))
        fail(`selector.${key}`, `is not a selector field (allowed: ${SELECTOR_KEYS.join(', ')})`, s[key]);
    }
    let dimension: Budget['dimension'];
    let attribute: string | undefined;
    if (s.attribute !== undefined) {
      if (s.dimension !== undefined)
        fail('selector', 'must have either "dimension" or "attribute", not both', selector);
      if (typeof s.attribute !== 'string' || !ATTRIBUTE_KEY.test(s.attribute)) {
        fail(
          'selector.attribute',
          'must be an attribution attribute key of letters, digits, ".", "_" or "-" (e.g. "app.plan")',
          s.attribute,
        );
      }
      dimension = 'attribute';
      attribute = s.attribute as string;
    } else {
      if (typeof s.dimension !== 'string' || !(BUDGET_DIMENSIONS as readonly string[]).includes(s.dimension)) {
        fail(
          'selector.dimension',
          `must be one of ${BUDGET_DIMENSIONS.join(', ')} (or use "attribute: <key>")`,
          s.dimension,
        );
      }
      dimension = s.dimension as BudgetDimension;
    }
    if (typeof s.value !== 'string' || s.value.length === 0 || /["\\\n]/.test(s.value)) {
      fail('selector.value', 'must be a non-empty label value without quotes, backslashes or newlines', s.value);
    }
    if (typeof raw.period !== 'string' || !Object.hasOwn(BUDGET_PERIODS, raw.period)) {
      fail('period', `must be one of ${Object.keys(BUDGET_PERIODS).join(', ')}`, raw.period);
    }
    const period = raw.period as BudgetPeriod;
    let timeZone: string | undefined;
    if (BUDGET_PERIODS[period].kind === 'calendar') {
      const zone = raw.time_zone ?? 'UTC';
      if (typeof zone !== 'string' || !validTimeZone(zone)) {
        fail(
          'time_zone',
          'must be an IANA time zone (e.g. "UTC", "Europe/Berlin", "America/New_York"), or left out for UTC',
          zone,
        );
      }
      timeZone = zone as string;
    } else if (raw.time_zone !== undefined) {
      fail(
        'time_zone',
        `applies only to calendar periods (calendar_day, calendar_week, calendar_month), not to "${period}"`,
        raw.time_zone,
      );
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
      dimension,
      ...(attribute ? { attribute } : {}),
      value: s.value as string,
      period,
      ...(timeZone ? { timeZone } : {}),
      limitUsd: limit as number,
      warningFraction: warning as number,
    };
  });
}
