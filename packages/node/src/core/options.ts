import type { LivePriceDataOptions, OverrideDocument } from '@otel-llm-cost/pricing';
import type { BudgetsOption } from '../budgets/config.js';
import type { BudgetEnforcementOptions, BudgetsMode } from '../budgets/enforcer.js';
import type { RateLimitOptions } from '../limits/rate-limit-options.js';
import type { MarkupConfig } from './markup.js';
import { ATTR } from './names.js';

/** The attribution dimensions spend is sliced by. */
export type Dimension = 'user' | 'session' | 'customer' | 'feature' | 'team' | 'route' | 'version';

export interface AttributionOptions {
  /** Attribute key per dimension; defaults in DEFAULT_ATTRIBUTE_KEYS (README has the table). */
  keys?: Partial<Record<Dimension, string>>;
  /**
   * W3C baggage entries that may become attribution attributes (values set in another service).
   * An array of baggage keys that are also the attribute keys, or a map baggage key -> attribute key.
   * Default: none (baggage is caller-controlled; allow only what you trust).
   */
  baggageKeys?: string[] | Record<string, string>;
  /** More attribute keys to inherit from parent spans (besides the dimensions). */
  extraKeys?: string[];
  /** Write inherited attribution onto every span (not only LLM spans). Default true. */
  allSpans?: boolean;
}

export type StrictMode = 'off' | 'throw' | 'count';

export interface StrictOptions {
  /** `throw` (development): a call missing a required dimension throws AttributionError; `count`: counted in llmcost.attribution.missing. */
  mode: StrictMode;
  /** Required dimensions, e.g. ['feature', 'customer']. */
  required: Dimension[];
}

export interface MetricsOptions {
  /** Also put user.id / session.id on metric labels (high cardinality). Default false. */
  includeUserId?: boolean;
  /** Distinct values per label (across our instruments) before values become `__overflow__`. Default 100. */
  cardinalityLimit?: number;
}

export interface PricingOptions {
  /**
   * Per-customer markup: a billed price next to the cost (`llmcost.billed_cost` on spans, the `llmcost.billed`
   * counter). A config, or a YAML/JSON file path; else the LLMCOST_MARKUP file. A bad config warns and is ignored.
   */
  markup?: string | MarkupConfig;
}

/** Options shared by init(), the instrumentations and LlmCostSpanProcessor. */
export interface LlmCostOptions {
  /** Value of deployment.environment.name (resource attribute and metric label). */
  environment?: string;
  /** Value of service.version (resource attribute and metric label), to tie a cost change to a deploy. */
  serviceVersion?: string;
  attribution?: AttributionOptions;
  strict?: StrictOptions;
  metrics?: MetricsOptions;
  /** Price overrides: a YAML/JSON file path, an https URL or a document (see @otel-llm-cost/pricing). */
  priceOverrides?: string | OverrideDocument;
  /**
   * Live price data: genai-prices' published document, fetched at start and then hourly, the last good one
   * cached on disk. Default on, from genai-prices' own URL; `false` (or LLMCOST_PRICE_DATA_URL=off) turns it
   * off. Variables: LLMCOST_PRICE_DATA_URL, LLMCOST_PRICE_DATA_INTERVAL (ms), LLMCOST_PRICE_DATA_CACHE (path or off).
   */
  priceData?: LivePriceDataOptions | false;
  /** Your billing policy on top of cost (docs/markup.md). */
  pricing?: PricingOptions;
  /** Opt-in request-rate limits per user and/or customer, per instance (docs/rate-limits.md). */
  rateLimit?: RateLimitOptions;
  /**
   * Budgets checked before each LLM call (docs/budgets.md): a budgets file (YAML/JSON, the schema of
   * grafana-dashboards/budgets.yaml) or its content; else the LLMCOST_BUDGETS file. A bad file warns and is ignored.
   */
  budgets?: BudgetsOption;
  /** `warn` (default: the call goes through, marked and counted) or `enforce` (BudgetExceededError); else LLMCOST_BUDGETS_MODE. */
  budgetsMode?: BudgetsMode;
  /** Where spend is read from and how (Prometheus URL, poll interval, fail mode); else LLMCOST_BUDGETS_* variables. */
  budgetEnforcement?: BudgetEnforcementOptions;
  /** Record prompt and completion content on spans (gen_ai.input.messages / output.messages). Default false. */
  captureContent?: boolean;
  /** Where warnings go; default process.emitWarning-like stderr line, once per distinct problem. */
  onWarning?: (message: string) => void;
}

export const DEFAULT_ATTRIBUTE_KEYS: Record<Dimension, string> = {
  user: ATTR.USER,
  session: ATTR.SESSION,
  customer: ATTR.CUSTOMER,
  feature: ATTR.FEATURE,
  team: ATTR.TEAM,
  route: ATTR.ROUTE,
  version: ATTR.APP_VERSION,
};
