import type { Expectation } from '@otel-llm-cost/grafana-dashboards/proof';
import { instantQuery } from '@otel-llm-cost/testkit';

/**
 * The factor by which increase(x[range]) at `time` scales the growth of a counter scraped by this Prometheus
 * (its extrapolatedRate rule, Prometheus 2.x): the samples' span is extended to the window edges by up to
 * 1.1 average scrape intervals, else by half an interval. The series of one scrape target share their
 * sample timestamps, so they share the factor.
 */
export async function extrapolationFactor(prom: string, time: number, rangeSeconds: number): Promise<number> {
  const series = await instantQuery(prom, `llmcost_cost_USD_total[${rangeSeconds}s]`, time);
  const samples = series.map((s) => s.values!).sort((a, b) => b.length - a.length)[0]!;
  const first = samples[0]![0];
  const last = samples[samples.length - 1]![0];
  const sampled = last - first;
  const average = sampled / (samples.length - 1);
  const threshold = average * 1.1;
  const toStart = first - (time - rangeSeconds);
  const toEnd = time - last;
  const extended = sampled + (toStart < threshold ? toStart : average / 2) + (toEnd < threshold ? toEnd : average / 2);
  return extended / sampled;
}

/**
 * What the overview dashboard's range panels must show for a known spend over a window: the spend times
 * the window's extrapolation factor, in total, per customer and (if given) per model.
 */
export function rangeSpendExpectations(
  factor: number,
  spend: { total: number; byCustomer: Record<string, number>; byModel?: Record<string, number> },
): Expectation[] {
  const scaled = (values: Record<string, number>) =>
    Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v * factor]));
  const tolerance = { relative: 1e-6 };
  const expectations: Expectation[] = [
    { dashboard: 'LLM cost overview', panel: 'Spend in range', value: spend.total * factor, tolerance },
    {
      dashboard: 'LLM cost overview',
      panel: 'Top customers in range',
      byLabel: { label: 'app_customer_id', values: scaled(spend.byCustomer) },
      tolerance,
    },
  ];
  if (spend.byModel) {
    expectations.push({
      dashboard: 'LLM cost overview',
      panel: 'Spend by model in range',
      byLabel: { label: 'gen_ai_request_model', values: scaled(spend.byModel) },
      tolerance,
    });
  }
  return expectations;
}
