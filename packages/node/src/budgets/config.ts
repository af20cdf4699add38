import { readFileSync } from 'node:fs';
import { parseYamlOrJson } from '@otel-llm-cost/pricing';
import type { Warnings } from '../core/warn.js';
import { type BudgetEnforcementOptions, BudgetEnforcer, type BudgetsMode } from './enforcer.js';
import { type Budget, BudgetConfigError, validateBudgets } from './schema.js';

/** A budgets file: its path (YAML or JSON), or its content (`{ budgets: [...] }`, the budgets.yaml schema). */
export type BudgetsOption = string | { budgets: unknown[] };

export interface BudgetsSettings {
  budgets?: BudgetsOption;
  budgetsMode?: BudgetsMode;
  budgetEnforcement?: BudgetEnforcementOptions;
}

/** The budgets of a file path or document; throws BudgetConfigError naming the file, the budget and the field. */
export function loadBudgets(option: BudgetsOption): Budget[] {
  if (typeof option !== 'string') return validateBudgets(option, 'budgets (init option)');
  let text: string;
  try {
    text = readFileSync(option, 'utf8');
  } catch (err) {
    throw new BudgetConfigError(`${option}: cannot read the budgets file: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parseYamlOrJson(text, option);
  } catch (err) {
    throw new BudgetConfigError((err as Error).message);
  }
  return validateBudgets(doc, option);
}

function modeOf(option: BudgetsMode | undefined, env: NodeJS.ProcessEnv, warnings: Warnings): BudgetsMode {
  const raw = option ?? (env.LLMCOST_BUDGETS_MODE || undefined);
  if (raw === undefined || raw === 'warn' || raw === 'enforce') return raw ?? 'warn';
  warnings.warnOnce(
    `budgets-mode:${raw}`,
    `budgets mode "${raw}" is not one of enforce, warn (budgetsMode / LLMCOST_BUDGETS_MODE); using warn.`,
  );
  return 'warn';
}

function positive(raw: string | undefined): number | undefined {
  const n = raw === undefined ? Number.NaN : Number(raw);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** The enforcement options, the LLMCOST_BUDGETS_* variables filling what the options leave out. */
function enforcementOf(option: BudgetEnforcementOptions = {}, env: NodeJS.ProcessEnv): BudgetEnforcementOptions {
  const fail = env.LLMCOST_BUDGETS_FAIL_MODE;
  return {
    ...option,
    prometheusUrl: option.prometheusUrl ?? (env.LLMCOST_BUDGETS_PROMETHEUS || undefined),
    pollIntervalMs: option.pollIntervalMs ?? positive(env.LLMCOST_BUDGETS_POLL_INTERVAL),
    failMode: option.failMode ?? (fail === 'closed' || fail === 'open' ? fail : undefined),
  };
}

/**
 * The budget enforcer of a runtime, or undefined without budgets. A broken budgets file must not take the app
 * down: one warning names the file, the budget and the field, and the app runs without budget checks.
 */
export function budgetEnforcerFor(
  settings: BudgetsSettings,
  keys: { user: string; customer: string; feature: string; team: string },
  environment: string | undefined,
  warnings: Warnings,
  env: NodeJS.ProcessEnv = process.env,
): BudgetEnforcer | undefined {
  const option = settings.budgets ?? (env.LLMCOST_BUDGETS || undefined);
  if (option === undefined) return undefined;
  let budgets: Budget[];
  try {
    budgets = loadBudgets(option);
  } catch (error) {
    if (!(error instanceof BudgetConfigError)) throw error;
    warnings.warnOnce(
      `budgets:${error.message}`,
      `${error.message}. Budgets are not checked until this is fixed; LLM calls go through as usual.`,
    );
    return undefined;
  }
  const mode = modeOf(settings.budgetsMode, env, warnings);
  return new BudgetEnforcer(budgets, mode, enforcementOf(settings.budgetEnforcement, env), keys, environment, warnings);
}
