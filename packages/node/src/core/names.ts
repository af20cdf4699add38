import packageJson from '../../package.json' with { type: 'json' };
import { METRIC_SPECS } from './contract.generated.js';

/**
 * The names of the telemetry contract: generated from packages/contract/telemetry.yaml into
 * contract.generated.ts (attributes, metrics, dialects, model-call rules, reasons). Edit the contract, not the
 * generated file. This module adds what is not part of the contract: the package's own name and version.
 */
export {
  ATTR,
  COST_SOURCES,
  DIALECTS,
  METRIC,
  METRIC_SPECS,
  MODEL_CALLS,
  OVERFLOW_VALUE,
  TOKEN_TYPES,
  UNPRICED_REASONS,
} from './contract.generated.js';

/** USD buckets for the per-request cost histogram. */
export const REQUEST_COST_BUCKETS: number[] = [...METRIC_SPECS.REQUEST_COST.buckets];

export const PACKAGE_NAME: string = packageJson.name;
/** Read from package.json when the package is built (tsup bundles it). */
export const PACKAGE_VERSION: string = packageJson.version;
