import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type * as MetricsJson from '@opentelemetry/exporter-metrics-otlp-http';
import type * as MetricsProto from '@opentelemetry/exporter-metrics-otlp-proto';
import type * as TracesJson from '@opentelemetry/exporter-trace-otlp-http';
import type * as TracesProto from '@opentelemetry/exporter-trace-otlp-proto';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import type { Warnings } from '../core/warn.js';
import { describeEndpoint, type OtlpProtocol } from './env.js';
import { oneExportWhileUnreachable } from './export-guard.js';
import { loadSdkPackage } from './load.js';

export interface ExporterOptions {
  endpoint?: string;
  protocol: OtlpProtocol;
  headers?: Record<string, string>;
  /** The most one export may take, its retries included (the exporter's timeoutMillis). */
  timeoutMs: number;
  /** Where the first failure of each signal is reported. */
  warnings: Warnings;
}

/** Errors our exporters handed to the SDK: already reported (once per signal), so not worth a second warning. */
const exportErrors = new WeakSet<object>();

/** True for an error that an export of ours failed with (e.g. what shutdown() rejects with when the last flush fails). */
export function isExportError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && exportErrors.has(error);
}

function hint(signal: string, url: string, result: ExportResult): string {
  const reason = result.error?.message ?? 'unknown error';
  return (
    `could not export ${signal} to ${url} (${reason}). Is an OpenTelemetry Collector listening there? ` +
    'Start one, or point init({ endpoint }) / OTEL_EXPORTER_OTLP_ENDPOINT at it. ' +
    'Telemetry is dropped meanwhile; your application is not affected. (Reported once.)'
  );
}

interface Exporter<Items> {
  export(items: Items, done: (result: ExportResult) => void): void;
}

/** Makes the exporter report its first failure (per signal) in words a user can act on; all else is unchanged. */
function reportingFailures<Items, E extends Exporter<Items>>(
  exporter: E,
  signal: 'traces' | 'metrics',
  o: ExporterOptions,
): E {
  const url = describeEndpoint(signal, o.endpoint);
  const what = signal === 'traces' ? 'spans' : 'metrics';
  const original = exporter.export.bind(exporter);
  exporter.export = (items: Items, done: (result: ExportResult) => void) =>
    original(items, (result) => {
      if (result.code !== ExportResultCode.SUCCESS) {
        if (result.error) exportErrors.add(result.error);
        o.warnings.warnOnce(`export:${signal}`, hint(what, url, result));
      }
      done(result);
    });
  return exporter;
}

function signalConfig(signal: 'traces' | 'metrics', o: ExporterOptions) {
  return {
    timeoutMillis: o.timeoutMs,
    ...(o.endpoint ? { url: `${o.endpoint.replace(/\/+$/, '')}/v1/${signal}` } : {}),
    ...(o.headers ? { headers: o.headers } : {}),
  };
}

export function createSpanExporter(o: ExporterOptions): SpanExporter {
  const config = signalConfig('traces', o);
  const inner =
    o.protocol === 'http/json'
      ? new (loadSdkPackage<typeof TracesJson>('@opentelemetry/exporter-trace-otlp-http').OTLPTraceExporter)(config)
      : new (loadSdkPackage<typeof TracesProto>('@opentelemetry/exporter-trace-otlp-proto').OTLPTraceExporter)(config);
  const guarded = oneExportWhileUnreachable<ReadableSpan[], SpanExporter>(
    inner,
    describeEndpoint('traces', o.endpoint),
  );
  return reportingFailures<ReadableSpan[], SpanExporter>(guarded, 'traces', o);
}

export function createMetricExporter(o: ExporterOptions): PushMetricExporter {
  const config = signalConfig('metrics', o);
  const inner =
    o.protocol === 'http/json'
      ? new (loadSdkPackage<typeof MetricsJson>('@opentelemetry/exporter-metrics-otlp-http').OTLPMetricExporter)(config)
      : new (loadSdkPackage<typeof MetricsProto>('@opentelemetry/exporter-metrics-otlp-proto').OTLPMetricExporter)(
          config,
        );
  const guarded = oneExportWhileUnreachable<ResourceMetrics, PushMetricExporter>(
    inner,
    describeEndpoint('metrics', o.endpoint),
  );
  return reportingFailures<ResourceMetrics, PushMetricExporter>(guarded, 'metrics', o);
}
