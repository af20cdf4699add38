import { contentResponse, modelFromPath } from './gemini.ts';
import { type RouteContext, usageOf } from './provider.ts';

/**
 * The Gemini API / Vertex AI endpoints beyond generateContent that bill: explicit context caches
 * (`cachedContents`, storage billed per token-hour), Imagen (`{model}:predict`, Vertex), Veo
 * (`{model}:predictLongRunning` polled with `{model}:fetchPredictOperation`, Vertex) and the Gemini API Batch
 * API (`{model}:batchGenerateContent`, polled with `GET batches/{id}`), in the shapes @google/genai 3.1 reads
 * (`dist/genai.d.ts`: CachedContent, GenerateImagesResponse, GenerateVideosOperation, BatchJob).
 *
 * Counts come from the scripted reply: a cache's `usageMetadata.totalTokenCount` is `usage.inputTokens`; each
 * inlined batch request is answered with the reply's usage (see geminiUsage); Imagen and Veo report no usage.
 */

const json = (ctx: RouteContext, body: unknown) => {
  ctx.res.writeHead(200, { 'content-type': 'application/json', ...ctx.reply.headers });
  ctx.res.end(JSON.stringify(body));
};

const notFound = (ctx: RouteContext, what: string) => {
  ctx.res.writeHead(404, { 'content-type': 'application/json' });
  ctx.res.end(JSON.stringify({ error: { code: 404, message: `${what} not found`, status: 'NOT_FOUND' } }));
};

/** `300s` / `1.5s` (a protobuf Duration) -> seconds; default one hour, as the API's. */
function ttlSeconds(ttl: unknown): number {
  const m = typeof ttl === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(ttl) : null;
  return m ? Number(m[1]) : 3600;
}

interface CacheState {
  name: string;
  model: string;
  displayName?: string;
  totalTokenCount: number;
  createTime: string;
  expireTime: string;
}

function cacheBody(cache: CacheState, updateTime: string) {
  return {
    name: cache.name,
    model: cache.model,
    ...(cache.displayName ? { displayName: cache.displayName } : {}),
    usageMetadata: { totalTokenCount: cache.totalTokenCount },
    createTime: cache.createTime,
    updateTime,
    expireTime: cache.expireTime,
  };
}

/** POST cachedContents: `{model, contents, systemInstruction, ttl | expireTime, displayName}`. */
function createCache(ctx: RouteContext): void {
  const body = ctx.request.body ?? {};
  const now = new Date();
  const expire =
    typeof body.expireTime === 'string' ? body.expireTime : new Date(now.getTime() + ttlSeconds(body.ttl) * 1000);
  const parent = /\/(projects\/[^/]+\/locations\/[^/]+)\/cachedContents$/.exec(ctx.request.path)?.[1];
  const id = ctx.nextId('cache');
  const cache: CacheState = {
    name: parent ? `${parent}/cachedContents/${id}` : `cachedContents/${id}`,
    model: typeof body.model === 'string' ? body.model : 'models/unknown',
    displayName: body.displayName,
    totalTokenCount: usageOf(ctx.reply).inputTokens,
    createTime: now.toISOString(),
    expireTime: typeof expire === 'string' ? expire : expire.toISOString(),
  };
  ctx.state.set(`gemini:cache:${id}`, cache);
  json(ctx, cacheBody(cache, cache.createTime));
}

/** PATCH cachedContents/{id}: a new `ttl` (from now) or `expireTime`. */
function updateCache(ctx: RouteContext): void {
  const cache = ctx.state.get(`gemini:cache:${ctx.params.id}`) as CacheState | undefined;
  if (!cache) {
    notFound(ctx, `cachedContents/${ctx.params.id}`);
    return;
  }
  const body = ctx.request.body ?? {};
  const now = new Date();
  if (typeof body.expireTime === 'string') cache.expireTime = body.expireTime;
  else if (body.ttl !== undefined)
    cache.expireTime = new Date(now.getTime() + ttlSeconds(body.ttl) * 1000).toISOString();
  json(ctx, cacheBody(cache, now.toISOString()));
}

const PNG = Buffer.from('89504e470d0a1a0a', 'hex').toString('base64');
const MP4 = Buffer.from('000000186674797069736f6d', 'hex').toString('base64');

/** Vertex `{model}:predict` for Imagen: `{instances: [{prompt}], parameters: {sampleCount}}` -> predictions. */
function predict(ctx: RouteContext): void {
  const count = Number(ctx.request.body?.parameters?.sampleCount ?? 4);
  json(ctx, {
    predictions: Array.from({ length: count }, () => ({ mimeType: 'image/png', bytesBase64Encoded: PNG })),
  });
}

interface VideoState {
  name: string;
  videos: number;
  polls: number;
}

/** Vertex `{model}:predictLongRunning` for Veo: a long-running operation named below the model. */
function predictLongRunning(ctx: RouteContext): void {
  const resource = decodeURIComponent(ctx.request.path)
    .replace(/^\/[^/]+\//, '')
    .replace(/:predictLongRunning$/, '');
  const name = `${resource}/operations/${ctx.nextId('op')}`;
  const videos = Number(ctx.request.body?.parameters?.sampleCount ?? 1);
  ctx.state.set(`gemini:video:${name}`, { name, videos, polls: 0 } satisfies VideoState);
  json(ctx, { name });
}

/** `{model}:fetchPredictOperation` `{operationName}`: running on the first poll, done (with the videos) after. */
function fetchPredictOperation(ctx: RouteContext): void {
  const op = ctx.state.get(`gemini:video:${ctx.request.body?.operationName}`) as VideoState | undefined;
  if (!op) {
    notFound(ctx, String(ctx.request.body?.operationName));
    return;
  }
  op.polls++;
  if (op.polls < 2) {
    json(ctx, { name: op.name, done: false });
    return;
  }
  json(ctx, {
    name: op.name,
    done: true,
    response: {
      '@type': 'type.googleapis.com/cloud.ai.large_models.vision.GenerateVideoResponse',
      raiMediaFilteredCount: 0,
      videos: Array.from({ length: op.videos }, () => ({ mimeType: 'video/mp4', bytesBase64Encoded: MP4 })),
    },
  });
}

interface BatchState {
  name: string;
  model: string;
  displayName: string;
  createTime: string;
  polls: number;
  responses: { response: unknown; metadata?: unknown }[];
}

const BATCH_TYPE = 'type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch';

/** The batch as an Operation (`name`, `metadata` = GenerateContentBatch, `done`, `response` once done). */
function batchOperation(batch: BatchState, done: boolean) {
  const count = batch.responses.length;
  const output = { inlinedResponses: { inlinedResponses: batch.responses } };
  const now = new Date().toISOString();
  return {
    name: batch.name,
    metadata: {
      '@type': BATCH_TYPE,
      model: batch.model,
      displayName: batch.displayName,
      createTime: batch.createTime,
      updateTime: now,
      batchStats: done
        ? { requestCount: String(count), successfulRequestCount: String(count) }
        : { requestCount: String(count), pendingRequestCount: String(count) },
      state: done ? 'BATCH_STATE_SUCCEEDED' : batch.polls > 0 ? 'BATCH_STATE_RUNNING' : 'BATCH_STATE_PENDING',
      name: batch.name,
      ...(done ? { endTime: now, output } : {}),
    },
    ...(done
      ? {
          done: true,
          response: {
            '@type': 'type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatchOutput',
            ...output,
          },
        }
      : {}),
  };
}

/**
 * `models/{model}:batchGenerateContent` with inlined requests (`batch.inputConfig.requests.requests[]`): every
 * request is answered with the scripted reply. Ids are `batches/gemini-sim…` (an id Gemini could give), so the
 * poll route below stays apart from other providers' `batches/{id}`.
 */
function batchGenerateContent(ctx: RouteContext): void {
  const batch = ctx.request.body?.batch ?? {};
  const requests: { metadata?: unknown }[] = Array.isArray(batch.inputConfig?.requests?.requests)
    ? batch.inputConfig.requests.requests
    : [];
  const model = modelFromPath(ctx.request.path);
  const state: BatchState = {
    name: `batches/${ctx.nextId('gemini-')}`,
    model: `models/${model}`,
    displayName: typeof batch.displayName === 'string' ? batch.displayName : 'batch',
    createTime: new Date().toISOString(),
    polls: 0,
    responses: requests.map((r) => ({
      response: contentResponse(ctx.reply, ctx.reply.model ?? model, ctx.nextId('resp')),
      ...(r?.metadata ? { metadata: r.metadata } : {}),
    })),
  };
  ctx.state.set(`gemini:${state.name}`, state);
  json(ctx, batchOperation(state, false));
}

/** GET batches/{id}: running on the first poll, succeeded (with the inlined responses) from the second on. */
function getBatch(ctx: RouteContext): void {
  const state = ctx.state.get(`gemini:batches/gemini-${ctx.params.id}`) as BatchState | undefined;
  if (!state) {
    notFound(ctx, `batches/gemini-${ctx.params.id}`);
    return;
  }
  state.polls++;
  json(ctx, batchOperation(state, state.polls >= 2));
}

export const geminiJobRoutes: Record<string, (ctx: RouteContext) => void> = {
  '/cachedContents': createCache,
  'PATCH /cachedContents/{id}': updateCache,
  ':predict': predict,
  ':predictLongRunning': predictLongRunning,
  ':fetchPredictOperation': fetchPredictOperation,
  ':batchGenerateContent': batchGenerateContent,
  'GET /batches/gemini-{id}': getBatch,
};
