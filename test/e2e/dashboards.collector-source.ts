// Metrics through the REAL collector: the otelcol-llmcost binary (collector-config/build.sh) runs with
// collector-config/config.sdk-metrics.yaml on free loopback ports; the known calls' cumulative metrics are posted
// to its OTLP/HTTP receiver as the Node package's exporter would post them, and Prometheus scrapes the collector's
// prometheus exporter. Only the sender is simulated here; swapping it for the Node package + LLM simulator is the
// last step to the full pipeline.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COLLECTOR_BIN, startCollector, waitFor } from '@otel-llm-cost/testkit';
import { CumulativeState, type MetricsSource, type Point } from './dashboards.metrics-model.ts';

export function collectorBinary(): string | undefined {
  return existsSync(COLLECTOR_BIN) ? COLLECTOR_BIN : undefined;
}

const attrs = (a: Record<string, string>) => Object.entries(a).map(([key, v]) => ({ key, value: { stringValue: v } }));

function otlpPayload(points: Point[], startNs: bigint): unknown {
  const now = String(BigInt(Date.now()) * 1_000_000n);
  const start = String(startNs);
  const byResource = new Map<string, Point[]>();
  for (const p of points) {
    const k = JSON.stringify(p.resource);
    byResource.set(k, [...(byResource.get(k) ?? []), p]);
  }
  return {
    resourceMetrics: [...byResource.entries()].map(([resource, ps]) => {
      const byName = new Map<string, Point[]>();
      for (const p of ps) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
      return {
        resource: { attributes: attrs(JSON.parse(resource) as Record<string, string>) },
        scopeMetrics: [
          {
            scope: { name: '@otel-llm-cost/node', version: '0.1.0' },
            metrics: [...byName.entries()].map(([name, mps]) => {
              const first = mps[0]!;
              if (first.kind === 'sum') {
                return {
                  name,
                  unit: first.unit,
                  sum: {
                    aggregationTemporality: 2,
                    isMonotonic: true,
                    dataPoints: mps.map((p) => ({
                      asDouble: p.value,
                      startTimeUnixNano: start,
                      timeUnixNano: now,
                      attributes: attrs(p.attributes),
                    })),
                  },
                };
              }
              return {
                name,
                unit: first.unit,
                histogram: {
                  aggregationTemporality: 2,
                  dataPoints: mps.map((p) => ({
                    count: String(p.count),
                    sum: p.sum,
                    bucketCounts: p.counts!.map(String),
                    explicitBounds: p.bounds,
                    startTimeUnixNano: start,
                    timeUnixNano: now,
                    attributes: attrs(p.attributes),
                  })),
                },
              };
            }),
          },
        ],
      };
    }),
  };
}

export async function startCollectorSource(): Promise<MetricsSource> {
  const dir = mkdtempSync(join(tmpdir(), 'llmcost-collector-'));
  const collector = await startCollector({ workdir: dir, pipeline: 'sdk-metrics' });
  const close = async () => {
    await collector.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(`the collector's prometheus exporter on ${collector.metricsTarget}`, async () => {
      const r = await fetch(`http://${collector.metricsTarget}/metrics`);
      return r.ok ? true : undefined;
    });
  } catch (err) {
    await close();
    throw err;
  }
  const state = new CumulativeState();
  const startNs = BigInt(Date.now()) * 1_000_000n;
  const send = async () => {
    const res = await fetch(`${collector.otlpUrl}/v1/metrics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(otlpPayload(state.all(), startNs)),
    });
    if (!res.ok)
      throw new Error(
        `collector rejected the OTLP metrics: HTTP ${res.status} ${await res.text()}\n${collector.service.tail()}`,
      );
  };
  return {
    target: collector.metricsTarget,
    description: 'real otelcol-llmcost collector (OTLP/HTTP in, prometheus exporter out); the OTLP sender is the test',
    declare: async (calls) => {
      for (const c of calls) state.record(c, 0);
      await send();
    },
    record: async (calls) => {
      for (const c of calls) state.record(c, 1);
      await send();
    },
    close,
  };
}
