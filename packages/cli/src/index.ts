export { type ReconcileOptions, reconcile, runReconcile } from './reconcile/command.js';
export { causeOf, compare, matchModel } from './reconcile/compare.js';
export { formatReport, reportJson } from './reconcile/report.js';
export type { BilledModelDay, Cause, OurModelDay, Report, Row } from './reconcile/types.js';
export {
  BILLED_METRIC,
  billedPromQL,
  COST_METRIC,
  DIMENSIONS,
  type Dimension,
  formatTable,
  marginPromQL,
  queryPrometheus,
  type SpendOptions,
  type SpendQuery,
  type SpendRow,
  spend,
  spendPromQL,
} from './spend.js';
