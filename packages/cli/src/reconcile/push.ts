/**
 * `--otlp URL`: the day totals of a report as the gauge `llmcost.reconciliation.drift` ((ours - billed) /
 * billed, by provider and UTC day), posted once as OTLP/HTTP JSON to `${URL}/v1/metrics` (a collector's OTLP
 * receiver), so that Prometheus holds the drift and the LLMCostReconciliationDrift alert can fire on it.
 */
import { ATTR, METRIC, UNIT } from '@otel-llm-cost/contract/otlp';
import { ReconcileError } from './http.js';
import type { Report } from './types.js';

const SERVICE_NAME = 'llm-cost-reconcile';

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });

/** The OTLP/JSON export request of a report's day totals (days with nothing billed have no drift to push). */
export function driftMetrics(report: Report, now: Date): unknown {
  const timeUnixNano = `${BigInt(now.getTime()) * 1_000_000n}`;
  const dataPoints = report.days
    .filter((d) => d.diffPct !== null)
    .map((d) => ({
      attributes: [str(ATTR.PROVIDER, report.provider), str(ATTR.RECONCILIATION_DAY, d.day)],
      timeUnixNano,
      asDouble: d.diffPct! / 100,
    }));
  return {
    resourceMetrics: [
      {
        resource: { attributes: [str('service.name', SERVICE_NAME)] },
        scopeMetrics: [
          {
            scope: { name: '@otel-llm-cost/cli' },
            metrics: [{ name: METRIC.RECONCILIATION_DRIFT, unit: UNIT.RECONCILIATION_DRIFT, gauge: { dataPoints } }],
          },
        ],
      },
    ],
  };
}

/** Posts the drift; returns how many day points were sent. */
export async function pushDrift(endpoint: string, report: Report, now: Date = new Date()): Promise<number> {
  const url = `${endpoint.replace(/\/+$/, '').replace(/\/v1\/metrics$/, '')}/v1/metrics`;
  const body = driftMetrics(report, now) as { resourceMetrics: { scopeMetrics: { metrics: unknown[] }[] }[] };
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new ReconcileError(
      `could not send the drift to ${url}: ${(error as Error).message}`,
      'point --otlp at a collector OTLP/HTTP receiver (e.g. http://collector:4318), or leave --otlp out',
    );
  }
  await res.arrayBuffer();
  if (!res.ok) {
    throw new ReconcileError(
      `${url} answered HTTP ${res.status} to the drift metric`,
      'check that the URL is an OTLP/HTTP receiver that accepts JSON',
    );
  }
  return report.days.filter((d) => d.diffPct !== null).length;
}
