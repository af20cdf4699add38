/**
 * Reads one budget's spend, summed over every OTHER instance that records it, from Prometheus: the increase of
 * the `llmcost.budget.spend` counter of that budget over `rangeSeconds` ending at `atMs`, without the series of
 * this process (`llmcost.budget.recorder`), whose spend the enforcer counts itself at once. One instant query; no
 * result (nothing recorded yet) is 0. Throws with the URL and the reason when Prometheus cannot answer.
 */

/** `llmcost.budget.spend` as the collector's prometheus exporter names it (packages/contract/telemetry.yaml). */
export const BUDGET_SPEND_SERIES = 'llmcost_budget_spend_USD_total';
const BUDGET_LABEL = 'llmcost_budget_name';
const RECORDER_LABEL = 'llmcost_budget_recorder';
const ENVIRONMENT_LABEL = 'deployment_environment_name';

export function budgetSpendQuery(
  budget: string,
  rangeSeconds: number,
  environment: string | undefined,
  recorder: string,
): string {
  const env = environment ? `, ${ENVIRONMENT_LABEL}="${environment.replace(/["\\]/g, '\\$&')}"` : '';
  const others = `, ${RECORDER_LABEL}!="${recorder}"`;
  return `sum(increase(${BUDGET_SPEND_SERIES}{${BUDGET_LABEL}="${budget}"${others}${env}}[${rangeSeconds}s]))`;
}

interface QueryResponse {
  status?: string;
  error?: string;
  data?: { resultType?: string; result?: { value?: [number, string] }[] };
}

export async function readBudgetSpend(
  prometheusUrl: string,
  query: string,
  atMs: number,
  timeoutMs: number,
): Promise<number> {
  const url = new URL('api/v1/query', prometheusUrl.endsWith('/') ? prometheusUrl : `${prometheusUrl}/`);
  url.searchParams.set('query', query);
  url.searchParams.set('time', String(atMs / 1000));
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const body = (await res.json().catch(() => ({}))) as QueryResponse;
  if (!res.ok || body.status !== 'success') {
    throw new Error(`HTTP ${res.status}${body.error ? `: ${body.error}` : ''}`);
  }
  const value = body.data?.result?.[0]?.value?.[1];
  const usd = value === undefined ? 0 : Number(value);
  return Number.isFinite(usd) && usd > 0 ? usd : 0;
}
