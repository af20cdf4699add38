import { setTimeout as sleep } from 'node:timers/promises';
import { crc32 } from 'node:zlib';
import { anthropicUsage } from './anthropic.ts';
import { type ProviderWireFormat, type RouteContext, usageOf } from './provider.ts';
import type { ScriptedReply } from './types.ts';

/**
 * The Amazon Bedrock runtime wire format: `POST /model/{modelId}/converse` (JSON),
 * `/converse-stream` (binary `application/vnd.amazon.eventstream`), `/invoke` and
 * `/invoke-with-response-stream` with Anthropic (Messages API) bodies. SigV4-signed requests are
 * accepted with any credentials (the signature is not checked, only that the request is signed).
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

// --- application/vnd.amazon.eventstream framing -------------------------------------------------
// message = prelude (total length u32, headers length u32, prelude CRC32 u32) + headers + payload +
// message CRC32 (u32, over everything before it). Header: name length u8, name, type u8 (7 = string),
// value length u16, value.

function encodeHeaders(headers: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const n = Buffer.from(name, 'utf8');
    const v = Buffer.from(value, 'utf8');
    const h = Buffer.alloc(1 + n.length + 1 + 2 + v.length);
    h.writeUInt8(n.length, 0);
    n.copy(h, 1);
    h.writeUInt8(7, 1 + n.length);
    h.writeUInt16BE(v.length, 2 + n.length);
    v.copy(h, 4 + n.length);
    parts.push(h);
  }
  return Buffer.concat(parts);
}

export function encodeEventStreamMessage(headers: Record<string, string>, payload: Uint8Array): Buffer {
  const h = encodeHeaders(headers);
  const total = 12 + h.length + payload.length + 4;
  const out = Buffer.alloc(total);
  out.writeUInt32BE(total, 0);
  out.writeUInt32BE(h.length, 4);
  out.writeUInt32BE(crc32(out.subarray(0, 8)), 8);
  h.copy(out, 12);
  Buffer.from(payload).copy(out, 12 + h.length);
  out.writeUInt32BE(crc32(out.subarray(0, total - 4)), total - 4);
  return out;
}

function eventMessage(eventType: string, body: unknown): Buffer {
  return encodeEventStreamMessage(
    { ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' },
    Buffer.from(JSON.stringify(body), 'utf8'),
  );
}

// -------------------------------------------------------------------------------------------------

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

function requestId(ctx: RouteContext): string {
  return ctx.nextId('bedrock-req-');
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

function invoke(ctx: RouteContext): void {
  const { reply } = ctx;
  if (!isAnthropicBody(ctx)) {
    bedrock.sendError(ctx, 400);
    return;
  }
  const message = anthropicMessage(ctx);
  ctx.res.writeHead(200, {
    'content-type': 'application/json',
    'x-amzn-requestid': requestId(ctx),
    'x-amzn-bedrock-input-token-count': String(message.usage.input_tokens),
    'x-amzn-bedrock-output-token-count': String(message.usage.output_tokens),
    ...reply.headers,
  });
  ctx.res.end(JSON.stringify(message));
}

async function invokeWithResponseStream(ctx: RouteContext): Promise<void> {
  const { reply, res } = ctx;
  if (!isAnthropicBody(ctx)) {
    bedrock.sendError(ctx, 400);
    return;
  }
  const message = anthropicMessage(ctx);
  const u = message.usage;
  res.writeHead(200, {
    'content-type': 'application/vnd.amazon.eventstream',
    'x-amzn-requestid': requestId(ctx),
    ...reply.headers,
  });
  const chunk = (event: Record<string, unknown>) =>
    res.write(eventMessage('chunk', { bytes: Buffer.from(JSON.stringify(event)).toString('base64') }));
  chunk({
    type: 'message_start',
    message: { ...message, content: [], stop_reason: null, usage: { ...u, output_tokens: 1 } },
  });
  chunk({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
  const chunks = textOf(reply);
  for (let i = 0; i < chunks.length; i++) {
    if (reply.hangAfterChunks !== undefined && i >= reply.hangAfterChunks) return hang(ctx);
    chunk({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: chunks[i] } });
    await sleep(0);
  }
  chunk({ type: 'content_block_stop', index: 0 });
  chunk({
    type: 'message_delta',
    delta: { stop_reason: stopReason(reply), stop_sequence: null },
    usage: { output_tokens: u.output_tokens },
  });
  chunk({
    type: 'message_stop',
    'amazon-bedrock-invocationMetrics': {
      inputTokenCount: u.input_tokens,
      outputTokenCount: u.output_tokens,
      invocationLatency: 42,
      firstByteLatency: 7,
      ...(u.cache_read_input_tokens ? { cacheReadInputTokenCount: u.cache_read_input_tokens } : {}),
      ...(u.cache_creation_input_tokens ? { cacheWriteInputTokenCount: u.cache_creation_input_tokens } : {}),
    },
  });
  res.end();
}

const ERRORS: Record<number, string> = {
  400: 'ValidationException',
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  408: 'ModelTimeoutException',
  424: 'ModelErrorException',
  429: 'ThrottlingException',
  500: 'InternalServerException',
  503: 'ServiceUnavailableException',
};

export const bedrock: ProviderWireFormat = {
  name: 'bedrock',
  routes: {
    '/converse-stream': converseStream,
    '/converse': converse,
    '/invoke-with-response-stream': invokeWithResponseStream,
    '/invoke': invoke,
  },
  sendError(ctx, status) {
    const type = ERRORS[status] ?? (status >= 500 ? 'InternalServerException' : 'ValidationException');
    ctx.res.writeHead(status, {
      'content-type': 'application/json',
      'x-amzn-requestid': requestId(ctx),
      'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
      ...ctx.reply.headers,
    });
    ctx.res.end(JSON.stringify({ message: ctx.reply.errorMessage ?? `simulated ${status}` }));
  },
};
