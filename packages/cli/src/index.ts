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
