import { instantQuery } from '../../../grafana-dashboards/src/proof/prom-api.ts';

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
