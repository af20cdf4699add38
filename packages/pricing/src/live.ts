/**
 * Live price data: genai-prices publishes its data document, and updates it as providers change prices. This
 * fetches it at start and then every interval, validates it, and hands each good document to the pricer; the
 * last good one is kept on disk so that a restart without network still has it. Nothing here blocks or fails a
 * call: a fetch that fails or a document that is rejected leaves the data in use as it was, with one warning.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { BUNDLED_COUNTS } from './data.js';
import { type PriceDocument, validateDocument } from './document.js';
import { PriceData } from './lookup.js';

/** What genai-prices' own auto-updater fetches (`DEFAULT_UPDATE_URL` in its Python `update_prices` module). */
export const DEFAULT_PRICE_DATA_URL =
  'https://raw.githubusercontent.com/pydantic/genai-prices/refs/heads/main/prices/new_data/v2/data.json';

export interface LivePriceDataOptions {
  /** Where the document is published (http or https); default DEFAULT_PRICE_DATA_URL. */
  url?: string;
  /** How often to fetch it again; default 1 hour. */
  intervalMs?: number;
  /** Bound on one fetch; default 10 s. */
  timeoutMs?: number;
  /** A larger document is rejected; default 16 MiB. */
  maxBytes?: number;
  /** Where the last good document is kept; default ~/.cache/otel-llm-cost/genai-prices-live.json; false: nowhere. */
  cachePath?: string | false;
}

interface CacheFile {
  url: string;
  fetched_at: string;
  etag?: string;
  document: PriceDocument;
}

export function defaultCachePath(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'otel-llm-cost', 'genai-prices-live.json');
}

export type LiveOutcome = 'success' | 'not_modified' | 'failure' | 'rejected';

export class LivePriceData {
  readonly url: string;
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly cachePath: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private etag: string | undefined;
  private stopped = false;
  /** Settles when the first fetch has succeeded or failed. */
  readonly ready: Promise<void>;

  constructor(
    options: LivePriceDataOptions,
    private readonly onData: (data: PriceData) => void,
    private readonly onWarning: (message: string) => void = () => {},
    private readonly onOutcome: (outcome: LiveOutcome) => void = () => {},
  ) {
    this.url = options.url ?? DEFAULT_PRICE_DATA_URL;
    this.intervalMs = Math.max(1000, options.intervalMs ?? 3_600_000);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
    this.cachePath = options.cachePath === false ? undefined : (options.cachePath ?? defaultCachePath());
    this.loadCache();
    this.ready = this.update().then(
      () => undefined,
      () => undefined,
    );
    void this.ready.finally(() => this.schedule());
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.update().finally(() => this.schedule());
    }, this.intervalMs);
    this.timer.unref();
  }

  /** The last good document from disk, when it is there and still valid: used until the first fetch lands. */
  private loadCache(): void {
    if (!this.cachePath) return;
    let cached: CacheFile;
    try {
      cached = JSON.parse(readFileSync(this.cachePath, 'utf8'));
    } catch {
      return; // no cache yet (or unreadable): the bundled data stays in use
    }
    const problem = validateDocument(cached?.document, BUNDLED_COUNTS);
    if (problem || typeof cached.fetched_at !== 'string') {
      this.onWarning(`price data cache ${this.cachePath} is not usable (${problem ?? 'no fetched_at'}); ignoring it`);
      return;
    }
    if (cached.url === this.url) this.etag = cached.etag;
    this.onData(new PriceData(cached.document, `live@${cached.fetched_at}`));
  }

  /** One fetch; never throws. */
  async update(): Promise<LiveOutcome> {
    const outcome = await this.fetchOnce().catch((error: Error) => {
      this.onWarning(
        `could not fetch live price data from ${this.url}: ${error.message}; pricing goes on with the data in use`,
      );
      return 'failure' as const;
    });
    this.onOutcome(outcome);
    return outcome;
  }

  private async fetchOnce(): Promise<LiveOutcome> {
    const res = await get(this.url, this.etag, this.timeoutMs, this.maxBytes);
    if (res.status === 304) return 'not_modified';
    if (res.status < 200 || res.status >= 300) throw new Error(`HTTP ${res.status}`);
    let doc: unknown;
    try {
      doc = JSON.parse(res.body);
    } catch (error) {
      this.onWarning(`live price data from ${this.url} rejected: not JSON (${(error as Error).message})`);
      return 'rejected';
    }
    const problem = validateDocument(doc, BUNDLED_COUNTS);
    if (problem) {
      this.onWarning(`live price data from ${this.url} rejected: ${problem}; the data in use stays`);
      return 'rejected';
    }
    const fetchedAt = new Date().toISOString();
    this.etag = res.etag;
    this.onData(new PriceData(doc as PriceDocument, `live@${fetchedAt}`));
    this.saveCache({ url: this.url, fetched_at: fetchedAt, etag: this.etag, document: doc as PriceDocument });
    return 'success';
  }

  private saveCache(file: CacheFile): void {
    if (!this.cachePath) return;
    try {
      mkdirSync(dirname(this.cachePath), { recursive: true });
      const tmp = `${this.cachePath}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(file));
      renameSync(tmp, this.cachePath);
    } catch (error) {
      this.onWarning(`could not write the price data cache ${this.cachePath}: ${(error as Error).message}`);
    }
  }
}

interface Got {
  status: number;
  etag?: string;
  body: string;
}

/**
 * One GET with a time and size bound, following up to 3 redirects. Its socket is unref'd: a fetch under way
 * never keeps a short-lived process alive (global fetch would, for up to the timeout, when offline).
 */
function get(url: string, etag: string | undefined, timeoutMs: number, maxBytes: number, hops = 0): Promise<Got> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : target.protocol === 'http:' ? httpRequest : undefined;
    if (!send) {
      reject(new Error(`unsupported URL ${url} (http or https)`));
      return;
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (etag) headers['if-none-match'] = etag;
    const req = send(target, { headers }, (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location && status !== 304) {
        res.resume();
        if (hops >= 3) reject(new Error('too many redirects'));
        else resolve(get(new URL(res.headers.location, target).toString(), etag, timeoutMs, maxBytes, hops + 1));
        return;
      }
      const declared = Number(res.headers['content-length']);
      if (declared > maxBytes) {
        req.destroy(new Error(`document is ${declared} bytes, over the ${maxBytes} byte limit`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.byteLength;
        if (size > maxBytes) req.destroy(new Error(`document is over the ${maxBytes} byte limit`));
        else chunks.push(chunk);
      });
      res.on('end', () => {
        const tag = res.headers.etag;
        resolve({
          status,
          etag: typeof tag === 'string' ? tag : undefined,
          body: Buffer.concat(chunks).toString('utf8'),
        });
      });
      res.on('error', reject);
    });
    // One bound on the whole exchange (the socket timeout alone would let a slow trickle run on).
    const deadline = setTimeout(() => req.destroy(new Error(`no complete answer within ${timeoutMs} ms`)), timeoutMs);
    deadline.unref();
    req.on('socket', (socket) => socket.unref());
    req.on('close', () => clearTimeout(deadline));
    req.on('error', reject);
    req.end();
  });
}
