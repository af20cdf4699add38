/** GET a provider's admin API: JSON, bounded retries on 429 (honouring retry-after) and 5xx, cursor paging, clear errors. */

/** An error the command reports with exit code 2: what went wrong and how to fix it. */
export class ReconcileError extends Error {
  constructor(
    message: string,
    readonly fix?: string,
  ) {
    super(fix ? `${message}\n  fix: ${fix}` : message);
    this.name = 'ReconcileError';
  }
}

export interface AdminApi {
  /** `OpenAI`, `Anthropic`: named in errors. */
  service: string;
  /** The API origin, e.g. https://api.openai.com. */
  baseUrl: string;
  headers: Record<string, string>;
  /** The environment variable the key came from, named when the API refuses it. */
  keyVar: string;
  /** What kind of key is needed, e.g. `an admin key (sk-admin-...)`. */
  keyKind: string;
  /** Where the flag or variable that sets baseUrl is, named when the API cannot be reached. */
  baseUrlHint: string;
}

export interface HttpOptions {
  /** Attempts per request, the first included (default 5). */
  attempts?: number;
  /** The longest wait between attempts, ms (default 60 000); a longer retry-after fails instead of hanging. */
  maxWaitMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** retry-after: seconds or an HTTP date (RFC 9110); retry-after-ms (OpenAI) wins when present. */
export function retryAfterMs(headers: Headers, now: number = Date.now()): number | null {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers.get('retry-after');
  if (value === null) return null;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.max(0, Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function apiMessage(body: unknown): string | undefined {
  const b = body as { error?: { message?: string } | string; message?: string } | null;
  if (!b || typeof b !== 'object') return undefined;
  if (typeof b.error === 'string') return b.error;
  return b.error?.message ?? b.message;
}

export async function getJson<T>(api: AdminApi, url: URL, opts: HttpOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 5;
  const maxWaitMs = opts.maxWaitMs ?? 60_000;
  const sleep = opts.sleep ?? defaultSleep;
  const where = `${url.origin}${url.pathname}`;
  for (let attempt = 1; ; attempt++) {
    let res: Response;
    try {
      res = await fetch(url, {
        headers: { accept: 'application/json', ...api.headers },
        signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
      });
    } catch (err) {
      throw new ReconcileError(
        `cannot reach the ${api.service} admin API at ${where} (${(err as Error).message})`,
        `check the network, or point ${api.baseUrlHint} at the API`,
      );
    }
    const text = await res.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    if (res.ok) {
      if (body === null || typeof body !== 'object') {
        throw new ReconcileError(
          `${api.service} answered ${where} with something that is not JSON`,
          `check ${api.baseUrlHint}`,
        );
      }
      return body as T;
    }
    const message = apiMessage(body) ?? (text.slice(0, 200) || res.statusText);
    if (res.status === 401 || res.status === 403) {
      throw new ReconcileError(
        `${api.service} refused the key in ${api.keyVar} (HTTP ${res.status}: ${message})`,
        `set ${api.keyVar} to ${api.keyKind}; a standard API key cannot read the usage and cost reports`,
      );
    }
    const retryable = res.status === 429 || res.status === 408 || res.status >= 500;
    if (!retryable) {
      throw new ReconcileError(
        `${api.service} answered GET ${where}${url.search} with HTTP ${res.status}: ${message}`,
        res.status === 404 ? `check ${api.baseUrlHint}: it should be the API origin` : undefined,
      );
    }
    const wait = retryAfterMs(res.headers) ?? Math.min(maxWaitMs, 1000 * 2 ** (attempt - 1));
    if (attempt >= attempts || wait > maxWaitMs) {
      const what = res.status === 429 ? 'rate-limited' : `failing (HTTP ${res.status}: ${message})`;
      throw new ReconcileError(
        `${api.service} kept ${what} GET ${where} after ${attempt} attempt(s)${wait > maxWaitMs ? ` (it asked to wait ${Math.ceil(wait / 1000)} s)` : ''}`,
        res.status === 429 ? 'run it again later, or over fewer days' : `${api.service} looks down: run it again later`,
      );
    }
    await sleep(wait);
  }
}

export interface Page<B> {
  data: B[];
  has_more: boolean;
  next_page: string | null;
}

/** Every bucket of a paged report: both providers send `has_more` and a `next_page` cursor passed back as `page`. */
export async function getAllPages<B>(
  api: AdminApi,
  path: string,
  params: [string, string][],
  opts: HttpOptions = {},
): Promise<B[]> {
  const out: B[] = [];
  const seen = new Set<string>();
  let page: string | null = null;
  for (;;) {
    const url = new URL(path, api.baseUrl);
    for (const [k, v] of params) url.searchParams.append(k, v);
    if (page !== null) url.searchParams.set('page', page);
    const body = await getJson<Page<B>>(api, url, opts);
    if (!Array.isArray(body.data)) {
      throw new ReconcileError(`${api.service} answered ${path} without a data array`, `check ${api.baseUrlHint}`);
    }
    out.push(...body.data);
    if (!body.has_more || !body.next_page) return out;
    if (seen.has(body.next_page)) {
      throw new ReconcileError(`${api.service} sent the page cursor ${body.next_page} twice for ${path}`);
    }
    seen.add(body.next_page);
    page = body.next_page;
  }
}

/** The API origin: --base-url, else the environment variable, else the default; a trailing /v1 is dropped. */
export function apiOrigin(flag: string | undefined, envValue: string | undefined, fallback: string): string {
  const raw = flag || envValue || fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ReconcileError(`"${raw}" is not a URL`, 'pass --base-url http://host:port');
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '')}/`;
}
