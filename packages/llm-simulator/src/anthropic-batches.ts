import { anthropicUsage, blocks, messageObject } from './anthropic-message.ts';
import type { RouteContext } from './provider.ts';
import type { RecordedRequest } from './types.ts';

/**
 * The Anthropic Message Batches API (`/v1/messages/batches`, also `?beta=true`): create, retrieve, results.
 *
 * A batch is processed when it is created (every request answered with the create request's scripted reply:
 * its model, usage and content) and reports `in_progress`; the first retrieve reports it `ended`, with a
 * `results_url` on this server. The results are JSONL, one line per request, in request order:
 * `{ custom_id, result: { type: 'succeeded', message } }` with the Message's `usage.service_tier` `batch`, or
 * `errored` (a request without `max_tokens` or `messages`: `invalid_request_error`), or, for a `custom_id`
 * ending in `_canceled` / `_expired`, a `canceled` / `expired` result (requests that a cancellation or the
 * 24 hour expiry left unprocessed). Each succeeded request is billed at the batch tier in the ledger.
 */

type Result =
  | { type: 'succeeded'; message: object }
  | { type: 'errored'; error: { type: 'error'; error: { type: string; message: string }; request_id: null } }
  | { type: 'canceled' }
  | { type: 'expired' };

interface StoredBatch {
  id: string;
  createdAt: string;
  ended: boolean;
  lines: { custom_id: string; result: Result }[];
}

const key = (id: string) => `anthropic:batch:${id}`;

function resultOf(ctx: RouteContext, customId: string, params: RecordedRequest['body']): Result {
  if (customId.endsWith('_canceled')) return { type: 'canceled' };
  if (customId.endsWith('_expired')) return { type: 'expired' };
  const missing =
    typeof params?.max_tokens !== 'number' ? 'max_tokens' : !Array.isArray(params?.messages) && 'messages';
  if (missing) {
    return {
      type: 'errored',
      error: {
        type: 'error',
        error: { type: 'invalid_request_error', message: `${missing}: Field required` },
        request_id: null,
      },
    };
  }
  const { reply } = ctx;
  const model = reply.model ?? params.model ?? 'unknown';
  const usage = { ...anthropicUsage(reply, params), service_tier: 'batch' };
  ctx.ledger.recordAnthropic(ctx.req.headers, model, 'batch', {
    inputTokens: usage.input_tokens,
    cacheReadInputTokens: usage.cache_read_input_tokens,
    cacheCreation5mInputTokens: usage.cache_creation.ephemeral_5m_input_tokens,
    cacheCreation1hInputTokens: usage.cache_creation.ephemeral_1h_input_tokens,
    outputTokens: usage.output_tokens,
    webSearchRequests: usage.server_tool_use?.web_search_requests ?? 0,
  });
  const content = blocks(reply, params, ctx.nextId);
  return { type: 'succeeded', message: messageObject(ctx.nextId('msg_'), model, reply, content, usage) };
}

function batchObject(ctx: RouteContext, batch: StoredBatch) {
  const counts = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
  for (const line of batch.lines) {
    if (batch.ended) counts[line.result.type]++;
    else counts.processing++;
  }
  const created = Date.parse(batch.createdAt);
  return {
    id: batch.id,
    type: 'message_batch',
    processing_status: batch.ended ? 'ended' : 'in_progress',
    request_counts: counts,
    ended_at: batch.ended ? new Date(created + 1000).toISOString() : null,
    created_at: batch.createdAt,
    expires_at: new Date(created + 24 * 3600 * 1000).toISOString(),
    archived_at: null,
    cancel_initiated_at: null,
    results_url: batch.ended ? `http://${ctx.req.headers.host}/v1/messages/batches/${batch.id}/results` : null,
  };
}

function sendJson(ctx: RouteContext, status: number, body: unknown): void {
  ctx.res.writeHead(status, { 'content-type': 'application/json', 'request-id': ctx.nextId('req_') });
  ctx.res.end(JSON.stringify(body));
}

function notFound(ctx: RouteContext): void {
  sendJson(ctx, 404, {
    type: 'error',
    error: { type: 'not_found_error', message: `No message batch with id ${ctx.params.id}` },
  });
}

function create(ctx: RouteContext): void {
  const requests: { custom_id?: unknown; params?: unknown }[] = Array.isArray(ctx.request.body?.requests)
    ? ctx.request.body.requests
    : [];
  const batch: StoredBatch = {
    id: ctx.nextId('msgbatch_'),
    createdAt: new Date().toISOString(),
    ended: false,
    lines: requests.map((r) => {
      const customId = typeof r?.custom_id === 'string' ? r.custom_id : '';
      return { custom_id: customId, result: resultOf(ctx, customId, r?.params) };
    }),
  };
  ctx.state.set(key(batch.id), batch);
  sendJson(ctx, 200, batchObject(ctx, batch));
}

function retrieve(ctx: RouteContext): void {
  const batch = ctx.state.get(key(ctx.params.id ?? '')) as StoredBatch | undefined;
  if (!batch) {
    notFound(ctx);
    return;
  }
  batch.ended = true;
  sendJson(ctx, 200, batchObject(ctx, batch));
}

function results(ctx: RouteContext): void {
  const batch = ctx.state.get(key(ctx.params.id ?? '')) as StoredBatch | undefined;
  if (!batch) {
    notFound(ctx);
    return;
  }
  if (!batch.ended) {
    sendJson(ctx, 400, {
      type: 'error',
      error: { type: 'invalid_request_error', message: `Message batch ${batch.id} is still processing` },
    });
    return;
  }
  ctx.res.writeHead(200, { 'content-type': 'application/binary', 'request-id': ctx.nextId('req_') });
  ctx.res.end(batch.lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
}

export const anthropicBatchRoutes: Record<string, (ctx: RouteContext) => void> = {
  '/v1/messages/batches': create,
  'GET /v1/messages/batches/{id}': retrieve,
  'GET /v1/messages/batches/{id}/results': results,
};
