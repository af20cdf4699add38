// Recording rules named level:metric:operations. Alerts and dashboards read these instead of raw series where
// the same aggregation would otherwise be computed many times.

import { labels as l, metrics as m } from '@otel-llm-cost/contract/prometheus';
import { type Config, groupInterval, sel } from '../config.ts';
import type { RecordingRule, RuleGroup } from './types.ts';

/** Aggregation levels of the cost counter: level name -> labels kept. */
export const costLevels: Record<string, string[]> = {
  job: [l.service],
  feature: [l.feature],
  team: [l.team],
  customer: [l.customer],
  model: [l.provider, l.model],
};

/** Names of recording rules, for alerts and dashboards to refer to. */
export const recorded = {
  costRate: (level: string, window: string) => `${level}:llmcost_cost_usd:rate${window}`,
  costIncrease: (level: string, window: string) => `${level}:llmcost_cost_usd:increase${window}`,
  requestCostQuantile: 'job_model_quantile:llmcost_request_cost_usd:histogram_quantile',
  modelOperationsRate5m: 'model:gen_ai_client_operations:rate5m',
};

export function recordingRules(cfg: Config): RuleGroup {
  const cost = `${m.cost}${sel(cfg.selector)}`;
  const rules: RecordingRule[] = [];
  for (const [level, keep] of Object.entries(costLevels)) {
    const by = keep.join(', ');
    rules.push({ record: recorded.costRate(level, '5m'), expr: `sum by (${by}) (rate(${cost}[5m]))` });
    if (level === 'job') {
      rules.push({ record: recorded.costRate(level, '1h'), expr: `sum by (${by}) (rate(${cost}[1h]))` });
    }
    rules.push({ record: recorded.costIncrease(level, '1d'), expr: `sum by (${by}) (increase(${cost}[1d]))` });
  }
  for (const q of ['0.5', '0.95', '0.99']) {
    rules.push({
      record: recorded.requestCostQuantile,
      expr: `histogram_quantile(${q}, sum by (le, ${l.service}, ${l.provider}, ${l.model}) (rate(${m.requestCostBucket}${sel(cfg.selector)}[5m])))`,
      labels: { quantile: q },
    });
  }
  rules.push({
    record: recorded.modelOperationsRate5m,
    expr: `sum by (${l.provider}, ${l.model}) (rate(${m.durationCount}${sel(cfg.selector)}[5m]))`,
  });
  return { name: 'llmcost.recording', ...groupInterval(cfg), rules };
}
