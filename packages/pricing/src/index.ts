export { parseYamlOrJson } from './config-text.js';
export { PRICE_DATA_VERSION } from './data.js';
export { type PriceDocument, validateDocument } from './document.js';
export { DEFAULT_PRICE_DATA_URL, type LiveOutcome, type LivePriceDataOptions } from './live.js';
export {
  type CompiledOverride,
  compileOverrides,
  type OverrideDocument,
  OverrideError,
  type OverrideModel,
} from './overrides.js';
export { createPricer, type Pricer, type PricerOptions, toGenaiUsage } from './pricer.js';
export { resolveProviderId } from './providers.js';
export { roundUsd } from './round.js';
export type * from './types.js';
