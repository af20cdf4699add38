import type { Span } from '@opentelemetry/api';
import { createPricer, type LivePriceDataOptions, OverrideError, type Pricer } from '@otel-llm-cost/pricing';
import { CardinalityLimiter } from './cardinality.js';
import { type AttributionOptions, DEFAULT_ATTRIBUTE_KEYS, type Dimension, type LlmCostOptions } from './options.js';
import { setWarningSink, warnOnce } from './warn.js';

export interface ResolvedAttribution {
  keys: Record<Dimension, string>;
  /** baggage key -> attribute key */
  baggage: Map<string, string>;
  /** every attribute key inherited from ancestors (dimension keys except route, plus extras) */
  inherited: string[];
  allSpans: boolean;
}

/** State shared by every instrumentation and span processor in the process (also across ESM/CJS copies). */
export interface LlmCostRuntime {
  options: LlmCostOptions;
  attribution: ResolvedAttribution;
  pricer: Pricer;
  /** span -> its parent span, recorded by LlmCostSpanProcessor.onStart, to walk the ancestor chain. */
  parentOf: WeakMap<object, Span>;
  /** span -> the first span of its trace in this process (usually the HTTP server span). */
  localRootOf: WeakMap<object, Span>;
  /** True once a LlmCostSpanProcessor is registered. */
  processorActive: boolean;
  /** Metric label cardinality caps, shared by every instrumentation. */
  limiter: CardinalityLimiter;
}

const KEY = Symbol.for('otel-llm-cost.runtime');
type Holder = { [KEY]?: LlmCostRuntime };

function resolveAttribution(options: AttributionOptions = {}): ResolvedAttribution {
  const keys = { ...DEFAULT_ATTRIBUTE_KEYS, ...options.keys };
  const baggage = new Map<string, string>();
  const b = options.baggageKeys;
  if (Array.isArray(b)) for (const k of b) baggage.set(k, k);
  else if (b) for (const [k, v] of Object.entries(b)) baggage.set(k, v);
  const inherited = [...new Set([...Object.values(keys), ...(options.extraKeys ?? [])])];
  return { keys, baggage, inherited, allSpans: options.allSpans ?? true };
}

/** Live price data options from init() options, else the LLMCOST_PRICE_DATA_* variables; undefined: off. */
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
function pricerFor(options: LlmCostOptions): Pricer {
  const overrides = options.priceOverrides ?? (process.env.LLMCOST_PRICE_OVERRIDES || undefined);
  const live = liveOptions(options.priceData);
  const onWarning = (m: string) => warnOnce(`pricing:${m}`, m);
  try {
    return createPricer({ overrides, live, onWarning });
  } catch (error) {
    if (!(error instanceof OverrideError)) throw error;
    onWarning(`${error.message}. Price overrides are ignored until this is fixed; the price data still applies.`);
    return createPricer({ live, onWarning });
  }
}

function build(options: LlmCostOptions): LlmCostRuntime {
  setWarningSink(options.onWarning);
  const pricer = pricerFor(options);
  return {
    options,
    attribution: resolveAttribution(options.attribution),
    pricer,
    parentOf: new WeakMap(),
    localRootOf: new WeakMap(),
    processorActive: false,
    limiter: new CardinalityLimiter(options.metrics?.cardinalityLimit ?? 100),
  };
}

/** The process-wide runtime; created with defaults on first use. */
export function getRuntime(): LlmCostRuntime {
  const holder = globalThis as Holder;
  holder[KEY] ??= build({});
  return holder[KEY];
}

/** Replaces the runtime's options (init() and explicit constructors call this); keeps the parent links. */
export function configureRuntime(options: LlmCostOptions): LlmCostRuntime {
  const holder = globalThis as Holder;
  const previous = holder[KEY];
  const next = build(options);
  if (previous) {
    previous.pricer.close(); // its live-data updater: the new pricer fetches for itself
    next.parentOf = previous.parentOf;
    next.localRootOf = previous.localRootOf;
    next.processorActive = previous.processorActive;
  }
  holder[KEY] = next;
  return next;
}
