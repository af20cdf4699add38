import billingMinimums from '../data/billing-minimums.json' with { type: 'json' };
import { UNITS } from './data.js';
import type { ModelJson, PricesJson } from './document.js';
import { type LiveOutcome, LivePriceData, type LivePriceDataOptions } from './live.js';
import type { PriceData } from './lookup.js';
import { matches } from './match.js';
import {
  type CompiledOverride,
  compileOverrides,
  fetchOverrides,
  loadOverridesFile,
  type OverrideDocument,
} from './overrides.js';
import {
  compilePlan,
  type GenaiUsage,
  InvalidUsageError,
  type PlanCost,
  type PricePlan,
  runPlan,
  uncoveredUsage,
} from './plan.js';
import { merge, nextChange, select as selectPrices, timeDependent } from './prices.js';
import { bundledData, resolveProviderId } from './providers.js';
import { roundUsd } from './round.js';
import type { CostSource, PriceContext, PriceRequest, PriceResult, TokenUsage } from './types.js';

export interface PricerOptions {
  /** A JSON/YAML file path, an https URL, or a document: these prices win over the bundled and live data. */
  overrides?: string | URL | OverrideDocument;
  /**
   * Live price data: the published genai-prices document, fetched at start and then every interval, cached on
   * disk. Off unless given; `{}` uses genai-prices' own URL and an hourly interval.
   */
  live?: LivePriceDataOptions;
  /** Receives one clear message when overrides or live data cannot be loaded (pricing keeps working). */
  onWarning?: (message: string) => void;
  /** Receives the outcome of every live-data fetch (for a counter). */
  onLiveOutcome?: (outcome: LiveOutcome) => void;
}

export interface Pricer {
  /** Prices one call. Synchronous, memoized, never throws. */
  price(request: PriceRequest): PriceResult;
  /** Settles when URL overrides and the first live-data fetch finished loading (or failed with a warning). */
  readonly ready: Promise<void>;
  /** Which data prices calls now: `genai-prices@0.2.3`, or `live@<fetched at>`. */
  readonly dataVersion: string;
  /** Stops the live-data updater (timers are unref'd; this is for tests and clean shutdowns). */
  close(): void;
}

/** What a (provider, model) pair resolved to; memoized, so that a model seen before costs a map lookup. */
interface Resolution {
  providerId: string;
  modelId: string;
  model: Pick<ModelJson, 'prices' | 'price_variants'>;
  own: boolean;
  source: CostSource;
  version: string;
  /** Prices do not depend on the time: a plan selected once per context holds for good. */
  timeless: boolean;
  /**
   * context key (or a frozen context itself) -> the plan selected for the current time, and until when it holds
   * (for good when timeless). At most CURRENT_LIMIT entries.
   */
  current?: Map<string | PriceContext, Current>;
}

interface Current {
  selected: Selected;
  /** ms: selected at, and the next instant a constraint of the model changes (prices.ts nextChange). */
  from: number;
  until: number;
}

interface Selected {
  plan: PricePlan;
  variant?: string;
}

const MEMO_LIMIT = 10_000;
/** standard price entry -> applying variants -> plan (entries and variants are immutable once loaded). */
const plans = new WeakMap<object, Map<string, Selected>>();

function planFor(model: ModelJson, time: Date, context: PriceContext | undefined, own: boolean): Selected {
  const selection = selectPrices(model, time, context, own);
  let byKey = plans.get(selection.standard);
  if (!byKey) {
    byKey = new Map();
    plans.set(selection.standard, byKey);
  }
  let selected = byKey.get(selection.key);
  if (!selected) {
    const merged = merge(model, selection);
    selected = { plan: compilePlan(merged.prices), variant: merged.variant };
    byKey.set(selection.key, selected);
  }
  return selected;
}

const NO_CONTEXT = '';
/** Selections kept per resolution (contexts are a handful: tiers, batch, fast); past it the map starts over. */
const CURRENT_LIMIT = 64;

function contextKey(context: PriceContext | undefined): string {
  if (!context) return NO_CONTEXT;
  let key = '';
  for (const k in context) key += `${k}=${context[k]};`;
  return key;
}

/** The TokenUsage fields that are not tokens, and the genai-prices usage key each feeds (see toGenaiUsage). */
export const UNIT_USAGE_KEYS = {
  inputAudioSeconds: 'input_audio_seconds',
  outputAudioSeconds: 'output_audio_seconds',
  inputCharacters: 'input_characters',
  webSearches: 'web_searches',
  // No genai-prices unit has these (see TokenUsage.images): keys of ours, never priced.
  images: 'images',
  outputVideoSeconds: 'output_video_seconds',
  cacheStorageTokenHours: 'cache_storage_token_hours',
} as const satisfies Partial<Record<keyof TokenUsage, string>>;

type UnitField = keyof typeof UNIT_USAGE_KEYS;
const UNIT_ENTRIES = Object.entries(UNIT_USAGE_KEYS) as [UnitField, string][];
const UNIT_FIELDS: ReadonlySet<string> = new Set(Object.keys(UNIT_USAGE_KEYS));

/** Provider-neutral usage -> genai-prices usage keys (subsets are parts of their totals in both). */
export function toGenaiUsage(u: TokenUsage, units = hasUnitUsage(u)): GenaiUsage {
  const usage: GenaiUsage = { input_tokens: u.inputTokens, output_tokens: u.outputTokens };
  if (u.cacheReadTokens) usage.cache_read_tokens = u.cacheReadTokens;
  if (u.cacheWriteTokens) usage.cache_write_tokens = u.cacheWriteTokens;
  if (u.cacheWrite1hTokens) usage.cache_write_1h_tokens = u.cacheWrite1hTokens;
  if (u.reasoningTokens) usage.output_reasoning_tokens = u.reasoningTokens;
  if (u.inputAudioTokens) usage.input_audio_tokens = u.inputAudioTokens;
  if (u.inputImageTokens) usage.input_image_tokens = u.inputImageTokens;
  if (u.inputVideoTokens) usage.input_video_tokens = u.inputVideoTokens;
  if (u.cacheReadAudioTokens) usage.cache_audio_read_tokens = u.cacheReadAudioTokens;
  if (u.outputAudioTokens) usage.output_audio_tokens = u.outputAudioTokens;
  if (u.outputImageTokens) usage.output_image_tokens = u.outputImageTokens;
  if (units) for (const [field, key] of UNIT_ENTRIES) if (u[field]) usage[key] = u[field];
  if (u.inputAudioSeconds || u.outputAudioSeconds) {
    // audio_seconds is the total of both directions (audio_hours prices it; input_audio_hours its input part).
    usage.audio_seconds = (u.inputAudioSeconds ?? 0) + (u.outputAudioSeconds ?? 0);
  }
  return usage;
}

interface BillingMinimum {
  provider: string;
  models: string[];
  usage_keys: string[];
  minimum: number;
}

/** provider/model -> the minimums its provider bills (data/billing-minimums.json). */
const MINIMUMS: ReadonlyMap<string, readonly BillingMinimum[]> = (() => {
  const byModel = new Map<string, BillingMinimum[]>();
  for (const m of (billingMinimums as { minimums: BillingMinimum[] }).minimums) {
    for (const model of m.models)
      byModel.set(`${m.provider}/${model}`, [...(byModel.get(`${m.provider}/${model}`) ?? []), m]);
  }
  return byModel;
})();

/** Raises each count > 0 below its provider's billed minimum to that minimum (e.g. Groq whisper: 10 s). */
function applyMinimums(usage: GenaiUsage, providerId: string, modelId: string): void {
  const rules = MINIMUMS.get(`${providerId}/${modelId}`);
  if (!rules) return;
  for (const rule of rules) {
    for (const key of rule.usage_keys) {
      const count = usage[key];
      if (count !== undefined && count > 0 && count < rule.minimum) usage[key] = rule.minimum;
    }
  }
}

/** The call reports usage that is not tokens (the slower coverage check applies). */
function hasUnitUsage(u: TokenUsage): boolean {
  // Over the fields the usage has (a chat call: two or three), not over every unit there is.
  for (const field in u) if (u[field as UnitField] && UNIT_FIELDS.has(field)) return true;
  return false;
}

/**
 * The call's usage is only of kinds genai-prices has no unit for (images, video seconds, storage): no model's
 * price can cover it, whether the data knows the model or not. Returns what it reports, e.g. `images (3)`.
 */
function unitlessOnly(usage: GenaiUsage): string | undefined {
  const parts: string[] = [];
  for (const [key, count] of Object.entries(usage)) {
    if (!count) continue;
    if (UNITS.has(key)) return undefined;
    parts.push(`${key} (${count})`);
  }
  return parts.length ? parts.join(', ') : undefined;
}

/**
 * Each token field of TokenUsage and the genai-prices usage key it feeds (the keys of data/token-usage-keys.json).
 * toGenaiUsage spells the same mapping out field by field, as it runs on every call.
 */
export const GENAI_USAGE_KEYS: Readonly<Record<Exclude<keyof TokenUsage, UnitField>, string>> = {
  inputTokens: 'input_tokens',
  outputTokens: 'output_tokens',
  cacheReadTokens: 'cache_read_tokens',
  cacheWriteTokens: 'cache_write_tokens',
  cacheWrite1hTokens: 'cache_write_1h_tokens',
  reasoningTokens: 'output_reasoning_tokens',
  inputAudioTokens: 'input_audio_tokens',
  inputImageTokens: 'input_image_tokens',
  inputVideoTokens: 'input_video_tokens',
  cacheReadAudioTokens: 'cache_audio_read_tokens',
  outputAudioTokens: 'output_audio_tokens',
  outputImageTokens: 'output_image_tokens',
};

const USAGE_FIELDS: ReadonlySet<string> = new Set([...Object.keys(GENAI_USAGE_KEYS), ...Object.keys(UNIT_USAGE_KEYS)]);

/**
 * Counts must be finite non-negative numbers. How parts relate to totals is the plan's to check, as in
 * genai-prices: a part may not exceed its total where the part has a price of its own (cache reads of gpt-4o);
 * where it has none (reasoning of gpt-4o), the total alone is priced.
 */
function usageProblem(u: TokenUsage): string | undefined {
  // Over the fields the usage has; only a bad value is looked up among the known fields.
  for (const k in u) {
    const v = u[k as keyof TokenUsage];
    if (v === undefined || (typeof v === 'number' && v >= 0 && v < Number.POSITIVE_INFINITY)) continue;
    if (USAGE_FIELDS.has(k)) return `${k} must be a finite non-negative number, got ${JSON.stringify(v) ?? String(v)}`;
  }
  return undefined;
}

export function createPricer(options: PricerOptions = {}): Pricer {
  let overrides: CompiledOverride[] = [];
  let overrideVersion = 'override:object';
  let data: PriceData = bundledData();
  // provider -> model -> request model -> resolution (null: known to be unpriced)
  const memo = new Map<string, Map<string, Map<string, Resolution | null>>>();
  let memoSize = 0;
  const pending: Promise<void>[] = [];
  const clearMemo = () => {
    memo.clear();
    memoSize = 0;
  };

  const src = options.overrides;
  if (typeof src === 'string' || src instanceof URL) {
    const location = src.toString();
    overrideVersion = `override:${location}`;
    if (/^https?:\/\//i.test(location)) {
      pending.push(
        fetchOverrides(location).then(
          (list) => {
            overrides = list;
            clearMemo();
          },
          (err: Error) =>
            options.onWarning?.(`${err.message}; pricing continues with the price data (${data.version})`),
        ),
      );
    } else {
      overrides = loadOverridesFile(location);
    }
  } else if (src) {
    overrides = compileOverrides(src, 'price overrides');
  }

  let live: LivePriceData | undefined;
  if (options.live) {
    live = new LivePriceData(
      options.live,
      (next) => {
        data = next;
        clearMemo();
      },
      options.onWarning,
      options.onLiveOutcome,
    );
    pending.push(live.ready);
  }

  function fromOverrides(model: string, providerId: string | undefined): Resolution | undefined {
    for (const o of overrides) {
      if (o.providerId && o.providerId !== providerId) continue;
      if (matches(o.match, model)) {
        return {
          providerId: o.providerId ?? providerId ?? 'custom',
          modelId: o.id,
          model: { prices: o.prices as PricesJson },
          own: true,
          source: 'override',
          version: overrideVersion,
          timeless: !Array.isArray(o.prices),
        };
      }
    }
    return undefined;
  }

  function fromData(model: string, providerId: string | undefined): Resolution | undefined {
    const found = data.find(model, providerId);
    if (!found) return undefined;
    return {
      providerId: found.provider.id,
      modelId: found.model.id,
      model: found.model,
      own: found.own,
      source: 'pricing_data',
      version: data.version,
      timeless: !timeDependent(found.model),
    };
  }

  function resolveModel(model: string, providerName: string | undefined): Resolution | undefined {
    // A provider name the data does not know is kept as given: genai-prices then prices nothing for it
    // (except `litellm`, whose model names carry the provider) rather than guessing from the model name.
    const providerId = providerName
      ? (resolveProviderId(providerName, data) ?? providerName.trim().toLowerCase())
      : undefined;
    const slash = model.indexOf('/');
    const prefixId = slash > 0 ? resolveProviderId(model.slice(0, slash), data) : undefined;
    const bare = prefixId ? model.slice(slash + 1) : undefined;
    return (
      fromOverrides(model, providerId) ??
      (bare !== undefined ? fromOverrides(bare, prefixId) : undefined) ??
      fromData(model, providerId) ??
      (bare !== undefined ? fromData(bare, prefixId) : undefined)
    );
  }

  function lookup(req: PriceRequest): Resolution | null {
    for (const candidate of [req.model, req.requestModel]) {
      if (!candidate) continue;
      const r = resolveModel(candidate.trim(), req.provider);
      if (r) return r;
    }
    return null;
  }

  function resolve(req: PriceRequest): Resolution | null {
    let byModel = memo.get(req.provider ?? '');
    if (!byModel) {
      byModel = new Map();
      memo.set(req.provider ?? '', byModel);
    }
    let byRequest = byModel.get(req.model ?? '');
    if (!byRequest) {
      byRequest = new Map();
      byModel.set(req.model ?? '', byRequest);
    }
    let hit = byRequest.get(req.requestModel ?? '');
    if (hit === undefined) {
      if (memoSize >= MEMO_LIMIT) {
        // Random model names must not grow memory without bound: start over (the cold path is ~20 µs).
        clearMemo();
        return resolve(req);
      }
      hit = lookup(req);
      memoSize++;
      byRequest.set(req.requestModel ?? '', hit);
    }
    return hit;
  }

  function select(found: Resolution, time: Date | undefined, context: PriceContext | undefined): Selected {
    const model = found.model as ModelJson;
    // A call at a given time (a batch result, say) of prices that change with time: selected for that time.
    if (time && !found.timeless) return planFor(model, time, context, found.own);
    // Now: the selection holds until the next start date or daily edge of the model's prices (timeless: for good).
    const now = Date.now();
    // A frozen context (an instrumentation's shared per-tier one) cannot change: it is its own key, so the
    // call builds and hashes no key string.
    const key = context && Object.isFrozen(context) ? context : contextKey(context);
    found.current ??= new Map();
    const current = found.current.get(key);
    if (current && now >= current.from && now < current.until) return current.selected;
    const selected = planFor(model, new Date(now), context, found.own);
    const until = found.timeless ? Number.POSITIVE_INFINITY : nextChange(model, now);
    if (found.current.size >= CURRENT_LIMIT) found.current.clear();
    found.current.set(key, { selected, from: now, until });
    return selected;
  }

  function price(req: PriceRequest): PriceResult {
    try {
      return priceUnsafe(req);
    } catch (err) {
      return { priced: false, reason: 'invalid_usage', message: String(err), priceDataVersion: data.version };
    }
  }

  function priceUnsafe(req: PriceRequest): PriceResult {
    if (!req.model && !req.requestModel) {
      return { priced: false, reason: 'no_model', message: 'the call names no model', priceDataVersion: data.version };
    }
    const problem = usageProblem(req.usage);
    if (problem) return { priced: false, reason: 'invalid_usage', message: problem, priceDataVersion: data.version };
    const reported = req.providerReportedCost;
    const hasReported = typeof reported === 'number' && Number.isFinite(reported) && reported >= 0;
    const units = hasUnitUsage(req.usage);
    const usage = toGenaiUsage(req.usage, units);
    const unitless = !hasReported && units ? unitlessOnly(usage) : undefined;
    if (unitless) {
      return {
        priced: false,
        reason: 'unsupported_usage',
        message: `the call reports ${unitless}, which genai-prices has no unit for: neither the price data nor an overrides file can price it`,
        priceDataVersion: data.version,
      };
    }
    const found = resolve(req);
    if (!found) {
      if (hasReported) {
        const model = req.model ?? req.requestModel!;
        return {
          priced: true,
          cost: roundUsd(reported),
          inputCost: 0,
          outputCost: 0,
          cacheSavings: 0,
          source: 'provider_reported',
          pricingProvider: resolveProviderId(req.provider, data) ?? req.provider ?? 'unknown',
          pricingModel: model,
          priceDataVersion: 'provider_reported',
        };
      }
      const models = [req.model, req.requestModel]
        .filter(Boolean)
        .map((m) => `"${m}"`)
        .join(' / ');
      const known = req.provider ? resolveProviderId(req.provider, data) : undefined;
      const provider = req.provider
        ? known
          ? ` of provider "${req.provider}"`
          : ` (provider "${req.provider}" is not in the price data: name a known provider, or give the model a provider in your overrides file)`
        : '';
      return {
        priced: false,
        reason: 'unknown_model',
        message: `no price for model ${models}${provider} in ${data.version} or the price overrides; add it to your overrides file`,
        priceDataVersion: data.version,
      };
    }
    const { plan, variant } = select(found, req.time, req.context);
    if (units) applyMinimums(usage, found.providerId, found.modelId);
    const uncovered = hasReported
      ? undefined
      : units
        ? uncoveredUsage(plan, usage)
        : !plan.pricesTokens && (req.usage.inputTokens > 0 || req.usage.outputTokens > 0)
          ? 'token counts'
          : undefined;
    if (uncovered) {
      const units = plan.entries.map((e) => e.unit.priceKey).join(', ');
      return {
        priced: false,
        reason: 'unsupported_usage',
        message: `model "${found.modelId}" is priced by ${units} in ${found.version}, which ${uncovered} cannot price; add a price for that unit to your overrides file`,
        priceDataVersion: found.version,
      };
    }
    let cost: PlanCost;
    try {
      cost = runPlan(plan, usage);
    } catch (err) {
      if (err instanceof InvalidUsageError) {
        return { priced: false, reason: 'invalid_usage', message: err.message, priceDataVersion: found.version };
      }
      throw err;
    }
    let cacheSavings = 0;
    if (usage.cache_read_tokens || usage.cache_audio_read_tokens) {
      const uncached = { ...usage, cache_read_tokens: undefined, cache_audio_read_tokens: undefined };
      cacheSavings = roundUsd(runPlan(plan, uncached).total - cost.total);
    }
    const result: PriceResult = {
      priced: true,
      cost: roundUsd(hasReported ? reported : cost.total),
      inputCost: roundUsd(cost.input),
      outputCost: roundUsd(cost.output),
      cacheSavings,
      source: hasReported ? 'provider_reported' : found.source,
      pricingProvider: found.providerId,
      pricingModel: found.modelId,
      priceDataVersion: hasReported ? 'provider_reported' : found.version,
    };
    if (variant) result.variant = variant;
    return result;
  }

  return {
    price,
    ready: Promise.all(pending).then(() => undefined),
    get dataVersion() {
      return data.version;
    },
    close() {
      live?.stop();
    },
  };
}
