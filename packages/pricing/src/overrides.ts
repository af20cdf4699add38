/**
 * User prices: models the data lacks, negotiated prices, fine-tunes. One document shape, from a JSON or YAML
 * file, an https URL or an object:
 *
 *   models:
 *     - model: ft:gpt-4o-mini:acme::a1b2      # exact name (case-insensitive), or
 *       match: { starts_with: "ft:gpt-4o-mini" }   # genai-prices match logic
 *       provider: openai                        # optional: only for this provider (gen_ai.provider.name or id)
 *       prices: { input_mtok: 0.3, output_mtok: 1.2, cache_read_mtok: 0.15 }
 *       # or dated: prices: [{ prices: {...} }, { constraint: { start_date: "2026-01-01" }, prices: {...} }]
 *
 * Prices are USD per million tokens (`*_mtok`) or per thousand (`*_kcount`), with genai-prices' keys.
 */
import { readFileSync } from 'node:fs';
import { parseYamlOrJson } from './config-text.js';
import { UNITS_BY_PRICE_KEY } from './data.js';
import type { MatchLogic } from './match.js';
import { resolveProviderId } from './providers.js';

export interface OverrideModel {
  model?: string;
  match?: MatchLogic;
  provider?: string;
  prices: Record<string, unknown> | { constraint?: { start_date: string }; prices: Record<string, unknown> }[];
}

export interface OverrideDocument {
  models: OverrideModel[];
}

/** A validated override, ready to match. */
export interface CompiledOverride {
  id: string;
  match: MatchLogic;
  providerId?: string;
  prices: OverrideModel['prices'];
}

export class OverrideError extends Error {
  override name = 'OverrideError';
}

const MATCH_KEYS = ['equals', 'starts_with', 'ends_with', 'contains', 'regex', 'and', 'or'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function validMatch(m: unknown): m is MatchLogic {
  if (!isObject(m)) return false;
  const keys = Object.keys(m);
  if (keys.length !== 1 || !MATCH_KEYS.includes(keys[0]!)) return false;
  const v = m[keys[0]!];
  if (keys[0] === 'and' || keys[0] === 'or') return Array.isArray(v) && v.length > 0 && v.every(validMatch);
  if (typeof v !== 'string' || v === '') return false;
  if (keys[0] === 'regex') {
    try {
      new RegExp(v);
    } catch {
      return false;
    }
  }
  return true;
}

function checkPrices(prices: unknown, where: string): void {
  if (!isObject(prices) || Object.keys(prices).length === 0) {
    throw new OverrideError(`${where}: prices must be an object such as { input_mtok: 2.5, output_mtok: 10 }`);
  }
  for (const [key, value] of Object.entries(prices)) {
    if (!UNITS_BY_PRICE_KEY.has(key)) {
      const known = [...UNITS_BY_PRICE_KEY.keys()].filter((k) => k.endsWith('mtok')).slice(0, 6);
      throw new OverrideError(`${where}: unknown price key "${key}" (known keys include ${known.join(', ')}, ...)`);
    }
    const ok =
      (typeof value === 'number' && Number.isFinite(value) && value >= 0) ||
      (isObject(value) &&
        typeof value.base === 'number' &&
        value.base >= 0 &&
        Array.isArray(value.tiers) &&
        value.tiers.every(
          (t) =>
            isObject(t) && Number.isSafeInteger(t.start) && (t.start as number) >= 0 && typeof t.price === 'number',
        ));
    if (!ok) {
      throw new OverrideError(
        `${where}: prices.${key} must be a non-negative number of USD (per million tokens for *_mtok) or ` +
          `{ base, tiers: [{ start, price }] }, got ${JSON.stringify(value)}`,
      );
    }
  }
}

/** Validates a document; errors name the origin, the model and the field. */
export function compileOverrides(doc: unknown, origin: string): CompiledOverride[] {
  if (!isObject(doc) || !Array.isArray(doc.models)) {
    throw new OverrideError(
      `${origin}: expected a top-level "models" list, e.g. models: [{ model: ..., prices: {...} }]`,
    );
  }
  return doc.models.map((entry, i) => {
    const name = isObject(entry) && typeof entry.model === 'string' ? ` (model "${entry.model}")` : '';
    const where = `${origin}: models[${i}]${name}`;
    if (!isObject(entry)) throw new OverrideError(`${where}: each entry must be an object`);
    const { model, match, provider, prices } = entry;
    if ((model === undefined) === (match === undefined)) {
      throw new OverrideError(`${where}: give exactly one of "model" (exact name) or "match" (match logic)`);
    }
    if (model !== undefined && (typeof model !== 'string' || model.trim() === '')) {
      throw new OverrideError(`${where}: "model" must be a non-empty string`);
    }
    if (match !== undefined && !validMatch(match)) {
      throw new OverrideError(
        `${where}: "match" must be one of {equals|starts_with|ends_with|contains|regex: "..."} or {and|or: [...]}`,
      );
    }
    let providerId: string | undefined;
    if (provider !== undefined) {
      providerId = typeof provider === 'string' ? (resolveProviderId(provider) ?? provider.toLowerCase()) : undefined;
      if (!providerId) throw new OverrideError(`${where}: "provider" must be a string such as "openai"`);
    }
    if (Array.isArray(prices)) {
      if (prices.length === 0) throw new OverrideError(`${where}: prices list is empty`);
      prices.forEach((p, j) => {
        if (!isObject(p)) throw new OverrideError(`${where}: prices[${j}] must be { constraint?, prices }`);
        const c = p.constraint;
        if (
          c !== undefined &&
          !(isObject(c) && typeof c.start_date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(c.start_date))
        ) {
          throw new OverrideError(`${where}: prices[${j}].constraint must be { start_date: "YYYY-MM-DD" }`);
        }
        checkPrices(p.prices, `${where}: prices[${j}]`);
      });
    } else {
      checkPrices(prices, where);
    }
    return {
      id: typeof model === 'string' ? model : JSON.stringify(match),
      match: typeof model === 'string' ? { equals: model.trim() } : (match as MatchLogic),
      providerId,
      prices: prices as OverrideModel['prices'],
    };
  });
}

export function parseOverrides(text: string, origin: string): CompiledOverride[] {
  let doc: unknown;
  try {
    doc = parseYamlOrJson(text, origin);
  } catch (err) {
    throw new OverrideError((err as Error).message);
  }
  return compileOverrides(doc, origin);
}

export function loadOverridesFile(path: string): CompiledOverride[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new OverrideError(`price overrides file ${path} cannot be read: ${(err as Error).message}`);
  }
  return parseOverrides(text, path);
}

export const URL_TIMEOUT_MS = 5000;
export const URL_MAX_BYTES = 1024 * 1024;
const fetched = new Map<string, Promise<CompiledOverride[]>>();

/** Fetches an override document once per process (timeout and size limit); rejects with an OverrideError. */
export function fetchOverrides(url: string): Promise<CompiledOverride[]> {
  let pending = fetched.get(url);
  if (!pending) {
    pending = (async () => {
      let res: Response;
      try {
        res = await fetch(url, { signal: AbortSignal.timeout(URL_TIMEOUT_MS), redirect: 'follow' });
      } catch (err) {
        throw new OverrideError(`price overrides URL ${url} could not be fetched: ${(err as Error).message}`);
      }
      if (!res.ok) throw new OverrideError(`price overrides URL ${url} answered HTTP ${res.status}`);
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        size += chunk.byteLength;
        if (size > URL_MAX_BYTES) {
          throw new OverrideError(`price overrides URL ${url} is larger than ${URL_MAX_BYTES} bytes`);
        }
        chunks.push(chunk);
      }
      return parseOverrides(Buffer.concat(chunks).toString('utf8'), url);
    })();
    fetched.set(url, pending);
  }
  return pending;
}
