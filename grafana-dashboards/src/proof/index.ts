// The dashboards proof, for the end-to-end tests: run every panel query of the generated dashboards against a
// real Prometheus (started with @otel-llm-cost/testkit) and check the values they show.
export {
  type Expectation,
  type QueryResult,
  type RunOptions,
  type RunReport,
  runAllPanelQueries,
} from './run-panels.ts';
