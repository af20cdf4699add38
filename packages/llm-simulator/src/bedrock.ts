import { setTimeout as sleep } from 'node:timers/promises';
import { anthropicUsage } from './anthropic.ts';
import { bedrockAsyncRoutes } from './bedrock-async.ts';
import { requestId, sendBedrockError } from './bedrock-common.ts';
import { chunkMessage, eventMessage } from './bedrock-eventstream.ts';
import { modelReply, modelStream } from './bedrock-models.ts';
import { type ProviderWireFormat, type RouteContext, usageOf } from './provider.ts';
import type { ScriptedReply } from './types.ts';

/**
 * The Amazon Bedrock runtime wire format: `POST /model/{modelId}/converse` (JSON),
 * `/converse-stream` (binary `application/vnd.amazon.eventstream`), `/invoke` and
 * `/invoke-with-response-stream` with Anthropic (Messages API) bodies and the bodies of the families without a
 * usage block (bedrock-models.ts), async invocations and CountTokens (bedrock-async.ts). SigV4-signed requests
 * are accepted with any credentials (the signature is not checked, only that the request is signed).
 * InvokeModel replies carry `x-amzn-bedrock-input-token-count` / `x-amzn-bedrock-output-token-count` headers;
 * InvokeModelWithResponseStream's last chunk carries `amazon-bedrock-invocationMetrics`.
 *
 * Usage mapping from SimUsage (inputTokens = ALL input incl. cache): Bedrock's Converse `inputTokens`
 * EXCLUDES `cacheReadInputTokens` and `cacheWriteInputTokens` (AWS prompt-caching guide:
 * totalTokens = inputTokens + cacheReadInputTokens + cacheWriteInputTokens + outputTokens), so
 * inputTokens = all input - cache reads - cache writes. `cacheDetails` splits writes by TTL.
 */

export function converseUsage(reply: ScriptedReply) {
  const u = usageOf(reply);
  const details = [];
  if (u.cacheWriteTokens - u.cacheWrite1hTokens > 0)
    details.push({ ttl: '5m', inputTokens: u.cacheWriteTokens - u.cacheWrite1hTokens });
  if (u.cacheWrite1hTokens > 0) details.push({ ttl: '1h', inputTokens: u.cacheWrite1hTokens });
  return {
    inputTokens: u.inputTokens - u.cachedTokens - u.cacheWriteTokens,
    outputTokens: u.outputTokens,
    totalTokens: u.inputTokens + u.outputTokens,
    ...(u.cachedTokens ? { cacheReadInputTokens: u.cachedTokens } : {}),
    ...(u.cacheWriteTokens ? { cacheWriteInputTokens: u.cacheWriteTokens } : {}),
    ...(details.length ? { cacheDetails: details } : {}),
  };
}

function modelFromPath(path: string): string {
  const m = /\/model\/([^/]+)\//.exec(path);
  return m ? decodeURIComponent(m[1] ?? '') : 'unknown';
}

function textOf(reply: ScriptedReply): string[] {
  if (Array.isArray(reply.content)) return reply.content;
  return [reply.content ?? 'Hello from the simulator.'];
}

function stopReason(reply: ScriptedReply): string {
  return reply.finishReason ?? (reply.toolCalls?.length ? 'tool_use' : 'end_turn');
}

function hang(ctx: RouteContext): Promise<void> {
  return new Promise((resolve) => {
    ctx.res.on('close', () => resolve());
  });
}

function converse(ctx: RouteContext): void {
  const { reply } = ctx;
  const content: unknown[] = [{ text: textOf(reply).join('') }];
  for (const t of reply.toolCalls ?? []) {
    content.push({
      toolUse: { toolUseId: ctx.nextId('tooluse_'), name: t.name, input: JSON.parse(t.arguments || '{}') },
    });
  }
  ctx.res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': requestId(ctx), ...reply.headers });
  ctx.res.end(
    JSON.stringify({
      output: { message: { role: 'assistant', content } },
      stopReason: stopReason(reply),
      ...(reply.omitUsage ? {} : { usage: converseUsage(reply) }),
      metrics: { latencyMs: 42 },
    }),
  );
}

async function converseStream(ctx: RouteContext): Promise<void> {
  const { reply, res } = ctx;
  res.writeHead(200, {
    'content-type': 'application/vnd.amazon.eventstream',
    'x-amzn-requestid': requestId(ctx),
    ...reply.headers,
  });
  res.write(eventMessage('messageStart', { role: 'assistant' }));
  const chunks = textOf(reply);
  for (let i = 0; i < chunks.length; i++) {
    if (reply.hangAfterChunks !== undefined && i >= reply.hangAfterChunks) return hang(ctx);
    res.write(eventMessage('contentBlockDelta', { contentBlockIndex: 0, delta: { text: chunks[i] } }));
    await sleep(0);
  }
  if (reply.hangAfterChunks !== undefined) return hang(ctx);
  res.write(eventMessage('contentBlockStop', { contentBlockIndex: 0 }));
  (reply.toolCalls ?? []).forEach((t, i) => {
    const index = i + 1;
    res.write(
      eventMessage('contentBlockStart', {
        contentBlockIndex: index,
        start: { toolUse: { toolUseId: ctx.nextId('tooluse_'), name: t.name } },
      }),
    );
    res.write(
      eventMessage('contentBlockDelta', { contentBlockIndex: index, delta: { toolUse: { input: t.arguments } } }),
    );
    res.write(eventMessage('contentBlockStop', { contentBlockIndex: index }));
  });
  res.write(eventMessage('messageStop', { stopReason: stopReason(reply) }));
  if (!reply.omitUsage)
    res.write(eventMessage('metadata', { usage: converseUsage(reply), metrics: { latencyMs: 42 } }));
  res.end();
}

/** The Anthropic Messages body Bedrock returns for InvokeModel with `anthropic_version: bedrock-2023-05-31`. */
function anthropicMessage(ctx: RouteContext) {
  const { reply } = ctx;
  const content: unknown[] = [{ type: 'text', text: textOf(reply).join('') }];
  for (const t of reply.toolCalls ?? []) {
    content.push({
      type: 'tool_use',
      id: ctx.nextId('toolu_bdrk_'),
      name: t.name,
      input: JSON.parse(t.arguments || '{}'),
    });
  }
  const usage = anthropicUsage(reply);
  return {
    id: ctx.nextId('msg_bdrk_'),
    type: 'message',
    role: 'assistant',
    model: reply.model ?? modelFromPath(ctx.request.path),
    content,
    stop_reason: stopReason(reply),
    stop_sequence: null,
    usage: {
      input_tokens: usage.input_tokens,
      cache_creation_input_tokens: usage.cache_creation_input_tokens,
      cache_read_input_tokens: usage.cache_read_input_tokens,
      cache_creation: usage.cache_creation,
      output_tokens: usage.output_tokens,
    },
  };
}

function isAnthropicBody(ctx: RouteContext): boolean {
  return typeof ctx.request.body?.anthropic_version === 'string';
}

/** The InvokeModel reply: the model's body and the token counts Bedrock reports in its headers. */
function invokeReply(ctx: RouteContext) {
  if (!isAnthropicBody(ctx)) {
    return modelReply(modelFromPath(ctx.request.path), ctx.request.body, ctx.reply, () => ctx.nextId(''));
  }
  const body = anthropicMessage(ctx);
  return { body, inputTokens: body.usage.input_tokens, outputTokens: body.usage.output_tokens };
}

function invoke(ctx: RouteContext): void {
  const reply = invokeReply(ctx);
  if (!reply) {
    sendBedrockError(ctx, 400);
    return;
  }
  ctx.res.writeHead(200, {
    'content-type': 'application/json',
    'x-amzn-requestid': requestId(ctx),
    'x-amzn-bedrock-invocation-latency': '42',
    'x-amzn-bedrock-input-token-count': String(reply.inputTokens),
    'x-amzn-bedrock-output-token-count': String(reply.outputTokens),
    ...ctx.reply.headers,
  });
  ctx.res.end(JSON.stringify(reply.body));
}

/** The events of an Anthropic Messages stream (each one a `chunk`); the last gets the invocation metrics. */
function anthropicStream(ctx: RouteContext) {
  const message = anthropicMessage(ctx);
  const u = message.usage;
  const chunks: unknown[] = [
    {
      type: 'message_start',
      message: { ...message, content: [], stop_reason: null, usage: { ...u, output_tokens: 1 } },
    },
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    ...textOf(ctx.reply).map((text) => ({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text },
    })),
  ];
  const tail: unknown[] = [
    { type: 'content_block_stop', index: 0 },
    {
      type: 'message_delta',
      delta: { stop_reason: stopReason(ctx.reply), stop_sequence: null },
      usage: { output_tokens: u.output_tokens },
    },
  ];
  return {
    chunks,
    tail,
    last: { type: 'message_stop' },
    metrics: {
      inputTokenCount: u.input_tokens,
      outputTokenCount: u.output_tokens,
      ...(u.cache_read_input_tokens ? { cacheReadInputTokenCount: u.cache_read_input_tokens } : {}),
      ...(u.cache_creation_input_tokens ? { cacheWriteInputTokenCount: u.cache_creation_input_tokens } : {}),
    },
  };
}

function streamEvents(ctx: RouteContext) {
  if (isAnthropicBody(ctx)) return anthropicStream(ctx);
  const s = modelStream(modelFromPath(ctx.request.path), ctx.request.body, ctx.reply, () => ctx.nextId(''));
  if (!s) return undefined;
  return {
    chunks: s.chunks,
    tail: [],
    last: s.last,
    metrics: { inputTokenCount: s.inputTokens, outputTokenCount: s.outputTokens },
  };
}

async function invokeWithResponseStream(ctx: RouteContext): Promise<void> {
  const { reply, res } = ctx;
  const events = streamEvents(ctx);
  if (!events) {
    sendBedrockError(ctx, 400);
    return;
  }
  res.writeHead(200, {
    'content-type': 'application/vnd.amazon.eventstream',
    'x-amzn-requestid': requestId(ctx),
    ...reply.headers,
  });
  // Anthropic streams open with two events before their content; the other families' chunks are all content.
  const lead = isAnthropicBody(ctx) ? 2 : 0;
  for (let i = 0; i < events.chunks.length; i++) {
    if (reply.hangAfterChunks !== undefined && i >= lead + reply.hangAfterChunks) return hang(ctx);
    res.write(chunkMessage(events.chunks[i]));
    await sleep(0);
  }
  if (reply.hangAfterChunks !== undefined) return hang(ctx);
  for (const event of events.tail) res.write(chunkMessage(event));
  res.write(
    chunkMessage({
      ...events.last,
      'amazon-bedrock-invocationMetrics': { ...events.metrics, invocationLatency: 42, firstByteLatency: 7 },
    }),
  );
  res.end();
}

export const bedrock: ProviderWireFormat = {
  name: 'bedrock',
  routes: {
    '/converse-stream': converseStream,
    '/converse': converse,
    '/invoke-with-response-stream': invokeWithResponseStream,
    '/invoke': invoke,
    ...bedrockAsyncRoutes,
  },
  sendError: (ctx, status) => sendBedrockError(ctx, status),
};
