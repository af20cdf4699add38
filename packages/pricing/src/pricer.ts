import { calcPrice } from '@pydantic/genai-prices';
import { PRICE_DATA_VERSION } from './data.js';
import { matches } from './match.js';
import {
  type CompiledOverride,
  compileOverrides,
  fetchOverrides,
  loadOverridesFile,
  type OverrideDocument,
} from './overrides.js';
import { compilePlan, type GenaiUsage, InvalidUsageError, type PlanCost, type PricePlan, runPlan } from './plan.js';
import { resolveProviderId } from './providers.js';
import { roundUsd } from './round.js';
import type { CostSource, PriceRequest, PriceResult, TokenUsage } from './types.js';

export interface PricerOptions {
  /** A JSON/YAML file path, an https URL, or a document: these prices win over the bundled data. */
  overrides?: string | URL | OverrideDocument;
  /** Receives one clear message when URL overrides cannot be loaded (the bundled data keeps working). */
  onWarning?: (message: string) => void;
}

export interface Pricer {
  /** Prices one call. Synchronous, memoized, never throws. */
  price(request: PriceRequest): PriceResult;
  /** Settles when URL overrides finished loading (or failed with a warning). */
  readonly ready: Promise<void>;
}

type Prices = Record<string, unknown> | { constraint?: Record<string, string>; prices: Record<string, unknown> }[];

/** What a (provider, model) pair resolved to; memoized, so that a model seen before costs a map lookup. */
interface Resolution {
  providerId: string;
  modelId: string;
  prices: Prices;
  source: CostSource;
  version: string;
  /** The compiled plan when the prices do not depend on the time. */
  plan?: PricePlan;
}

const MEMO_LIMIT = 10_000;
const plans = new WeakMap<object, PricePlan>();

function planFor(prices: Record<string, unknown>): PricePlan {
  let plan = plans.get(prices);
  if (!plan) {
    plan = compilePlan(prices);
    plans.set(prices, plan);
  }
  return plan;
}

/** Seconds since midnight UTC of an `HH:MM:SS(.fff)(Z|±HH:MM)` time. */
function timeOfDay(value: string): number {
  const m = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):(\d{2}))$/.exec(value);
  if (!m) throw new Error(`Invalid time-of-day constraint: ${value}`);
  const [, h, min, s, frac = '', zone, sign, zh = '00', zm = '00'] = m;
  const offset = zone === 'Z' ? 0 : (sign === '+' ? 1 : -1) * (Number(zh) * 60 + Number(zm)) * 60;
  return (Number(h) * 3600 + Number(min) * 60 + Number(s) + Number(`0.${frac}`) - offset + 86400) % 86400;
}

/** The price entry in force at `time` (genai-prices semantics: the last entry whose constraint holds). */
export function pricesAt(prices: Prices, time: Date): Record<string, unknown> {
  if (!Array.isArray(prices)) return prices;
  for (let i = prices.length - 1; i >= 0; i--) {
    const entry = prices[i]!;
    const c = entry.constraint;
    if (!c) return entry.prices;
    if (c.start_date !== undefined) {
      if (time >= new Date(c.start_date)) return entry.prices;
    } else if (c.start_time !== undefined && c.end_time !== undefined) {
      const now =
        time.getUTCHours() * 3600 + time.getUTCMinutes() * 60 + time.getUTCSeconds() + time.getUTCMilliseconds() / 1e3;
      const start = timeOfDay(c.start_time);
      const end = timeOfDay(c.end_time);
      if (end < start ? now >= start || now < end : now >= start && now < end) return entry.prices;
    }
  }
  return prices[0]!.prices;
}

/** Provider-neutral usage -> genai-prices usage keys (subsets are parts of their totals in both). */
export function toGenaiUsage(u: TokenUsage): GenaiUsage {
  const usage: GenaiUsage = { input_tokens: u.inputTokens, output_tokens: u.outputTokens };
  if (u.cacheReadTokens) usage.cache_read_tokens = u.cacheReadTokens;
  if (u.cacheWriteTokens) usage.cache_write_tokens = u.cacheWriteTokens;
  if (u.cacheWrite1hTokens) usage.cache_write_1h_tokens = u.cacheWrite1hTokens;
  if (u.reasoningTokens) usage.output_reasoning_tokens = u.reasoningTokens;
  return usage;
}

const USAGE_FIELDS = [
  'inputTokens',
  'outputTokens',
  'cacheReadTokens',
  'cacheWriteTokens',
  'cacheWrite1hTokens',
  'reasoningTokens',
] as const;

function usageProblem(u: TokenUsage): string | undefined {
  for (const k of USAGE_FIELDS) {
    const v = u[k];
    if (v !== undefined && !(typeof v === 'number' && v >= 0 && v < Number.POSITIVE_INFINITY)) {
      return `${k} must be a finite non-negative number, got ${JSON.stringify(v) ?? String(v)}`;
    }
  }
  const cached = (u.cacheReadTokens ?? 0) + (u.cacheWriteTokens ?? 0);
  if (cached > u.inputTokens) {
    return `cache reads + writes (${cached}) exceed input tokens (${u.inputTokens}); inputTokens must include cached tokens`;
  }
  if ((u.cacheWrite1hTokens ?? 0) > (u.cacheWriteTokens ?? 0)) return 'cacheWrite1hTokens exceeds cacheWriteTokens';
  if ((u.reasoningTokens ?? 0) > u.outputTokens) {
    return `reasoning tokens (${u.reasoningTokens}) exceed output tokens (${u.outputTokens}); outputTokens must include reasoning`;
  }
  return undefined;
}

const ZERO = { input_tokens: 0, output_tokens: 0 };

function fromBundledData(model: string, providerId: string | undefined): Resolution | undefined {
  let result: ReturnType<typeof calcPrice>;
  try {
    result = calcPrice(ZERO, model, providerId ? { providerId } : {});
  } catch {
    return undefined;
  }
  if (!result) return undefined;
  return {
    providerId: result.provider.id,
    modelId: result.model.id,
    prices: result.model.prices as Prices,
    source: 'pricing_data',
    version: PRICE_DATA_VERSION,
  };
}

export function createPricer(options: PricerOptions = {}): Pricer {
  let overrides: CompiledOverride[] = [];
  let overrideVersion = 'override:object';
  // provider -> model -> request model -> resolution (null: known to be unpriced)
  const memo = new Map<string, Map<string, Map<string, Resolution | null>>>();
  let memoSize = 0;
  let ready: Promise<void> = Promise.resolve();

  const src = options.overrides;
  if (typeof src === 'string' || src instanceof URL) {
    const location = src.toString();
    if (/^https?:\/\//i.test(location)) {
      overrideVersion = `override:${location}`;
      ready = fetchOverrides(location).then(
        (list) => {
          overrides = list;
          memo.clear();
          memoSize = 0;
        },
        (err: Error) => options.onWarning?.(`${err.message}; pricing continues with the bundled ${PRICE_DATA_VERSION}`),
      );
    } else {
      overrides = loadOverridesFile(location);
      overrideVersion = `override:${location}`;
    }
  } else if (src) {
    overrides = compileOverrides(src, 'price overrides');
  }

  function fromOverrides(model: string, providerId: string | undefined): Resolution | undefined {
    for (const o of overrides) {
      if (o.providerId && o.providerId !== providerId) continue;
      if (matches(o.match, model)) {
        return {
          providerId: o.providerId ?? providerId ?? 'custom',
          modelId: o.id,
          prices: o.prices as Prices,
          source: 'override',
          version: overrideVersion,
        };
      }
    }
    return undefined;
  }

  function resolveModel(model: string, providerName: string | undefined): Resolution | undefined {
    const providerId = resolveProviderId(providerName);
    const slash = model.indexOf('/');
    const prefixId = slash > 0 ? resolveProviderId(model.slice(0, slash)) : undefined;
    const bare = prefixId ? model.slice(slash + 1) : undefined;
    return (
      fromOverrides(model, providerId) ??
      (bare !== undefined ? fromOverrides(bare, prefixId) : undefined) ??
      fromBundledData(model, providerId) ??
      (bare !== undefined ? fromBundledData(bare, prefixId) : undefined)
    );
  }

  function lookup(req: PriceRequest): Resolution | null {
    for (const candidate of [req.model, req.requestModel]) {
      if (!candidate) continue;
      const r = resolveModel(candidate.trim(), req.provider);
      if (r) return Array.isArray(r.prices) ? r : { ...r, plan: planFor(r.prices) };
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
        memo.clear();
        memoSize = 0;
        return resolve(req);
      }
      hit = lookup(req);
      memoSize++;
      byRequest.set(req.requestModel ?? '', hit);
    }
    return hit;
  }

  function price(req: PriceRequest): PriceResult {
    try {
      return priceUnsafe(req);
    } catch (err) {
      return { priced: false, reason: 'invalid_usage', message: String(err), priceDataVersion: PRICE_DATA_VERSION };
    }
  }

  function priceUnsafe(req: PriceRequest): PriceResult {
    if (!req.model && !req.requestModel) {
      return {
        priced: false,
        reason: 'no_model',
        message: 'the call names no model',
        priceDataVersion: PRICE_DATA_VERSION,
      };
    }
    const problem = usageProblem(req.usage);
    if (problem) {
      return { priced: false, reason: 'invalid_usage', message: problem, priceDataVersion: PRICE_DATA_VERSION };
    }
    const found = resolve(req);
    const reported = req.providerReportedCost;
    const hasReported = typeof reported === 'number' && Number.isFinite(reported) && reported >= 0;
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
          pricingProvider: resolveProviderId(req.provider) ?? req.provider ?? 'unknown',
          pricingModel: model,
          priceDataVersion: 'provider_reported',
        };
      }
      const models = [req.model, req.requestModel]
        .filter(Boolean)
        .map((m) => `"${m}"`)
        .join(' / ');
      const provider = req.provider ? ` of provider "${req.provider}"` : '';
      return {
        priced: false,
        reason: 'unknown_model',
        message: `no price for model ${models}${provider} in ${PRICE_DATA_VERSION} or the price overrides; add it to your overrides file`,
        priceDataVersion: PRICE_DATA_VERSION,
      };
    }
    const plan = Array.isArray(found.prices) ? planFor(pricesAt(found.prices, req.time ?? new Date())) : found.plan!;
    if (!plan.pricesTokens && !hasReported && (req.usage.inputTokens > 0 || req.usage.outputTokens > 0)) {
      const units = plan.entries.map((e) => e.unit.priceKey).join(', ');
      return {
        priced: false,
        reason: 'unsupported_usage',
        message: `model "${found.modelId}" is priced by ${units} in ${found.version}, which token counts cannot price; add a token price to your overrides file`,
        priceDataVersion: found.version,
      };
    }
    const usage = toGenaiUsage(req.usage);
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
    if (usage.cache_read_tokens) {
      cacheSavings = roundUsd(runPlan(plan, { ...usage, cache_read_tokens: undefined }).total - cost.total);
    }
    return {
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
  }

  return { price, ready };
}
