import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { SimUsage } from '../types.ts';
import { type BillingProvider, listedPrices, type ModelPrice, PRICE_LIST, tierPrice } from './prices.ts';

/**
 * The provider's billing side: every OpenAI and Anthropic call the simulator answered, as the provider would
 * bill it, plus entries injected by tests (calls nobody instrumented). The admin endpoints
 * (openai-admin.ts, anthropic-admin.ts) report from here.
 *
 * A served call is recorded with the usage its response reports (or would report: a stream without
 * `stream_options.include_usage`, or a reply with `omitUsage`, is billed all the same, as the provider does).
 */

/** Anthropic's default workspace. The reports show it as `workspace_id: null`, as Anthropic does. */
export const DEFAULT_WORKSPACE_ID = 'wrkspc_default';
/** The OpenAI project of a request without an `OpenAI-Project` header. */
export const DEFAULT_PROJECT_ID = 'proj_default';

export interface OpenAIUsageBilled {
  /** All input tokens, cached included (`prompt_tokens` / `input_tokens`). */
  inputTokens: number;
  cachedTokens: number;
  /** Cache writes, where the response reports them (`prompt_tokens_details.cache_write_tokens`). */
  cacheWriteTokens: number;
  outputTokens: number;
  /** Parts of inputTokens / outputTokens that are audio. */
  inputAudioTokens: number;
  outputAudioTokens: number;
}

export interface AnthropicUsageBilled {
  /** `usage.input_tokens`: uncached input only. */
  inputTokens: number;
  cacheReadInputTokens: number;
  cacheCreation5mInputTokens: number;
  cacheCreation1hInputTokens: number;
  outputTokens: number;
  webSearchRequests: number;
}

interface EntryBase {
  /** When the call was served (ms since the epoch). */
  timeMs: number;
  /** The model as served (the response's `model`). */
  model: string;
  /** The served tier in the provider's words (OpenAI `service_tier`; Anthropic `usage.service_tier`). */
  serviceTier: string;
  batch: boolean;
  /** Derived from the request's key (see apiKeyIdOf), never the key itself. */
  apiKeyId: string;
  /** false for entries a test injected (calls the simulator never served). */
  served: boolean;
}

export interface OpenAILedgerEntry extends EntryBase {
  provider: 'openai';
  api: 'chat.completions' | 'responses' | 'embeddings';
  projectId: string;
  usage: OpenAIUsageBilled;
}

export interface AnthropicLedgerEntry extends EntryBase {
  provider: 'anthropic';
  api: 'messages';
  workspaceId: string;
  usage: AnthropicUsageBilled;
}

export type LedgerEntry = OpenAILedgerEntry | AnthropicLedgerEntry;

/** A call that was billed but never served: a hidden, uninstrumented caller. */
export interface UnservedCall {
  provider: BillingProvider;
  model: string;
  /** Provider-neutral counts, as in ScriptedReply (inputTokens = ALL input, cached and cache writes included). */
  usage?: SimUsage;
  /** Default: now. */
  time?: Date | number;
  /** OpenAI; default proj_default. */
  projectId?: string;
  /** Anthropic; default wrkspc_default. */
  workspaceId?: string;
  /** Default: `key_hidden` (OpenAI) / `apikey_hidden` (Anthropic). */
  apiKeyId?: string;
  /** Default: `default` (OpenAI) / `standard` (Anthropic). */
  serviceTier?: string;
  batch?: boolean;
  /** OpenAI; default chat.completions. */
  api?: OpenAILedgerEntry['api'];
}

/** A price change: from `from` on, `price` (merged over the list's) is billed for the model's tier. */
export interface PriceChange {
  provider: BillingProvider;
  model: string;
  /** Default: the default (standard) tier; `batch` for batch entries. */
  tier?: string;
  price: Partial<ModelPrice>;
  /** Default: from the beginning of time. */
  from?: Date | number;
}

export interface RateLimitOptions {
  /** Only this provider's admin requests (default: either). */
  provider?: BillingProvider;
  /** The `retry-after` header, in seconds (default 1). */
  retryAfterSeconds?: number;
}

/** What tests drive through `sim.billing`. */
export interface Billing {
  /** Every billed call, served and injected, in the order recorded. */
  readonly entries: readonly LedgerEntry[];
  /** Bills a call that was never served (a hidden caller); returns the entry. */
  add(call: UnservedCall): LedgerEntry;
  /** Changes a model's billed price from a time on (a provider price change). */
  setPrice(change: PriceChange): void;
  /** The next `count` admin requests answer 429 with `retry-after`, in the provider's error format. */
  rateLimitNext(count: number, options?: RateLimitOptions): void;
  /** The reports leave out calls younger than this (as the real reports lag); default 0. */
  setReportDelay(ms: number): void;
  /** Models billed at 0 because the price list has no price for them (`provider:model`). */
  readonly unpricedModels: readonly string[];
}

/** One billed component of an entry: tokens of one kind times their price. */
export interface BilledLine {
  kind: 'input' | 'cached_input' | 'cache_write_5m' | 'cache_write_1h' | 'output';
  tokens: number;
  usd: number;
}

/** A stable, non-reversible id for an API key: `key_` (OpenAI) / `apikey_` (Anthropic) + 16 hex digits. */
export function apiKeyIdOf(provider: BillingProvider, key: string | undefined): string {
  const prefix = provider === 'openai' ? 'key_' : 'apikey_';
  if (!key) return `${prefix}none`;
  return prefix + createHash('sha256').update(key).digest('hex').slice(0, 16);
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The OpenAI request key (`Authorization: Bearer ...`). */
export function bearerKey(headers: IncomingHttpHeaders): string | undefined {
  const auth = header(headers, 'authorization');
  const match = auth ? /^Bearer\s+(.+)$/i.exec(auth) : null;
  return match?.[1]?.trim();
}

/** The Anthropic request key: `x-api-key`, or `Authorization: Bearer` (as @anthropic-ai/sdk 1.x sends it). */
export function anthropicKey(headers: IncomingHttpHeaders): string | undefined {
  return header(headers, 'x-api-key') ?? bearerKey(headers);
}

function toMs(time: Date | number | undefined, fallback: number): number {
  if (time === undefined) return fallback;
  return typeof time === 'number' ? time : time.getTime();
}

/** `default` (OpenAI), `standard` (Anthropic) and no tier are the same: the standard price. */
function sameTier(a: string | undefined, b: string | undefined): boolean {
  const norm = (t: string | undefined) => (t === undefined || t === 'default' || t === 'standard' ? '' : t);
  return norm(a) === norm(b);
}

export class Ledger implements Billing {
  readonly entries: LedgerEntry[] = [];
  readonly unpricedModels: string[] = [];
  private changes: { change: PriceChange; fromMs: number }[] = [];
  private limited: { provider?: BillingProvider; retryAfterSeconds: number }[] = [];
  reportDelayMs = 0;

  recordOpenAI(
    headers: IncomingHttpHeaders,
    api: OpenAILedgerEntry['api'],
    model: string,
    serviceTier: string,
    usage: OpenAIUsageBilled,
  ): void {
    this.entries.push({
      provider: 'openai',
      api,
      timeMs: Date.now(),
      model,
      serviceTier,
      batch: false,
      projectId: header(headers, 'openai-project') || DEFAULT_PROJECT_ID,
      apiKeyId: apiKeyIdOf('openai', bearerKey(headers)),
      served: true,
      usage,
    });
  }

  recordAnthropic(headers: IncomingHttpHeaders, model: string, serviceTier: string, usage: AnthropicUsageBilled): void {
    this.entries.push({
      provider: 'anthropic',
      api: 'messages',
      timeMs: Date.now(),
      model,
      serviceTier,
      batch: serviceTier === 'batch',
      workspaceId: DEFAULT_WORKSPACE_ID,
      apiKeyId: apiKeyIdOf('anthropic', anthropicKey(headers)),
      served: true,
      usage,
    });
  }

  add(call: UnservedCall): LedgerEntry {
    const u: Required<Pick<SimUsage, 'inputTokens' | 'cachedTokens' | 'cacheWriteTokens' | 'outputTokens'>> & SimUsage =
      { inputTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, outputTokens: 0, ...call.usage };
    const base = {
      timeMs: toMs(call.time, Date.now()),
      model: call.model,
      batch: call.batch ?? false,
      served: false,
    };
    const entry: LedgerEntry =
      call.provider === 'openai'
        ? {
            ...base,
            provider: 'openai',
            api: call.api ?? 'chat.completions',
            serviceTier: call.serviceTier ?? 'default',
            projectId: call.projectId ?? DEFAULT_PROJECT_ID,
            apiKeyId: call.apiKeyId ?? 'key_hidden',
            usage: {
              inputTokens: u.inputTokens,
              cachedTokens: u.cachedTokens,
              cacheWriteTokens: u.cacheWriteTokens,
              outputTokens: u.outputTokens,
              inputAudioTokens: u.inputAudioTokens ?? 0,
              outputAudioTokens: u.outputAudioTokens ?? 0,
            },
          }
        : {
            ...base,
            provider: 'anthropic',
            api: 'messages',
            serviceTier: call.serviceTier ?? (call.batch ? 'batch' : 'standard'),
            workspaceId: call.workspaceId ?? DEFAULT_WORKSPACE_ID,
            apiKeyId: call.apiKeyId ?? 'apikey_hidden',
            usage: {
              inputTokens: u.inputTokens - u.cachedTokens - u.cacheWriteTokens,
              cacheReadInputTokens: u.cachedTokens,
              cacheCreation5mInputTokens: u.cacheWriteTokens - (u.cacheWrite1hTokens ?? 0),
              cacheCreation1hInputTokens: u.cacheWrite1hTokens ?? 0,
              outputTokens: u.outputTokens,
              webSearchRequests: 0,
            },
          };
    this.entries.push(entry);
    return entry;
  }

  setPrice(change: PriceChange): void {
    this.changes.push({ change, fromMs: toMs(change.from, Number.NEGATIVE_INFINITY) });
  }

  rateLimitNext(count: number, options: RateLimitOptions = {}): void {
    for (let i = 0; i < count; i++) {
      this.limited.push({ provider: options.provider, retryAfterSeconds: options.retryAfterSeconds ?? 1 });
    }
  }

  setReportDelay(ms: number): void {
    this.reportDelayMs = ms;
  }

  /** Takes a pending 429 for this provider's admin request, if any: its retry-after in seconds. */
  takeRateLimit(provider: BillingProvider): number | undefined {
    const index = this.limited.findIndex((l) => l.provider === undefined || l.provider === provider);
    if (index < 0) return undefined;
    return this.limited.splice(index, 1)[0]!.retryAfterSeconds;
  }

  /** The entries a report at `nowMs` can see (older than the report delay). */
  reportable(provider: BillingProvider, nowMs = Date.now()): LedgerEntry[] {
    return this.entries.filter((e) => e.provider === provider && e.timeMs <= nowMs - this.reportDelayMs);
  }

  /** The price billed for an entry: the list's for its tier, with the price changes in force at its time. */
  priceOf(entry: LedgerEntry): ModelPrice {
    const tier = entry.batch ? 'batch' : entry.serviceTier;
    const listed = listedPrices(PRICE_LIST, entry.provider, entry.model);
    let price: ModelPrice | undefined = listed ? tierPrice(listed, tier) : undefined;
    const changes = this.changes
      .filter(
        (c) =>
          c.change.provider === entry.provider &&
          c.change.model === entry.model &&
          sameTier(c.change.tier, tier) &&
          c.fromMs <= entry.timeMs,
      )
      .sort((a, b) => a.fromMs - b.fromMs);
    for (const { change } of changes) price = { input: 0, cachedInput: 0, output: 0, ...price, ...change.price };
    if (price) return price;
    const key = `${entry.provider}:${entry.model}`;
    if (!this.unpricedModels.includes(key)) {
      this.unpricedModels.push(key);
      console.warn(`llm-simulator billing: no price for ${key}; billed at 0`);
    }
    return { input: 0, cachedInput: 0, cacheWrite5m: 0, cacheWrite1h: 0, output: 0 };
  }

  /** What an entry costs, line by line (lines with no tokens left out). */
  linesOf(entry: LedgerEntry): BilledLine[] {
    const p = this.priceOf(entry);
    const counts: [BilledLine['kind'], number, number][] =
      entry.provider === 'openai'
        ? [
            ['input', entry.usage.inputTokens - entry.usage.cachedTokens - entry.usage.cacheWriteTokens, p.input],
            ['cached_input', entry.usage.cachedTokens, p.cachedInput],
            ['cache_write_5m', entry.usage.cacheWriteTokens, p.cacheWrite5m ?? p.input],
            ['output', entry.usage.outputTokens, p.output],
          ]
        : [
            ['input', entry.usage.inputTokens, p.input],
            ['cached_input', entry.usage.cacheReadInputTokens, p.cachedInput],
            ['cache_write_5m', entry.usage.cacheCreation5mInputTokens, p.cacheWrite5m ?? p.input],
            ['cache_write_1h', entry.usage.cacheCreation1hInputTokens, p.cacheWrite1h ?? p.input],
            ['output', entry.usage.outputTokens, p.output],
          ];
    return counts
      .filter(([, tokens]) => tokens > 0)
      .map(([kind, tokens, perM]) => ({ kind, tokens, usd: (tokens * perM) / 1_000_000 }));
  }

  clear(): void {
    this.entries.length = 0;
    this.unpricedModels.length = 0;
    this.changes = [];
    this.limited = [];
    this.reportDelayMs = 0;
  }
}
