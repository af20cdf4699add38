import { MetricReader } from '@opentelemetry/sdk-metrics';

/** A pull reader for an app's own MeterProvider in tests: nothing exported, `collect()` reads the points. */
export class CollectingReader extends MetricReader {
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}
