// The stack the demo, the end-to-end tests and the dashboards proof run on loopback, and the small tools to
// start and poll it. Each part is one file; this is the package's only entry.
export {
  COLLECTOR_BIN,
  COLLECTOR_CONFIG_DIR,
  type Collector,
  type CollectorPipeline,
  type CollectorPorts,
  type StartCollectorOptions,
  startCollector,
} from './collector.ts';
export { readSpans, type SpanOut } from './collector-spans.ts';
export { freePort } from './free-port.ts';
export { type PrometheusOptions, type RunningPrometheus, startPrometheus } from './prometheus.ts';
export { instantQuery, labelValues, rangeQuery, type Sample } from './prometheus-api.ts';
export { findPrometheus, findPromtool, installHint, missingToolPolicy } from './prometheus-binaries.ts';
export { REPO_ROOT } from './repo-root.ts';
export { type Service, startService } from './service.ts';
export { waitFor } from './wait-for.ts';
