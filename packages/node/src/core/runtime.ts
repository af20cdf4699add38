import type { AttributeValue, Context, Span } from '@opentelemetry/api';
import { trace } from '@opentelemetry/api';
import { createPricer, type LivePriceDataOptions, OverrideError, type Pricer } from '@otel-llm-cost/pricing';
import { budgetEnforcerFor } from '../budgets/config.js';
import { BudgetEnforcer } from '../budgets/enforcer.js';
import { rateLimits } from '../limits/rate-limit-options.js';
import { RequestRateLimiter } from '../limits/rate-limiter.js';
import { MetricAggregator } from './aggregated-metrics.js';
import { CardinalityLimiter } from './cardinality.js';
import { type Markup, markupFor } from './markup.js';
import type { LlmMetrics } from './metrics.js';
import { PACKAGE_NAME } from './names.js';
import { type AttributionOptions, DEFAULT_ATTRIBUTE_KEYS, type Dimension, type LlmCostOptions } from './options.js';
import { SeriesIndex } from './series-index.js';
import { Warnings } from './warn.js';

/**
 * A span's parent and local root are kept on the span itself, under symbols (a WeakMap insert per span cost more
 * than the rest of the link). They are facts about the span, the same for every runtime; shared by the ESM and
 * CJS copies of this package.
 */
const PARENT = Symbol.for('otel-llm-cost.parent');
const LOCAL_ROOT = Symbol.for('otel-llm-cost.local-root');
type Linked = { [PARENT]?: Span; [LOCAL_ROOT]?: Span };
export interface SpanLink {
  get(span: object): Span | undefined;
}

/** The attribution options, worked out once: keys per dimension, allowed baggage, inherited keys. */
export interface AttributionSettings {
  keys: Record<Dimension, string>;
  /** baggage key -> attribute key */
  baggage: Map<string, string>;
  /** every attribute key inherited from ancestors (dimension keys except route, plus extras) */
  inherited: string[];
  allSpans: boolean;
  /** The attribution keys that are metric labels: feature, team, customer, route, version (+ user, session if opted in). */
  labelKeys: string[];
}

export function attributionSettings(options: AttributionOptions = {}, includeUserId = false): AttributionSettings {
  const keys = { ...DEFAULT_ATTRIBUTE_KEYS, ...options.keys };
  const baggage = new Map<string, string>();
  const b = options.baggageKeys;
  if (Array.isArray(b)) for (const k of b) baggage.set(k, k);
  else if (b) for (const [k, v] of Object.entries(b)) baggage.set(k, v);
  const inherited = [...new Set([...Object.values(keys), ...(options.extraKeys ?? [])])];
  const labelKeys = [keys.feature, keys.team, keys.customer, keys.route, keys.version];
  if (includeUserId) labelKeys.push(keys.user, keys.session);
  return { keys, baggage, inherited, allSpans: options.allSpans ?? true, labelKeys };
}

/** Live price data options from the runtime options, else the LLMCOST_PRICE_DATA_* variables; undefined: off. */
export function liveOptions(
  option: LlmCostOptions['priceData'],
  env: NodeJS.ProcessEnv = process.env,
): LivePriceDataOptions | undefined {
  if (option === false) return undefined;
  const url = option?.url ?? (env.LLMCOST_PRICE_DATA_URL || undefined);
  if (url && /^(off|false|none|0)$/i.test(url)) return undefined;
  const interval = Number(env.LLMCOST_PRICE_DATA_INTERVAL);
  const cache = env.LLMCOST_PRICE_DATA_CACHE;
  return {
    ...option,
    url,
    intervalMs: option?.intervalMs ?? (interval > 0 ? interval : undefined),
    cachePath: option?.cachePath ?? (cache ? (/^(off|false|none)$/i.test(cache) ? false : cache) : undefined),
  };
}

/**
 * The pricer, with the user's overrides when they are valid. A broken overrides file must not take the app
 * down: one warning names the file, the entry and the field, and pricing goes on with the price data.
 */
function pricerFor(options: LlmCostOptions, warnings: Warnings): Pricer {
  const overrides = options.priceOverrides ?? (process.env.LLMCOST_PRICE_OVERRIDES || undefined);
  const live = liveOptions(options.priceData);
  const onWarning = (m: string) => warnings.warnOnce(`pricing:${m}`, m);
  try {
    return createPricer({ overrides, live, onWarning });
  } catch (error) {
    if (!(error instanceof OverrideError)) throw error;
    onWarning(`${error.message}. Price overrides are ignored until this is fixed; the price data still applies.`);
    return createPricer({ live, onWarning });
  }
}

/**
 * Everything one setup needs to price and attribute LLM calls: its options, pricer, metric label caps, warning
 * sink and the parent links of the spans its span processor saw. `init()` creates one; with your own NodeSDK
 * create one with createLlmCostRuntime() and pass it to the instrumentations and span processors as `runtime`.
 * Runtimes share nothing: two setups in one process keep their own options.
 */
export class LlmCostRuntime {
  readonly options: LlmCostOptions;
  readonly attribution: AttributionSettings;
  readonly warnings: Warnings;
  readonly pricer: Pricer;
  /** The compiled `pricing.markup` (billed prices), when one is set and valid. */
  readonly markup: Markup | undefined;
  /** Metric label cardinality caps, shared by every instrument of this runtime. */
  readonly limiter: CardinalityLimiter;
  /** The opt-in request-rate limits (`rateLimit`, LLMCOST_RATE_LIMIT_*), when any is set. */
  readonly rateLimiter: RequestRateLimiter | undefined;
  /** The budgets checked before each call (`budgets`, LLMCOST_BUDGETS; docs/budgets.md), when set and valid. */
  readonly budgets: BudgetEnforcer | undefined;
  /** span -> its parent span, recorded by the span processors' onStart, to walk the ancestor chain. */
  readonly parentOf: SpanLink = { get: (span) => (span as Linked)[PARENT] };
  /** span -> the first span of its trace in this process (usually the HTTP server span). */
  readonly localRootOf: SpanLink = { get: (span) => (span as Linked)[LOCAL_ROOT] };
  /** withAttribution scope -> its attributes under this runtime's keys (see attribution/scope.ts). */
  readonly scopes = new WeakMap<object, Record<string, AttributeValue>>();
  /** The context an LLM span of ours is being started in, with its attribution already on it (see startLlmCall). */
  startingCall: Context | undefined;
  /** The pre-aggregated LLM metrics, once an LlmCostMetricProducer exports them (core/metric-producer.ts). */
  private aggregator: MetricAggregator | undefined;
  /** An instrumentation's instruments -> its scope's aggregated table. */
  private readonly aggregatedFor = new WeakMap<LlmMetrics, LlmMetrics>();
  /** Where the series of each metrics' calls are found from their raw labels (record.ts callSeries). */
  private readonly seriesIndexes = new WeakMap<LlmMetrics, SeriesIndex>();

  constructor(options: LlmCostOptions = {}) {
    this.options = options;
    this.attribution = attributionSettings(options.attribution, options.metrics?.includeUserId);
    this.warnings = new Warnings(options.onWarning);
    this.pricer = pricerFor(options, this.warnings);
    this.markup = markupFor(options.pricing?.markup, this.warnings);
    this.limiter = new CardinalityLimiter(options.metrics?.cardinalityLimit ?? 100);
    const limits = rateLimits(options.rateLimit, this.warnings);
    this.rateLimiter = limits && new RequestRateLimiter(limits, this.attribution.keys);
    this.budgets = budgetEnforcerFor(options, this.attribution.keys, options.environment, this.warnings);
    // Budgets on any attribution key: that key is inherited from parent spans like the dimensions.
    for (const key of BudgetEnforcer.attributeKeys(this.budgets?.budgets ?? [])) {
      if (!this.attribution.inherited.includes(key)) this.attribution.inherited.push(key);
    }
  }

  /** Resolves when URL price overrides (and the first live price document, if any) finished loading. */
  get ready(): Promise<void> {
    return this.pricer.ready.then(() => undefined);
  }

  /** Turns on the pre-aggregated metrics (for LlmCostMetricProducer): from now on calls record there. */
  aggregateMetrics(): MetricAggregator {
    this.aggregator ??= new MetricAggregator();
    return this.aggregator;
  }

  /**
   * Where a call of an instrumentation with these meter instruments records: the aggregated table of its scope
   * when a producer exports this runtime's metrics, else the instruments themselves.
   */
  metricsFor(instruments: LlmMetrics): LlmMetrics {
    if (!this.aggregator) return instruments;
    let scoped = this.aggregatedFor.get(instruments);
    if (!scoped) {
      scoped = this.aggregator.scope(instruments.scope?.name ?? PACKAGE_NAME, instruments.scope?.version);
      this.aggregatedFor.set(instruments, scoped);
    }
    return scoped;
  }

  /** The index of the call series of `metrics` (what metricsFor returned). */
  seriesIndex(metrics: LlmMetrics): SeriesIndex {
    let index = this.seriesIndexes.get(metrics);
    if (!index) {
      index = new SeriesIndex(this.attribution.labelKeys);
      this.seriesIndexes.set(metrics, index);
    }
    return index;
  }

  /** Records the parent of a span that starts in parentContext (idempotent: both processors call it). */
  linkParent(span: object, parentContext: Context): void {
    const parent = trace.getSpan(parentContext);
    const linked = span as Linked;
    if (!parent || linked[PARENT]) return;
    linked[PARENT] = parent;
    linked[LOCAL_ROOT] = (parent as Linked)[LOCAL_ROOT] ?? parent;
  }

  /** Stops the pricer's live price-data updates and the budgets' reads of Prometheus. */
  close(): void {
    this.pricer.close();
    this.budgets?.close();
  }
}

/** A runtime from options (defaults and the LLMCOST_* / OTEL_* variables fill the rest). */
export function createLlmCostRuntime(options: LlmCostOptions = {}): LlmCostRuntime {
  return new LlmCostRuntime(options);
}

const DEFAULT_KEY = Symbol.for('otel-llm-cost.default-runtime');
type Holder = { [DEFAULT_KEY]?: LlmCostRuntime };

/**
 * The runtime of instrumentations and processors built without one (and of getAttribution() without one): the
 * runtime init() created, else one created with the defaults on first use. Never replaced while in use (shared
 * by the ESM and CJS copies of this package).
 */
export function defaultRuntime(): LlmCostRuntime {
  const holder = globalThis as Holder;
  holder[DEFAULT_KEY] ??= new LlmCostRuntime({});
  return holder[DEFAULT_KEY];
}

/**
 * init() offers its runtime as the default, so that instrumentations you build without a runtime join it; it
 * is taken only when nothing uses a default yet (one that is in use is never swapped). Returns whether it was.
 */
export function offerDefaultRuntime(runtime: LlmCostRuntime): boolean {
  const holder = globalThis as Holder;
  holder[DEFAULT_KEY] ??= runtime;
  return holder[DEFAULT_KEY] === runtime;
}

/** init()'s shutdown: its runtime stops being the default (the next init() or first use makes a new one). */
export function withdrawDefaultRuntime(runtime: LlmCostRuntime): void {
  const holder = globalThis as Holder;
  if (holder[DEFAULT_KEY] === runtime) holder[DEFAULT_KEY] = undefined;
}

/** The default runtime when there is one (init() ran, or something used it), without creating one. */
export function existingDefaultRuntime(): LlmCostRuntime | undefined {
  return (globalThis as Holder)[DEFAULT_KEY];
}

/** True once something used the default runtime. */
export function defaultRuntimeInUse(): boolean {
  return existingDefaultRuntime() !== undefined;
}
