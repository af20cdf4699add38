import { type Attributes, metrics } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type * as SdkNode from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { LlmCostSpanProcessor } from '../attribution/processor.js';
import { LlmCostMetricProducer } from '../core/metric-producer.js';
import { ATTR, PACKAGE_NAME, PACKAGE_VERSION } from '../core/names.js';
import type { LlmCostOptions } from '../core/options.js';
import { LlmCostRuntime, offerDefaultRuntime, withdrawDefaultRuntime } from '../core/runtime.js';
import type { Warnings } from '../core/warn.js';
import { LlmCostForeignSpanProcessor } from '../instrumentations/foreign/processor.js';
import type { OpenAIInstrumentation } from '../instrumentations/openai/instrumentation.js';
import { clientInstrumentations, type ProviderInitOptions, patchAlreadyLoaded } from './client-instrumentations.js';
import { withinDeadline } from './deadline.js';
import {
  DEFAULT_EXPORT_TIMEOUT_MS,
  envEnvironment,
  envExportTimeout,
  envMetricInterval,
  envProtocol,
  envServiceVersion,
  type OtlpProtocol,
} from './env.js';
import { registerEsmHook } from './esm-hook.js';
import { exportsSettled } from './export-guard.js';
import { createMetricExporter, createSpanExporter, isExportError } from './exporters.js';
import { loadSdkPackage } from './load.js';

export interface InitOptions extends LlmCostOptions, ProviderInitOptions {
  /** service.name; else OTEL_SERVICE_NAME, else the SDK default. */
  serviceName?: string;
  /** OTLP/HTTP base URL (signals go to /v1/traces and /v1/metrics); else OTEL_EXPORTER_OTLP_ENDPOINT, else http://localhost:4318. */
  endpoint?: string;
  /** else OTEL_EXPORTER_OTLP_PROTOCOL; default http/protobuf. */
  protocol?: OtlpProtocol;
  /** Export headers (merged over OTEL_EXPORTER_OTLP_HEADERS). */
  headers?: Record<string, string>;
  /** else OTEL_METRIC_EXPORT_INTERVAL; default 60000. */
  metricExportIntervalMs?: number;
  /**
   * The most one OTLP export may take, its retries included, and the most shutdown() waits for the last one
   * (a collector that does not answer cannot hold shutdown longer). Else OTEL_EXPORTER_OTLP_{TRACES,METRICS}_TIMEOUT,
   * else OTEL_EXPORTER_OTLP_TIMEOUT; default 10000 (the OTLP default).
   */
  exportTimeoutMs?: number;
  /** More resource attributes (OTEL_RESOURCE_ATTRIBUTES also applies). */
  resourceAttributes?: Attributes;
  /** More instrumentations (e.g. @opentelemetry/instrumentation-http and -express). */
  instrumentations?: Instrumentation[];
  /** More span processors, run after ours. */
  spanProcessors?: SpanProcessor[];
  /** Register the ESM loader hook for later imports (default true). */
  esmHook?: boolean;
}

export interface LlmCostHandle {
  sdk: SdkNode.NodeSDK;
  /** The runtime init() created (pricer, options, limits, warnings), given to every instrumentation and processor. */
  runtime: LlmCostRuntime;
  openai: OpenAIInstrumentation | undefined;
  /** Resolves when URL price overrides finished loading. */
  ready: Promise<void>;
  /** Exports everything recorded so far. */
  forceFlush(): Promise<void>;
  /** Flushes and stops; call before a short-lived process exits. */
  shutdown(): Promise<void>;
}

const KEY = Symbol.for('otel-llm-cost.handle');
type Holder = { [KEY]?: LlmCostHandle };

function protocolOf(option: OtlpProtocol | undefined, signal: 'TRACES' | 'METRICS', warnings: Warnings): OtlpProtocol {
  const raw = option ?? envProtocol(signal);
  if (raw === undefined || raw === 'http/protobuf' || raw === 'http/json') return raw ?? 'http/protobuf';
  warnings.warnOnce(
    `protocol:${raw}`,
    `OTLP protocol "${raw}" is not supported here; using http/protobuf (use http/json or http/protobuf).`,
  );
  return 'http/protobuf';
}

/** The option, else the signal's OTEL_EXPORTER_OTLP_*TIMEOUT, else the OTLP default (ms). */
function exportTimeout(option: number | undefined, signal: 'TRACES' | 'METRICS'): number {
  if (option !== undefined && Number.isFinite(option) && option > 0) return option;
  return envExportTimeout(signal) ?? DEFAULT_EXPORT_TIMEOUT_MS;
}

/** The packages the user's own instrumentations patch: their ESM imports must be hooked too. */
function moduleNames(instrumentations: Instrumentation[]): string[] {
  const names: string[] = [];
  for (const instrumentation of instrumentations) {
    try {
      const definitions = (
        instrumentation as { getModuleDefinitions?: () => { name: string }[] }
      ).getModuleDefinitions?.();
      for (const d of definitions ?? []) names.push(d.name);
    } catch {
      // Not an InstrumentationBase: nothing to hook for it.
    }
  }
  return names;
}

/**
 * Starts OpenTelemetry with OTLP/HTTP exporters, the LLM instrumentations and cost attribution.
 * Call once, first thing at app start. A second call returns the first handle (and warns).
 */
export function init(options: InitOptions = {}): LlmCostHandle {
  const holder = globalThis as Holder;
  if (holder[KEY]) {
    holder[KEY].runtime.warnings.warnOnce(
      'init-twice',
      'init() was called more than once; the first call configured telemetry and is kept.',
    );
    return holder[KEY];
  }
  const environment = options.environment ?? envEnvironment();
  const version = options.serviceVersion ?? options.resourceAttributes?.[ATTR.SERVICE_VERSION] ?? envServiceVersion();
  const serviceVersion = version === undefined ? undefined : String(version);
  const runtime = new LlmCostRuntime({
    ...options,
    environment,
    serviceVersion,
    budgetEnforcement: { serviceName: options.serviceName, ...options.budgetEnforcement },
  });
  // Instrumentations and processors you build without a runtime (and getAttribution()) join this setup.
  offerDefaultRuntime(runtime);
  const warnings = runtime.warnings;
  if (options.esmHook !== false) registerEsmHook(moduleNames(options.instrumentations ?? []), warnings);

  const tracesTimeout = exportTimeout(options.exportTimeoutMs, 'TRACES');
  const metricsTimeout = exportTimeout(options.exportTimeoutMs, 'METRICS');
  const spanExporter = createSpanExporter({
    endpoint: options.endpoint,
    protocol: protocolOf(options.protocol, 'TRACES', warnings),
    headers: options.headers,
    timeoutMs: tracesTimeout,
    warnings,
  });
  const spanProcessor = new BatchSpanProcessor({
    exporter: spanExporter,
    // The exporter gives up by then; a longer cap of its own would only let it start a second export later.
    exportTimeoutMillis: tracesTimeout,
  });
  const interval = options.metricExportIntervalMs ?? envMetricInterval() ?? 60_000;
  const metricExporter = createMetricExporter({
    endpoint: options.endpoint,
    protocol: protocolOf(options.protocol, 'METRICS', warnings),
    headers: options.headers,
    timeoutMs: metricsTimeout,
    warnings,
  });
  // The LLM metrics are aggregated in process and exported by the producer, with the exporter's temporality.
  const llmMetrics = new LlmCostMetricProducer({
    runtime,
    aggregationTemporalitySelector: (type) =>
      metricExporter.selectAggregationTemporality?.(type) ?? AggregationTemporality.CUMULATIVE,
  });
  const metricReader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    metricProducers: [llmMetrics],
    exportIntervalMillis: interval,
    // The reader refuses a timeout above its interval.
    exportTimeoutMillis: Math.min(metricsTimeout, interval),
  });
  const clients = clientInstrumentations(options, runtime);
  const foreign = options.foreignSpans === false ? [] : [new LlmCostForeignSpanProcessor({ runtime })];
  const resourceAttributes: Attributes = { ...options.resourceAttributes };
  if (environment) resourceAttributes[ATTR.ENVIRONMENT] = environment;
  if (serviceVersion) resourceAttributes[ATTR.SERVICE_VERSION] = serviceVersion;

  const { NodeSDK } = loadSdkPackage<typeof SdkNode>('@opentelemetry/sdk-node');
  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    resource: resourceFromAttributes(resourceAttributes),
    spanProcessors: [
      new LlmCostSpanProcessor({ runtime }),
      ...foreign,
      spanProcessor,
      ...(options.spanProcessors ?? []),
    ],
    metricReaders: [metricReader],
    // Logs are not ours to send: without OTEL_LOGS_EXPORTER the SDK would start an OTLP log exporter to
    // localhost:4318 (ignoring `endpoint`) that stalls shutdown when nothing listens there.
    ...(process.env.OTEL_LOGS_EXPORTER ? {} : { logRecordProcessors: [] }),
    instrumentations: [...clients.all.map((c) => c.instrumentation), ...(options.instrumentations ?? [])],
  });
  sdk.start();
  patchAlreadyLoaded(clients.all);
  if (runtime.budgets) {
    // Budget spend counters start at 0 and are exported at once, so that Prometheus counts the first spend.
    runtime.budgets.start(metrics.getMeter(PACKAGE_NAME, PACKAGE_VERSION));
    metricReader.forceFlush().catch(() => undefined);
  }

  let stopped: Promise<void> | undefined;
  const handle: LlmCostHandle = {
    sdk,
    runtime,
    openai: clients.openai,
    ready: runtime.ready,
    async forceFlush() {
      await Promise.all([spanProcessor.forceFlush(), metricReader.forceFlush()]);
    },
    shutdown() {
      if (stopped) return stopped;
      const deadline = Math.max(tracesTimeout, metricsTimeout);
      // The SDK settles at the first failed flush; exports still retrying are waited for too, within the deadline.
      const work = sdk
        .shutdown()
        .finally(() => Promise.all([exportsSettled(spanExporter), exportsSettled(metricExporter)]));
      stopped = withinDeadline(work, deadline)
        .then(
          (onTime) => {
            if (!onTime)
              warnings.warnOnce(
                'shutdown-timeout',
                `shutdown() stopped waiting for the last export after ${deadline} ms (the export timeout: ` +
                  'init({ exportTimeoutMs }) or OTEL_EXPORTER_OTLP_TIMEOUT); what it had not sent by then is dropped.',
              );
            if (holder[KEY] === handle) holder[KEY] = undefined;
          },
          (error: unknown) => {
            // A last export that failed was reported by the exporter already, with its endpoint.
            if (!isExportError(error)) warnings.warnOnce('shutdown', `shutdown failed: ${String(error)}`);
          },
        )
        .finally(() => {
          withdrawDefaultRuntime(runtime);
          runtime.close(); // the pricer's live price-data updates
        });
      return stopped;
    },
  };
  holder[KEY] = handle;
  return handle;
}
