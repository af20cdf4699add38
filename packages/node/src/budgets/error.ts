import { BUDGET_PERIODS, type BudgetPeriod } from './schema.js';
/** Why a call was refused: its scope spent its budget, or (fail-closed) its spend could not be read. */
export type BudgetRefusalReason = 'exceeded' | 'spend_unknown';

/**
 * Thrown by an LLM client method, before any request is sent, when the call's scope (its customer, team,
 * feature, user, service or attribution key) is at or over a budget and budgets run in `enforce` mode.
 * `message` is fit to show an end user ("Monthly AI quota exceeded. It resets on ..."); the fields carry
 * the details. `status` is 429, so HTTP frameworks that honour `err.status` answer Too Many Requests.
 */
export class BudgetExceededError extends Error {
  override name = 'BudgetExceededError';
  readonly status = 429;
  /** The budget's name in the budgets file. */
  readonly budget: string;
  readonly limitUsd: number;
  /** Spend in the period as the check saw it (the last read plus this instance's spend since). */
  readonly spentUsd: number;
  /** When the period resets (for rolling windows: an estimate, see docs/budgets.md). */
  readonly resetsAt: Date;
  readonly reason: BudgetRefusalReason;

  constructor(fields: {
    budget: string;
    period: string;
    limitUsd: number;
    spentUsd: number;
    resetsAt: Date;
    reason?: BudgetRefusalReason;
  }) {
    const word: string = BUDGET_PERIODS[fields.period as BudgetPeriod]?.length ?? '';
    const reason = fields.reason ?? 'exceeded';
    super(
      reason === 'exceeded'
        ? `${word.charAt(0).toUpperCase()}${word.slice(1)} AI quota exceeded. It resets at ${fields.resetsAt.toISOString()}.`
        : 'AI quota temporarily unavailable. Please try again later.',
    );
    this.budget = fields.budget;
    this.limitUsd = fields.limitUsd;
    this.spentUsd = fields.spentUsd;
    this.resetsAt = fields.resetsAt;
    this.reason = reason;
  }
}
