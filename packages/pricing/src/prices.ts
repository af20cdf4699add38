/**
 * The prices in force for one call: genai-prices' `ModelInfo.get_prices`. The standard prices are the last
 * conditional price whose constraint holds at the call's time (else the first); then, with a request context,
 * price variants are tried in order, each only when its constraint holds and every key of its `when` equals
 * the context's value; for each price key, the first such variant that sets it wins.
 */
import type { Constraint, ModelJson, ModelPriceJson, PricesJson } from './document.js';

/** Seconds since midnight UTC of an `HH:MM:SS(.ffffff)` time with an optional `Z` or `±HH:MM` (none: UTC). */
function timeOfDay(value: string): number {
  const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|([+-])(\d{2}):(\d{2}))?$/.exec(value);
  if (!m) throw new Error(`Invalid time-of-day constraint: ${value}`);
  const [, h, min, s = '0', frac = '', zone, sign, zh = '00', zm = '00'] = m;
  const offset = !zone || zone === 'Z' ? 0 : (sign === '+' ? 1 : -1) * (Number(zh) * 60 + Number(zm)) * 60;
  return (Number(h) * 3600 + Number(min) * 60 + Number(s) + Number(`0.${frac}`) - offset + 86400) % 86400;
}

const dayStarts = new Map<string, number>();

/** Milliseconds of 00:00 UTC of a `YYYY-MM-DD` date (memoized: dates repeat). */
function dayStart(date: string): number {
  let ms = dayStarts.get(date);
  if (ms === undefined) {
    ms = Date.parse(`${date}T00:00:00Z`);
    dayStarts.set(date, ms);
  }
  return ms;
}

/** Whether a constraint holds at `time`: a start date by the call's UTC date, a daily interval by UTC time. */
export function active(c: Constraint | undefined | null, time: Date): boolean {
  if (!c) return true;
  if ('start_date' in c) return time.getTime() >= dayStart(c.start_date);
  const now =
    time.getUTCHours() * 3600 + time.getUTCMinutes() * 60 + time.getUTCSeconds() + time.getUTCMilliseconds() / 1e3;
  const start = timeOfDay(c.start_time);
  const end = timeOfDay(c.end_time);
  return end < start ? now >= start || now < end : now >= start && now < end;
}

/** The standard price entry in force at `time` (the last entry whose constraint holds, else the first). */
export function pricesAt(prices: PricesJson, time: Date): ModelPriceJson {
  if (!Array.isArray(prices)) return prices;
  for (let i = prices.length - 1; i >= 0; i--) {
    const entry = prices[i]!;
    if (active(entry.constraint, time)) return entry.prices;
  }
  return prices[0]!.prices;
}

/** Whether a model's prices can differ by time (dated or daily prices, dated variants). */
export function timeDependent(model: ModelJson): boolean {
  return Array.isArray(model.prices) || (model.price_variants ?? []).some((v) => v.constraint);
}

const DAY_MS = 86_400_000;

/**
 * The first instant after `now` (ms) at which a constraint of the model changes its truth value: a start date, or
 * the next start or end of a daily interval. Until then every selection made at `now` holds. Infinity: never.
 */
export function nextChange(model: ModelJson, now: number): number {
  let next = Number.POSITIVE_INFINITY;
  const consider = (c: Constraint | undefined | null) => {
    if (!c) return;
    if ('start_date' in c) {
      const at = dayStart(c.start_date);
      if (at > now && at < next) next = at;
      return;
    }
    const midnight = now - (now % DAY_MS);
    for (const edge of [c.start_time, c.end_time]) {
      let at = midnight + timeOfDay(edge) * 1000;
      if (at <= now) at += DAY_MS;
      if (at < next) next = at;
    }
  };
  if (Array.isArray(model.prices)) for (const entry of model.prices) consider(entry.constraint);
  for (const v of model.price_variants ?? []) consider(v.constraint);
  return next;
}

export interface Selection {
  /** The standard price entry in force. */
  standard: ModelPriceJson;
  /** The indexes of the variants that apply (constraint holds, `when` matches), as a cache key; '' for none. */
  key: string;
}

export function whenLabel(when: Record<string, string>): string {
  return Object.keys(when)
    .sort()
    .map((k) => `${k}=${when[k]}`)
    .join('&');
}

/**
 * Which standard entry and which variants apply at `time` for `context`: cheap (no object is built), so that a
 * plan can be looked up by it. `own` is false for a model found through a fallback provider: genai-prices then
 * ignores the context.
 */
export function select(
  model: ModelJson,
  time: Date,
  context: Readonly<Record<string, string>> | undefined,
  own: boolean,
): Selection {
  const standard = pricesAt(model.prices, time);
  const variants = model.price_variants;
  if (!context || !own || !variants?.length) return { standard, key: '' };
  let key = '';
  for (let i = 0; i < variants.length; i++) {
    const v = variants[i]!;
    if (!active(v.constraint, time)) continue;
    let applies = true;
    for (const k in v.when) {
      if (context[k] !== v.when[k]) {
        applies = false;
        break;
      }
    }
    if (applies) key += `${i},`;
  }
  return { standard, key };
}

export interface Merged {
  prices: ModelPriceJson;
  /** `service_tier=priority` style label of the variants that set a price; undefined when none did. */
  variant?: string;
}

/** The standard prices with the selected variants' prices: for each price key, the first variant that sets it. */
export function merge(model: ModelJson, selection: Selection): Merged {
  if (!selection.key) return { prices: selection.standard };
  const overrides: ModelPriceJson = {};
  const labels: string[] = [];
  for (const index of selection.key.split(',')) {
    if (index === '') continue;
    const v = model.price_variants![Number(index)]!;
    let contributed = false;
    for (const [priceKey, price] of Object.entries(v.prices)) {
      if (price === null || price === undefined || priceKey in overrides) continue;
      overrides[priceKey] = price;
      contributed = true;
    }
    if (contributed) labels.push(whenLabel(v.when));
  }
  if (labels.length === 0) return { prices: selection.standard };
  return { prices: { ...selection.standard, ...overrides }, variant: labels.join(',') };
}
