import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { OTLPMetricExporter as OTLPMetricExporterJson } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as OTLPMetricExporterProto } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as OTLPTraceExporterJson } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPTraceExporterProto } from '@opentelemetry/exporter-trace-otlp-proto';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { warnOnce } from '../core/warn.js';
import { describeEndpoint, type OtlpProtocol } from './env.js';

export interface ExporterOptions {
  endpoint?: string;
  protocol: OtlpProtocol;
  headers?: Record<string, string>;
}

function hint(signal: string, url: string, result: ExportResult): string {
  const reason = result.error?.message ?? 'unknown error';
  return (
    `could not export ${signal} to ${url} (${reason}). Is an OpenTelemetry Collector listening there? ` +
    'Start one, or point init({ endpoint }) / OTEL_EXPORTER_OTLP_ENDPOINT at it. ' +
    'Telemetry is dropped meanwhile; your application is not affected. (Reported once.)'
  );
}

/** Passes everything to the OTLP exporter and reports the first failure in words a user can act on. */
class ReportingSpanExporter implements SpanExporter {
  constructor(
    private readonly inner: SpanExporter,
    private readonly url: string,
  ) {}
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      if (result.code !== ExportResultCode.SUCCESS) warnOnce('export:traces', hint('spans', this.url, result));
      done(result);
    });
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

class ReportingMetricExporter implements PushMetricExporter {
  constructor(
    private readonly inner: PushMetricExporter,
    private readonly url: string,
  ) {
    if (inner.selectAggregationTemporality)
      this.selectAggregationTemporality = inner.selectAggregationTemporality.bind(inner);
    if (inner.selectAggregation) this.selectAggregation = inner.selectAggregation.bind(inner);
  }
  selectAggregationTemporality?: PushMetricExporter['selectAggregationTemporality'];
  selectAggregation?: PushMetricExporter['selectAggregation'];
  export(metrics: ResourceMetrics, done: (result: ExportResult) => void): void {
    this.inner.export(metrics, (result) => {
      if (result.code !== ExportResultCode.SUCCESS) warnOnce('export:metrics', hint('metrics', this.url, result));
      done(result);
    });
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}

function signalConfig(signal: 'traces' | 'metrics', o: ExporterOptions) {
  return {
    ...(o.endpoint ? { url: `${o.endpoint.replace(/\/+$/, '')}/v1/${signal}` } : {}),
    ...(o.headers ? { headers: o.headers } : {}),
  };
}

export function createSpanExporter(o: ExporterOptions): SpanExporter {
  const config = signalConfig('traces', o);
  const inner = o.protocol === 'http/json' ? new OTLPTraceExporterJson(config) : new OTLPTraceExporterProto(config);
  return new ReportingSpanExporter(inner, describeEndpoint('traces', o.endpoint));
}

export function createMetricExporter(o: ExporterOptions): PushMetricExporter {
  const config = signalConfig('metrics', o);
  const inner = o.protocol === 'http/json' ? new OTLPMetricExporterJson(config) : new OTLPMetricExporterProto(config);
  return new ReportingMetricExporter(inner, describeEndpoint('metrics', o.endpoint));
}
