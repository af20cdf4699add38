// The one tracing/metrics setup that every scenario uses where the instrumentation lets us choose:
// SDK 3.x TracerProvider with a BatchSpanProcessor in front of an exporter that discards, an
// AsyncLocalStorage context manager, and a MeterProvider with a reader that is only collected on demand.
import { type Attributes, context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { MeterProvider, type MetricProducer, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
  type SpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';

/** Drops every span; remembers how many it saw and the last batch (for the correctness check). */
export class DiscardingSpanExporter implements SpanExporter {
  count = 0;
  lastBatch: ReadableSpan[] = [];

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.count += spans.length;
    this.lastBatch = spans;
    resultCallback({ code: ExportResultCode.SUCCESS });
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

/** A pull reader: nothing is exported; collect() is called once at the end to list what was recorded. */
export class OnDemandMetricReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }

  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

export interface Pipeline {
  tracerProvider: TracerProvider;
  meterProvider: MeterProvider;
  exporter: DiscardingSpanExporter;
  reader: OnDemandMetricReader;
  /** Exports everything queued (so that lastBatch holds the latest spans). */
  flush(): Promise<void>;
  /** Names of the metric instruments that received data. */
  metricNames(): Promise<string[]>;
}

/**
 * Builds and registers the shared pipeline. `before` are span processors that run ahead of the batch processor
 * (ours: LlmCostSpanProcessor). Registers the global meter provider and, unless told not to, the global tracer
 * provider and context manager. `metricProducers` are collected by the reader beside the MeterProvider's own
 * instruments (an instrumentation that pre-aggregates its metrics can hand them in this way).
 */
export function createPipeline(
  before: SpanProcessor[] = [],
  register: { tracer?: boolean; context?: boolean; meter?: boolean; metricProducers?: MetricProducer[] } = {},
): Pipeline {
  const exporter = new DiscardingSpanExporter();
  const batch = new BatchSpanProcessor({ exporter });
  const tracerProvider = new TracerProvider({ spanProcessors: [...before, batch] });
  const reader = new OnDemandMetricReader({ metricProducers: register.metricProducers });
  const meterProvider = new MeterProvider({ readers: [reader] });
  if (register.context !== false) context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  if (register.tracer !== false) trace.setGlobalTracerProvider(tracerProvider);
  if (register.meter !== false) metrics.setGlobalMeterProvider(meterProvider);
  return {
    tracerProvider,
    meterProvider,
    exporter,
    reader,
    flush: () => tracerProvider.forceFlush(),
    async metricNames() {
      const { resourceMetrics } = await reader.collect();
      const names = new Set<string>();
      for (const sm of resourceMetrics.scopeMetrics) {
        for (const m of sm.metrics) if (m.dataPoints.length > 0) names.add(m.descriptor.name);
      }
      return [...names].sort();
    },
  };
}

/** What the correctness check reads from an LLM span. */
export interface SpanSummary {
  name: string;
  attributes: Attributes;
}

export function summarize(span: ReadableSpan): SpanSummary {
  return { name: span.name, attributes: span.attributes };
}
