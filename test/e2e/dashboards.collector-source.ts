// Metrics through the REAL collector: the otelcol-llmcost binary (collector-config/build.sh) runs with
// collector-config/config.sdk-metrics.yaml on free loopback ports; the known calls' cumulative metrics are posted
// to its OTLP/HTTP receiver as the Node package's exporter would post them, and Prometheus scrapes the collector's
// prometheus exporter. Only the sender is simulated here; swapping it for the Node package + LLM simulator is the
// last step to the full pipeline.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../../grafana-dashboards/src/proof/prom-api.ts';
import { freePort } from '../../grafana-dashboards/src/proof/prometheus.ts';
import { CumulativeState, type MetricsSource, type Point } from './dashboards.metrics-model.ts';

const repo = join(import.meta.dirname, '..', '..');

export function collectorBinary(): string | undefined {
  const bin = process.env.LLMCOST_COLLECTOR_BIN ?? join(repo, '.cache', 'collector', 'otelcol-llmcost');
  return existsSync(bin) ? bin : undefined;
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

export async function startCollectorSource(bin: string): Promise<MetricsSource> {
  const dir = mkdtempSync(join(tmpdir(), 'llmcost-collector-'));
  const [http, grpc, prom, telemetry] = [await freePort(), await freePort(), await freePort(), await freePort()];
  let output = '';
  const child: ChildProcess = spawn(bin, ['--config', join(repo, 'collector-config', 'config.sdk-metrics.yaml')], {
    env: {
      ...process.env,
      LLMCOST_OTLP_HTTP_PORT: String(http),
      LLMCOST_OTLP_GRPC_PORT: String(grpc),
      LLMCOST_PROMETHEUS_PORT: String(prom),
      LLMCOST_TELEMETRY_PORT: String(telemetry),
      LLMCOST_TRACES_FILE: join(dir, 'traces.jsonl'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (b: Buffer) => {
    output = (output + b.toString()).slice(-20_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const close = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(`the collector's prometheus exporter on :${prom}`, async () => {
      if (child.exitCode !== null) throw new Error(`collector exited with ${child.exitCode}:\n${output}`);
      const r = await fetch(`http://127.0.0.1:${prom}/metrics`);
      return r.ok ? true : undefined;
    });
  } catch (err) {
    await close();
    throw err;
  }
  const state = new CumulativeState();
  const startNs = BigInt(Date.now()) * 1_000_000n;
  const send = async () => {
    const res = await fetch(`http://127.0.0.1:${http}/v1/metrics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(otlpPayload(state.all(), startNs)),
    });
    if (!res.ok)
      throw new Error(`collector rejected the OTLP metrics: HTTP ${res.status} ${await res.text()}\n${output}`);
  };
  return {
    target: `127.0.0.1:${prom}`,
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
