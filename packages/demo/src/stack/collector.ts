import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../../../../grafana-dashboards/src/proof/prom-api.ts';
import { freePort } from '../../../../grafana-dashboards/src/proof/prometheus.ts';
import { type Service, startService } from './service.ts';

export const REPO = join(import.meta.dirname, '..', '..', '..', '..');
export const COLLECTOR_BIN = process.env.LLMCOST_COLLECTOR_BIN ?? join(REPO, '.cache', 'collector', 'otelcol-llmcost');

export type CollectorPipeline = 'sdk-metrics' | 'traces-only';

export interface Collector {
  /** OTLP/HTTP base URL for OTEL_EXPORTER_OTLP_ENDPOINT. */
  otlpUrl: string;
  /** host:port of the prometheus exporter, for Prometheus to scrape. */
  metricsTarget: string;
  /** The file exporter's output (one OTLP/JSON batch of spans per line). */
  tracesFile: string;
  service: Service;
  stop(): Promise<void>;
}

/** Runs the built collector (collector-config/build.sh) with one of the committed pipeline configs, on free ports. */
export async function startCollector(opts: {
  workdir: string;
  pipeline: CollectorPipeline;
  overridesFile?: string;
}): Promise<Collector> {
  if (!existsSync(COLLECTOR_BIN)) {
    throw new Error(`the collector is not built (${COLLECTOR_BIN}); run: bash collector-config/build.sh`);
  }
  const [http, grpc, prom, telemetry] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const tracesFile = join(opts.workdir, `traces-${opts.pipeline}.jsonl`);
  const service = startService(
    `collector-${opts.pipeline}`,
    COLLECTOR_BIN,
    ['--config', join(REPO, 'collector-config', `config.${opts.pipeline}.yaml`)],
    {
      workdir: opts.workdir,
      env: {
        LLMCOST_OTLP_HTTP_PORT: String(http),
        LLMCOST_OTLP_GRPC_PORT: String(grpc),
        LLMCOST_PROMETHEUS_PORT: String(prom),
        LLMCOST_TELEMETRY_PORT: String(telemetry),
        LLMCOST_TRACES_FILE: tracesFile,
        LLMCOST_OVERRIDES_FILE: opts.overridesFile ?? '',
      },
    },
  );
  const metricsTarget = `127.0.0.1:${prom}`;
  await waitFor('the collector to accept OTLP/HTTP', async () => {
    if (service.process.exitCode !== null) throw new Error(`the collector exited:\n${service.tail()}`);
    const res = await fetch(`http://127.0.0.1:${http}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    return res.status < 500 ? true : undefined;
  });
  return { otlpUrl: `http://127.0.0.1:${http}`, metricsTarget, tracesFile, service, stop: () => service.stop() };
}
