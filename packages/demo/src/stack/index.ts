// Ports and polling are shared with the dashboards' proof harness.
export { waitFor } from '../../../../grafana-dashboards/src/proof/prom-api.ts';
export { freePort } from '../../../../grafana-dashboards/src/proof/prometheus.ts';
export { COLLECTOR_BIN, type Collector, type CollectorPipeline, REPO, startCollector } from './collector.ts';
export { type Service, startService } from './service.ts';
export { readSpans, type SpanOut } from './spans.ts';
