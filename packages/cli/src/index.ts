export { type ReconcileOptions, reconcile, runReconcile } from './reconcile/command.js';
export { causeOf, compare, matchModel } from './reconcile/compare.js';
export { formatReport, reportJson } from './reconcile/report.js';
export type { BilledModelDay, Cause, OurModelDay, Report, Row } from './reconcile/types.js';
export {
  COST_METRIC,
  DIMENSIONS,
  type Dimension,
  formatTable,
  queryPrometheus,
  type SpendQuery,
  type SpendRow,
  spend,
  spendPromQL,
} from './spend.js';
