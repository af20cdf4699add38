import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port.ts';
import { REPO_ROOT } from './repo-root.ts';
import { type Service, startService } from './service.ts';
import { waitFor } from './wait-for.ts';

/** The collector binary collector-config/build.sh builds (or LLMCOST_COLLECTOR_BIN). */
export const COLLECTOR_BIN =
  process.env.LLMCOST_COLLECTOR_BIN ?? join(REPO_ROOT, '.cache', 'collector', 'otelcol-llmcost');
/** The committed collector configs: config.<pipeline>.yaml and the gateway.<pipeline>.yaml overlays. */
export const COLLECTOR_CONFIG_DIR = join(REPO_ROOT, 'collector-config');

/** A committed config of collector-config/: the two gateway pipelines, and the agent tier in front of them. */
export type CollectorPipeline = 'sdk-metrics' | 'traces-only' | 'agent';

/** The ports a collector listens on (all on 127.0.0.1). */
export interface CollectorPorts {
  http: number;
  grpc: number;
  /** The prometheus exporter (unused by the agent). */
  prometheus: number;
  /** The collector's own telemetry. */
  telemetry: number;
}

export interface Collector {
  /** OTLP/HTTP base URL for OTEL_EXPORTER_OTLP_ENDPOINT. */
  otlpUrl: string;
  /** host:port of the OTLP/gRPC receiver (what an agent's load_balancing exporter lists). */
  grpcEndpoint: string;
  /** host:port of the prometheus exporter, for Prometheus to scrape. */
  metricsTarget: string;
  /** The file exporter's output (one OTLP/JSON batch of spans per line; appended to across restarts). */
  tracesFile: string;
  ports: CollectorPorts;
  service: Service;
  /** Graceful stop: SIGTERM, then waits for the exit (SIGKILL after the grace period). */
  stop(): Promise<void>;
  /** kill -9: no shutdown, whatever sat in its batch processor and queues is gone. */
  kill(): Promise<void>;
}

export interface StartCollectorOptions {
  workdir: string;
  pipeline: CollectorPipeline;
  overridesFile?: string;
  /** Runs it as one replica of a gateway fleet: with collector-config/gateway.<pipeline>.yaml merged in. */
  gateway?: {
    /** LLMCOST_COLLECTOR_INSTANCE: the replica's stable identity (label collector_instance). */
    instance: string;
    /** LLMCOST_REMOTE_WRITE_URL: a Prometheus-compatible remote-write endpoint. */
    remoteWriteUrl: string;
  };
  /** For pipeline 'agent': the gateways' OTLP/gRPC host:port (LLMCOST_GATEWAYS). */
  gateways?: string[];
  /** Fixed ports (a restarted replica keeps its own); free ones otherwise. */
  ports?: Partial<CollectorPorts>;
  /** Name of the process and of its log file in workdir (default collector-<pipeline>). */
  name?: string;
  /** The file exporter's path (default <workdir>/traces-<pipeline>.jsonl). */
  tracesFile?: string;
  /** Grace period of stop() before SIGKILL, ms (default 5000). */
  stopTimeoutMs?: number;
  env?: Record<string, string>;
}

/** Runs the built collector (collector-config/build.sh) with one of the committed pipeline configs, on free ports. */
export async function startCollector(opts: StartCollectorOptions): Promise<Collector> {
  if (!existsSync(COLLECTOR_BIN)) {
    throw new Error(`the collector is not built (${COLLECTOR_BIN}); run: bash collector-config/build.sh`);
  }
  const ports: CollectorPorts = {
    http: opts.ports?.http ?? (await freePort()),
    grpc: opts.ports?.grpc ?? (await freePort()),
    prometheus: opts.ports?.prometheus ?? (await freePort()),
    telemetry: opts.ports?.telemetry ?? (await freePort()),
  };
  const tracesFile = opts.tracesFile ?? join(opts.workdir, `traces-${opts.pipeline}.jsonl`);
  const args = ['--config', join(COLLECTOR_CONFIG_DIR, `config.${opts.pipeline}.yaml`)];
  const env: Record<string, string> = {
    LLMCOST_OTLP_HTTP_PORT: String(ports.http),
    LLMCOST_OTLP_GRPC_PORT: String(ports.grpc),
    LLMCOST_PROMETHEUS_PORT: String(ports.prometheus),
    LLMCOST_TELEMETRY_PORT: String(ports.telemetry),
    LLMCOST_TRACES_FILE: tracesFile,
    LLMCOST_OVERRIDES_FILE: opts.overridesFile ?? '',
  };
  if (opts.gateway) {
    if (opts.pipeline === 'agent') throw new Error('the agent is not a gateway');
    args.push('--config', join(COLLECTOR_CONFIG_DIR, `gateway.${opts.pipeline}.yaml`));
    env.LLMCOST_COLLECTOR_INSTANCE = opts.gateway.instance;
    env.LLMCOST_REMOTE_WRITE_URL = opts.gateway.remoteWriteUrl;
  }
  if (opts.pipeline === 'agent') {
    if (!opts.gateways?.length) throw new Error('an agent needs gateways');
    // The env provider parses the value as YAML: a flow list of host:port.
    env.LLMCOST_GATEWAYS = `[${opts.gateways.join(', ')}]`;
  }
  const service = startService(opts.name ?? `collector-${opts.pipeline}`, COLLECTOR_BIN, args, {
    workdir: opts.workdir,
    env: { ...env, ...opts.env },
  });
  const metricsTarget = `127.0.0.1:${ports.prometheus}`;
  await waitFor('the collector to accept OTLP/HTTP', async () => {
    if (service.process.exitCode !== null) throw new Error(`the collector exited:\n${service.tail()}`);
    const res = await fetch(`http://127.0.0.1:${ports.http}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    return res.status < 500 ? true : undefined;
  });
  return {
    otlpUrl: `http://127.0.0.1:${ports.http}`,
    grpcEndpoint: `127.0.0.1:${ports.grpc}`,
    metricsTarget,
    tracesFile,
    ports,
    service,
    stop: () => (opts.stopTimeoutMs === undefined ? service.stop() : signal(service, 'SIGTERM', opts.stopTimeoutMs)),
    kill: () => signal(service, 'SIGKILL', 0),
  };
}

/** Sends the signal and waits for the exit; SIGKILL after graceMs if it is still running. */
async function signal(service: Service, sig: NodeJS.Signals, graceMs: number): Promise<void> {
  const child = service.process;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(sig);
  const timer = sig === 'SIGKILL' ? undefined : setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
