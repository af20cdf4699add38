import { setTimeout as sleep } from 'node:timers/promises';
import { anthropicBatchRoutes } from './anthropic-batches.ts';
import { anthropicCompletionRoutes } from './anthropic-completions.ts';
import { anthropicUsage, blocks, messageObject, stopReason, textOf } from './anthropic-message.ts';
import { type ProviderWireFormat, type RouteContext, usageOf } from './provider.ts';
import { startSse, writeSse } from './sse.ts';

// Bedrock's InvokeModel answers with the same Message usage.
export { anthropicUsage };

/**
 * The Anthropic Messages API wire format (`POST /v1/messages`, also `?beta=true`): JSON and SSE
 * (message_start, content_block_start/delta/stop, message_delta with the final usage, message_stop).
 *
 * Usage mapping from the provider-neutral SimUsage (inputTokens = ALL input): Anthropic's
 * `input_tokens` EXCLUDES cache reads and cache writes, so
 * input_tokens = inputTokens - cachedTokens - cacheWriteTokens. `cache_creation` splits the writes
 * into 5 minute and 1 hour TTLs. Thinking tokens are part of `output_tokens`
 * (`output_tokens_details.thinking_tokens` says how many).
 *
 * Server tools: a request that offers the `web_search` (`web_search_20250305`, ...) or `web_fetch` tool gets
 * `max_uses` (default 1) searches / fetches of each, as `server_tool_use` + `web_search_tool_result` blocks and
 * `usage.server_tool_use.{web_search_requests, web_fetch_requests}` (null when the request offers neither; in a
 * stream, 0 in message_start and the final counts in message_delta).
 */

function hang(ctx: RouteContext): Promise<void> {
  return new Promise((resolve) => {
    ctx.res.on('close', () => resolve());
  });
}

async function messages(ctx: RouteContext): Promise<void> {
  const { reply, res } = ctx;
  const body = ctx.request.body ?? {};
  const id = ctx.nextId('msg_');
  const model = reply.model ?? body.model ?? 'unknown';
  const usage = reply.omitUsage ? undefined : anthropicUsage(reply, body);
  // Billed as served, even when the reply leaves the usage out.
  const billed = anthropicUsage(reply, body);
  ctx.ledger.recordAnthropic(ctx.req.headers, model, billed.service_tier, {
    inputTokens: billed.input_tokens,
    cacheReadInputTokens: billed.cache_read_input_tokens,
    cacheCreation5mInputTokens: billed.cache_creation.ephemeral_5m_input_tokens,
    cacheCreation1hInputTokens: billed.cache_creation.ephemeral_1h_input_tokens,
    outputTokens: billed.output_tokens,
    webSearchRequests: billed.server_tool_use?.web_search_requests ?? 0,
  });
  const headers = { 'request-id': ctx.nextId('req_'), 'anthropic-organization-id': 'org-sim', ...reply.headers };
  const content = blocks(reply, body, ctx.nextId);
  if (!body.stream) {
    res.writeHead(200, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(messageObject(id, model, reply, content, usage)));
    return;
  }
  startSse(res, headers);
  const send = (type: string, data: Record<string, unknown>) => writeSse(res, { type, ...data }, type);
  // message_start carries the input usage; output_tokens is a placeholder until message_delta.
  send('message_start', {
    message: {
      id,
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: usage
        ? {
            ...usage,
            output_tokens: 1,
            output_tokens_details: null,
            server_tool_use: usage.server_tool_use && { web_search_requests: 0, web_fetch_requests: 0 },
          }
        : { input_tokens: 0, output_tokens: 0 },
    },
  });
  send('ping', {});
  let index = 0;
  let sentChunks = 0;
  for (const block of content) {
    if (block.type === 'thinking') {
      send('content_block_start', { index, content_block: { type: 'thinking', thinking: '', signature: '' } });
      send('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: block.thinking } });
      send('content_block_delta', { index, delta: { type: 'signature_delta', signature: block.signature } });
    } else if (block.type === 'text') {
      send('content_block_start', { index, content_block: { type: 'text', text: '' } });
      for (const chunk of textOf(reply)) {
        if (reply.hangAfterChunks !== undefined && sentChunks >= reply.hangAfterChunks) return hang(ctx);
        send('content_block_delta', { index, delta: { type: 'text_delta', text: chunk } });
        sentChunks++;
        await sleep(0);
      }
      if (reply.hangAfterChunks !== undefined) return hang(ctx);
    } else if (block.type === 'web_search_tool_result') {
      send('content_block_start', { index, content_block: block });
    } else {
      send('content_block_start', { index, content_block: { ...block, input: {} } });
      send('content_block_delta', {
        index,
        delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) },
      });
    }
    send('content_block_stop', { index });
    index++;
  }
  // The final usage: cumulative totals (input and cache counts repeated, final output count).
  send('message_delta', {
    delta: { stop_reason: stopReason(reply), stop_sequence: null },
    usage: usage
      ? {
          input_tokens: usage.input_tokens,
          cache_creation_input_tokens: usage.cache_creation_input_tokens,
          cache_read_input_tokens: usage.cache_read_input_tokens,
          output_tokens: usage.output_tokens,
          output_tokens_details: usage.output_tokens_details,
          server_tool_use: usage.server_tool_use,
        }
      : { output_tokens: 0 },
  });
  send('message_stop', {});
  res.end();
}

function countTokens(ctx: RouteContext): void {
  const u = usageOf(ctx.reply);
  ctx.res.writeHead(200, { 'content-type': 'application/json' });
  ctx.res.end(JSON.stringify({ input_tokens: u.inputTokens }));
}

export const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

export const anthropic: ProviderWireFormat = {
  name: 'anthropic',
  routes: {
    '/v1/messages/count_tokens': countTokens,
    '/v1/messages': messages,
    ...anthropicBatchRoutes,
    ...anthropicCompletionRoutes,
  },
  sendError(ctx, status) {
    const type = ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
    const requestId = ctx.nextId('req_');
    ctx.res.writeHead(status, { 'content-type': 'application/json', 'request-id': requestId, ...ctx.reply.headers });
    ctx.res.end(
      JSON.stringify({
        type: 'error',
        error: { type, message: ctx.reply.errorMessage ?? (status === 529 ? 'Overloaded' : `simulated ${status}`) },
        request_id: requestId,
      }),
    );
  },
};
