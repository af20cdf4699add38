export { COLLECTOR_BIN, type Collector, type CollectorPipeline, REPO, startCollector } from './collector.ts';
export { freePort, waitFor } from './ports.ts';
export { type Service, startService } from './service.ts';
