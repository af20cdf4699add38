import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropic } from './anthropic.ts';
import { bedrock } from './bedrock.ts';
import { anthropicAdminRoutes } from './billing/anthropic-admin.ts';
import { type Billing, Ledger } from './billing/ledger.ts';
import { openaiAdminRoutes } from './billing/openai-admin.ts';
import type { AdminContext } from './billing/report.ts';
import { gemini } from './gemini.ts';
import { multipartBoundary, parseMultipart } from './multipart.ts';
import { openai } from './openai.ts';
import type { ProviderWireFormat, RouteContext } from './provider.ts';
import type { RecordedRequest, ReplyHandler, ScriptedReply } from './types.ts';

/** Wire formats served; add a provider by adding its file here. First route match wins. */
const PROVIDERS: ProviderWireFormat[] = [openai, anthropic, gemini, bedrock];

/** The providers' admin (billing) endpoints, GET: path suffix -> handler. */
const ADMIN_ROUTES: Record<string, (ctx: AdminContext) => void> = { ...openaiAdminRoutes, ...anthropicAdminRoutes };

export interface SimulatorOptions {
  /** Port on 127.0.0.1; default 0 (a free port). */
  port?: number;
}

export interface Simulator {
  /** e.g. `http://127.0.0.1:40123` */
  url: string;
  /** `${url}/v1`: the `baseURL` for an OpenAI client. */
  openaiBaseURL: string;
  /** Every request received, in order (retries included). */
  requests: RecordedRequest[];
  /** Queues replies for the next matching requests (FIFO). */
  script(...replies: ScriptedReply[]): void;
  /** Decides replies for requests that no queued script matches. */
  setHandler(handler: ReplyHandler | undefined): void;
  /**
   * The providers' billing side: the ledger of what was served (and billed), injected hidden callers, price
   * changes, 429s for the admin endpoints (OpenAI `/v1/organization/costs`, `/usage/completions`,
   * `/usage/embeddings`; Anthropic `/v1/organizations/usage_report/messages`, `/cost_report`).
   */
  billing: Billing;
  /**
   * Clears queued scripts, the handler, the recorded requests, the billing state (ledger, price changes, 429s) and
   * the state of batches, files and background responses.
   */
  reset(): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  const raw = Buffer.concat(parts);
  const boundary = multipartBoundary(req.headers['content-type']);
  if (boundary) return parseMultipart(raw, boundary);
  const text = raw.toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

interface Route {
  provider: ProviderWireFormat;
  method: string;
  /** The suffix pattern, anchored at the end of the path; `{name}` segments are capture groups. */
  pattern: RegExp;
  names: string[];
  handle: (ctx: RouteContext) => unknown;
}

function compileRoute(provider: ProviderWireFormat, key: string, handle: Route['handle']): Route {
  const space = key.indexOf(' ');
  const method = space > 0 ? key.slice(0, space) : 'POST';
  const suffix = space > 0 ? key.slice(space + 1) : key;
  const names: string[] = [];
  const source = suffix
    .split(/(\{[A-Za-z_]+\})/)
    .map((piece) => {
      const name = /^\{([A-Za-z_]+)\}$/.exec(piece)?.[1];
      if (!name) return piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(name);
      return '([^/]+)';
    })
    .join('');
  return { provider, method, pattern: new RegExp(`${source}$`), names, handle };
}

/** The most specific pattern first (most literal characters), so `/v1/messages/batches/{id}` wins over `/batches/{id}`. */
const ROUTES: Route[] = PROVIDERS.flatMap((provider) =>
  Object.entries(provider.routes).map(([key, handle]) => compileRoute(provider, key, handle)),
).sort((a, b) => literalLength(b.pattern) - literalLength(a.pattern));

function literalLength(pattern: RegExp): number {
  return pattern.source.replaceAll('([^/]+)', '').replaceAll('\\', '').length;
}

function findRoute(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (!match) continue;
    const params: Record<string, string> = {};
    route.names.forEach((name, i) => {
      params[name] = decodeURIComponent(match[i + 1]!);
    });
    return { route, params };
  }
  return undefined;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const queue: ScriptedReply[] = [];
  const requests: RecordedRequest[] = [];
  let handler: ReplyHandler | undefined;
  const ledger = new Ledger();
  const state = new Map<string, unknown>();
  let counter = 0;
  const nextId = (prefix: string) => `${prefix}sim${(++counter).toString(36).padStart(6, '0')}`;

  /** POSTs take the next script with no path or a matching one; other methods (polls, downloads) only a matching one. */
  function takeReply(request: RecordedRequest): ScriptedReply {
    const anyPath = request.method === 'POST';
    const index = queue.findIndex((r) => (r.path === undefined ? anyPath : request.path.endsWith(r.path)));
    if (index >= 0) return queue.splice(index, 1)[0]!;
    return handler?.(request) ?? {};
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const path = url.pathname;
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      body: await readBody(req),
    };
    requests.push(request);
    const admin = Object.entries(ADMIN_ROUTES).find(([suffix]) => path.endsWith(suffix))?.[1];
    if (admin && request.method === 'GET') {
      admin({ req, res, query: url.searchParams, ledger, nextId });
      return;
    }
    const found = findRoute(request.method, path);
    if (!found) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `simulator: no route for ${request.method} ${path}` } }));
      return;
    }
    const reply = takeReply(request);
    const ctx: RouteContext = {
      request,
      reply,
      res,
      req,
      nextId,
      ledger,
      params: found.params,
      query: url.searchParams,
      state,
    };
    if (reply.status !== undefined && reply.status >= 400) {
      found.route.provider.sendError(ctx, reply.status);
      return;
    }
    await found.route.handle(ctx);
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `simulator failure: ${String(error)}` } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    openaiBaseURL: `${url}/v1`,
    requests,
    billing: ledger,
    script: (...replies) => {
      queue.push(...replies);
    },
    setHandler: (h) => {
      handler = h;
    },
    reset: () => {
      queue.length = 0;
      requests.length = 0;
      handler = undefined;
      ledger.clear();
      state.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
