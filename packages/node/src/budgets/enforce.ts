import { metrics } from '@opentelemetry/api';
import type { LlmCall } from '../core/llm-call.js';
import { ATTR, PACKAGE_NAME, PACKAGE_VERSION } from '../core/names.js';

/**
 * The call skeleton's budget hook, before the client method runs. A call whose scope is at or over a budget
 * gets `llmcost.budget.exceeded` (the budget) and `llmcost.budget.action` on its span and is counted; in
 * enforce mode its span ends as failed (error.type BudgetExceededError, nothing priced) and the error is
 * thrown, so no request is sent. Without budgets it does nothing; a failure of the check lets the call through.
 */
export function enforceBudgets(call: LlmCall): void {
  const enforcer = call.runtime.budgets;
  if (!enforcer) return;
  let refusal: Error | undefined;
  try {
    if (!enforcer.started) enforcer.start(metrics.getMeter(PACKAGE_NAME, PACKAGE_VERSION));
    const states = enforcer.match(call.attribution);
    if (!states) return;
    call.budgets = states;
    const over = enforcer.check(states);
    if (!over) return;
    const refused = enforcer.mode === 'enforce';
    call.span.setAttribute(ATTR.BUDGET_EXCEEDED, over.budget);
    call.span.setAttribute(ATTR.BUDGET_ACTION, refused ? 'refused' : 'warned');
    if (refused) refusal = over;
  } catch (error) {
    call.runtime.warnings.internalError('the budget check', error);
    return;
  }
  if (!refusal) return;
  call.fail(refusal);
  throw refusal;
}
