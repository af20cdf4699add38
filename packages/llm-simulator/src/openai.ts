import { setTimeout as sleep } from 'node:timers/promises';
import { openaiAudioRoutes } from './openai-audio.ts';
import { batchRoutes } from './openai-batch.ts';
import { completions } from './openai-completions.ts';
import { type ProviderWireFormat, type RouteContext, usageOf } from './provider.ts';
import { startSse, writeSse } from './sse.ts';
import type { RecordedRequest, ScriptedReply } from './types.ts';

/** The OpenAI wire format (also spoken by Azure OpenAI, OpenRouter, Groq, DeepSeek, ...). */

function chunksOf(reply: ScriptedReply): string[] {
  if (Array.isArray(reply.content)) return reply.content;
  return [reply.content ?? 'Hello from the simulator.'];
}

/** The request asks for audio output (`modalities: ['text', 'audio']`, or an `audio` voice/format). */
function wantsAudio(body: RecordedRequest['body']): boolean {
  return (
    (Array.isArray(body?.modalities) && body.modalities.includes('audio')) ||
    (body?.audio != null && typeof body.audio === 'object')
  );
}

/** The request sends audio (a message content part of type `input_audio`). */
function sendsAudio(body: RecordedRequest['body']): boolean {
  const messages: unknown[] = Array.isArray(body?.messages) ? body.messages : [];
  return messages.some(
    (m) =>
      Array.isArray((m as { content?: unknown })?.content) &&
      ((m as { content: unknown[] }).content as { type?: unknown }[]).some((p) => p?.type === 'input_audio'),
  );
}

/**
 * The modality parts of a reply's usage: scripted counts win; without them, a request that sends input_audio
 * gets all its input tokens as audio, and one that asks for audio output all its output tokens as audio.
 */
function modalities(ctx: RouteContext) {
  const u = usageOf(ctx.reply);
  const scripted = ctx.reply.usage ?? {};
  const body = ctx.request.body;
  return {
    ...u,
    inputAudioTokens: scripted.inputAudioTokens ?? (sendsAudio(body) ? u.inputTokens : 0),
    outputAudioTokens: scripted.outputAudioTokens ?? (wantsAudio(body) ? u.outputTokens : 0),
  };
}

function chatUsage(ctx: RouteContext) {
  const { reply } = ctx;
  const u = modalities(ctx);
  return {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    prompt_tokens_details: {
      cached_tokens: u.cachedTokens,
      ...(u.cacheWriteTokens ? { cache_write_tokens: u.cacheWriteTokens } : {}),
      audio_tokens: u.inputAudioTokens,
      ...(u.inputImageTokens ? { image_tokens: u.inputImageTokens } : {}),
      ...(u.cachedAudioTokens ? { cached_tokens_details: { audio_tokens: u.cachedAudioTokens } } : {}),
    },
    completion_tokens_details: {
      reasoning_tokens: u.reasoningTokens,
      audio_tokens: u.outputAudioTokens,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
      ...(u.outputAudioTokens ? { text_tokens: u.outputTokens - u.outputAudioTokens } : {}),
    },
    ...(reply.cost !== undefined ? { cost: reply.cost } : {}),
  };
}

function responsesUsage(ctx: RouteContext) {
  const { reply } = ctx;
  const u = usageOf(reply);
  return {
    input_tokens: u.inputTokens,
    input_tokens_details: {
      cached_tokens: u.cachedTokens,
      ...(u.cacheWriteTokens ? { cache_write_tokens: u.cacheWriteTokens } : {}),
      ...(u.inputImageTokens ? { image_tokens: u.inputImageTokens } : {}),
      ...(u.inputAudioTokens ? { audio_tokens: u.inputAudioTokens } : {}),
    },
    output_tokens: u.outputTokens,
    output_tokens_details: { reasoning_tokens: u.reasoningTokens },
    total_tokens: u.inputTokens + u.outputTokens,
    ...(reply.cost !== undefined ? { cost: reply.cost } : {}),
  };
}

/** What the request asked for (`auto` when it did not say): the Responses API echoes it until completion. */
function requestedTier(ctx: RouteContext): string {
  const tier = ctx.request.body?.service_tier;
  return typeof tier === 'string' && tier !== '' ? tier : 'auto';
}

/**
 * The tier that served the request, as OpenAI reports it: a scripted `serviceTier` wins; otherwise `auto` (or
 * no tier) is served `default`, `fast` is reported as `priority` (as the API does), others as asked.
 */
function servedTier(ctx: RouteContext): string {
  if (ctx.reply.serviceTier) return ctx.reply.serviceTier;
  const requested = requestedTier(ctx);
  if (requested === 'auto') return 'default';
  if (requested === 'fast') return 'priority';
  return requested;
}

function modelOf(ctx: RouteContext): string {
  return ctx.reply.model ?? ctx.request.body?.model ?? 'unknown';
}

function finishReason(reply: ScriptedReply): string {
  return reply.finishReason ?? (reply.toolCalls?.length ? 'tool_calls' : 'stop');
}

function toolCalls(reply: ScriptedReply, ids: RouteContext['nextId']) {
  return reply.toolCalls?.map((t) => ({
    id: ids('call_'),
    type: 'function',
    function: { name: t.name, arguments: t.arguments },
  }));
}

/** Keeps the response open until the client goes away (for abort tests). */
function hang(ctx: RouteContext): Promise<void> {
  return new Promise((resolve) => {
    ctx.res.on('close', () => resolve());
  });
}

/** Cuts the connection mid-response (after flushing what was written). */
async function destroy(ctx: RouteContext): Promise<void> {
  await sleep(5);
  ctx.res.socket?.destroy();
}

/** A chat completion (not streamed): also the body of a batch line (openai-batch.ts). */
function chatCompletionBody(
  ctx: RouteContext,
  id = ctx.nextId('chatcmpl-'),
  created = Math.floor(Date.now() / 1000),
  calls = toolCalls(ctx.reply, ctx.nextId),
) {
  const { reply } = ctx;
  const body = ctx.request.body ?? {};
  const text = chunksOf(reply).join('');
  // Audio output: the spoken reply is `message.audio` (its transcript the text), content is null.
  const audio = wantsAudio(body)
    ? {
        id: ctx.nextId('audio_'),
        data: Buffer.from('not really audio').toString('base64'),
        expires_at: created + 3600,
        transcript: text,
      }
    : undefined;
  const message = {
    role: 'assistant',
    content: calls || audio ? null : text,
    refusal: null,
    ...(calls ? { tool_calls: calls } : {}),
    ...(audio ? { audio } : {}),
  };
  return {
    id,
    object: 'chat.completion',
    created,
    model: modelOf(ctx),
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason(reply) }],
    ...(reply.omitUsage ? {} : { usage: chatUsage(ctx) }),
    service_tier: servedTier(ctx),
    system_fingerprint: 'fp_sim',
  };
}

async function chatCompletions(ctx: RouteContext): Promise<void> {
  const { reply, res } = ctx;
  const body = ctx.request.body ?? {};
  const id = ctx.nextId('chatcmpl-');
  const created = Math.floor(Date.now() / 1000);
  const model = modelOf(ctx);
  const calls = toolCalls(reply, ctx.nextId);
  const headers = { 'x-request-id': ctx.nextId('req_'), ...reply.headers };
  const billed = modalities(ctx);
  ctx.ledger.recordOpenAI(ctx.req.headers, 'chat.completions', model, servedTier(ctx), {
    inputTokens: billed.inputTokens,
    cachedTokens: billed.cachedTokens,
    cacheWriteTokens: billed.cacheWriteTokens,
    outputTokens: billed.outputTokens,
    inputAudioTokens: billed.inputAudioTokens,
    outputAudioTokens: billed.outputAudioTokens,
  });
  if (!body.stream) {
    res.writeHead(200, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(chatCompletionBody(ctx, id, created, calls)));
    return;
  }
  const includeUsage = body.stream_options?.include_usage === true && !reply.omitUsage;
  // Every chunk carries the served tier, the usage-only chunk too.
  const base = {
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    service_tier: servedTier(ctx),
    system_fingerprint: 'fp_sim',
  };
  const extra = includeUsage ? { usage: null } : {};
  startSse(res, headers);
  writeSse(res, {
    ...base,
    choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }],
    ...extra,
  });
  const chunks = chunksOf(reply);
  for (let i = 0; i < chunks.length; i++) {
    if (reply.hangAfterChunks !== undefined && i >= reply.hangAfterChunks) return hang(ctx);
    if (reply.destroyAfterChunks !== undefined && i >= reply.destroyAfterChunks) return destroy(ctx);
    writeSse(res, {
      ...base,
      choices: [{ index: 0, delta: { content: chunks[i] }, logprobs: null, finish_reason: null }],
      ...extra,
    });
    await sleep(0);
  }
  if (reply.hangAfterChunks !== undefined) return hang(ctx);
  calls?.forEach((call, index) => {
    writeSse(res, {
      ...base,
      choices: [{ index: 0, delta: { tool_calls: [{ index, ...call }] }, logprobs: null, finish_reason: null }],
      ...extra,
    });
  });
  writeSse(res, {
    ...base,
    choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: finishReason(reply) }],
    ...extra,
  });
  if (includeUsage) writeSse(res, { ...base, choices: [], usage: chatUsage(ctx) });
  writeSse(res, '[DONE]');
  res.end();
}

/**
 * The web_search_call output items of a request that offers a web search tool: one per scripted tool call named
 * `web_search` (its arguments are the query), else one.
 */
function webSearchCalls(ctx: RouteContext, id: string) {
  const tools: { type?: unknown }[] = Array.isArray(ctx.request.body?.tools) ? ctx.request.body.tools : [];
  if (!tools.some((t) => typeof t?.type === 'string' && t.type.startsWith('web_search'))) return [];
  const scripted = ctx.reply.toolCalls?.filter((t) => t.name === 'web_search').map((t) => t.arguments) ?? [];
  const queries = scripted.length ? scripted : ['simulated search'];
  return queries.map((query, i) => ({
    type: 'web_search_call',
    id: `ws_${id}_${i}`,
    status: 'completed',
    action: { type: 'search', query },
  }));
}

function responseObject(ctx: RouteContext, id: string, status: string, withUsage: boolean) {
  const text = chunksOf(ctx.reply).join('');
  const output =
    status === 'completed'
      ? [
          ...webSearchCalls(ctx, id),
          {
            type: 'message',
            id: `msg_${id}`,
            status: 'completed',
            role: 'assistant',
            content: [{ type: 'output_text', text, annotations: [] }],
          },
        ]
      : [];
  return {
    id,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status,
    error: null,
    incomplete_details: null,
    model: modelOf(ctx),
    background: ctx.request.body?.background === true,
    output,
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: [],
    // Until it completes, a response echoes the requested tier (`auto`); then it has the served one.
    service_tier: status === 'completed' ? servedTier(ctx) : requestedTier(ctx),
    usage: withUsage && !ctx.reply.omitUsage ? responsesUsage(ctx) : null,
  };
}

async function responses(ctx: RouteContext): Promise<void> {
  const { reply, res } = ctx;
  const id = ctx.nextId('resp_');
  const headers = { 'x-request-id': ctx.nextId('req_'), ...reply.headers };
  const billed = usageOf(reply);
  ctx.ledger.recordOpenAI(ctx.req.headers, 'responses', modelOf(ctx), servedTier(ctx), {
    inputTokens: billed.inputTokens,
    cachedTokens: billed.cachedTokens,
    cacheWriteTokens: billed.cacheWriteTokens,
    outputTokens: billed.outputTokens,
    inputAudioTokens: billed.inputAudioTokens,
    outputAudioTokens: 0,
  });
  // Background mode: queued now, without usage; GET /responses/{id} reports it running, then completed.
  const background = ctx.request.body?.background === true;
  if (background) ctx.state.set(`openai.response:${id}`, { request: ctx.request, reply, polls: 0 });
  if (!ctx.request.body?.stream) {
    res.writeHead(200, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(responseObject(ctx, id, background ? 'queued' : 'completed', !background)));
    return;
  }
  return streamResponse(ctx, id, headers, -1);
}

interface StoredResponse {
  request: RecordedRequest;
  reply: ScriptedReply;
  polls: number;
}

/** GET /responses/{id} of a background response: in_progress at the first poll, then completed; `stream=true` replays its events. */
async function retrieveResponse(ctx: RouteContext): Promise<void> {
  const id = ctx.params.id!;
  const stored = ctx.state.get(`openai.response:${id}`) as StoredResponse | undefined;
  if (!stored) {
    ctx.res.writeHead(404, { 'content-type': 'application/json' });
    const error = {
      message: `No response found with id '${id}'.`,
      type: 'invalid_request_error',
      param: null,
      code: null,
    };
    ctx.res.end(JSON.stringify({ error }));
    return;
  }
  const at = { ...ctx, request: stored.request, reply: stored.reply };
  const headers = { 'x-request-id': ctx.nextId('req_'), ...stored.reply.headers };
  if (ctx.query.get('stream') === 'true') {
    return streamResponse(at, id, headers, Number(ctx.query.get('starting_after') ?? -1));
  }
  const done = ++stored.polls > 1;
  ctx.res.writeHead(200, { 'content-type': 'application/json', ...headers });
  ctx.res.end(JSON.stringify(responseObject(at, id, done ? 'completed' : 'in_progress', done)));
}

/** The SSE events of a response; events up to `startingAfter` (a resumed stream) are skipped. */
async function streamResponse(
  ctx: RouteContext,
  id: string,
  headers: Record<string, string>,
  startingAfter: number,
): Promise<void> {
  const { reply, res } = ctx;
  startSse(res, headers);
  let seq = 0;
  const send = (type: string, data: Record<string, unknown>) => {
    const n = seq++;
    if (n > startingAfter) writeSse(res, { type, sequence_number: n, ...data }, type);
  };
  send('response.created', { response: responseObject(ctx, id, 'in_progress', false) });
  send('response.in_progress', { response: responseObject(ctx, id, 'in_progress', false) });
  const itemId = `msg_${id}`;
  const chunks = chunksOf(reply);
  const item = { type: 'message', id: itemId, status: 'in_progress', role: 'assistant', content: [] };
  send('response.output_item.added', { output_index: 0, item });
  const part = { type: 'output_text', text: '', annotations: [] };
  send('response.content_part.added', { item_id: itemId, output_index: 0, content_index: 0, part });
  for (let i = 0; i < chunks.length; i++) {
    if (reply.hangAfterChunks !== undefined && i >= reply.hangAfterChunks) return hang(ctx);
    if (reply.destroyAfterChunks !== undefined && i >= reply.destroyAfterChunks) return destroy(ctx);
    send('response.output_text.delta', { item_id: itemId, output_index: 0, content_index: 0, delta: chunks[i] });
    await sleep(0);
  }
  if (reply.hangAfterChunks !== undefined) return hang(ctx);
  const text = chunks.join('');
  send('response.output_text.done', { item_id: itemId, output_index: 0, content_index: 0, text });
  send('response.content_part.done', {
    item_id: itemId,
    output_index: 0,
    content_index: 0,
    part: { ...part, text },
  });
  send('response.output_item.done', {
    output_index: 0,
    item: { ...item, status: 'completed', content: [{ ...part, text }] },
  });
  send('response.completed', { response: responseObject(ctx, id, 'completed', true) });
  res.end();
}

function embeddings(ctx: RouteContext): void {
  const u = usageOf(ctx.reply);
  ctx.ledger.recordOpenAI(ctx.req.headers, 'embeddings', modelOf(ctx), 'default', {
    inputTokens: u.inputTokens,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 0,
    inputAudioTokens: 0,
    outputAudioTokens: 0,
  });
  ctx.res.writeHead(200, { 'content-type': 'application/json', ...ctx.reply.headers });
  ctx.res.end(JSON.stringify(embeddingsBody(ctx)));
}

function embeddingsBody(ctx: RouteContext) {
  const body = ctx.request.body ?? {};
  const inputs: unknown[] = Array.isArray(body.input) ? body.input : [body.input];
  const dims = 4;
  const data = inputs.map((_, index) => {
    const vector = Array.from({ length: dims }, (_v, i) => (index + 1) / (i + 2));
    const embedding =
      body.encoding_format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
    return { object: 'embedding', index, embedding };
  });
  const u = usageOf(ctx.reply);
  return {
    object: 'list',
    data,
    model: modelOf(ctx),
    ...(ctx.reply.omitUsage
      ? {}
      : {
          usage: {
            prompt_tokens: u.inputTokens,
            total_tokens: u.inputTokens,
            ...(ctx.reply.cost !== undefined ? { cost: ctx.reply.cost } : {}),
          },
        }),
  };
}

function images(ctx: RouteContext): void {
  const body = ctx.request.body ?? {};
  const u = usageOf(ctx.reply);
  // JSON sends n as a number; multipart (edits, variations) as text.
  const n = Number(body.n) > 0 ? Number(body.n) : 1;
  ctx.res.writeHead(200, { 'content-type': 'application/json', ...ctx.reply.headers });
  ctx.res.end(
    JSON.stringify({
      created: Math.floor(Date.now() / 1000),
      data: Array.from({ length: n }, () => ({ b64_json: Buffer.from('not really a png').toString('base64') })),
      ...(ctx.reply.omitUsage
        ? {}
        : {
            usage: {
              input_tokens: u.inputTokens,
              output_tokens: u.outputTokens,
              total_tokens: u.inputTokens + u.outputTokens,
              input_tokens_details: {
                text_tokens: u.inputTokens - u.inputImageTokens,
                image_tokens: u.inputImageTokens,
              },
              // The output breakdown only when scripted (gpt-image-1 reports output_tokens alone: all image).
              ...(ctx.reply.usage?.outputImageTokens !== undefined
                ? {
                    output_tokens_details: {
                      image_tokens: u.outputImageTokens,
                      text_tokens: u.outputTokens - u.outputImageTokens,
                    },
                  }
                : {}),
            },
          }),
    }),
  );
}

export const openai: ProviderWireFormat = {
  name: 'openai',
  routes: {
    '/chat/completions': chatCompletions,
    '/responses': responses,
    'GET /responses/{id}': retrieveResponse,
    '/embeddings': embeddings,
    '/images/generations': images,
    '/images/edits': images,
    '/images/variations': images,
    '/completions': completions,
    ...openaiAudioRoutes,
    ...batchRoutes({
      chat: chatCompletionBody,
      responses: (ctx) => responseObject(ctx, ctx.nextId('resp_'), 'completed', true),
      embeddings: embeddingsBody,
    }),
  },
  sendError(ctx, status) {
    const type = status === 429 ? 'rate_limit_error' : status >= 500 ? 'server_error' : 'invalid_request_error';
    ctx.res.writeHead(status, { 'content-type': 'application/json', ...ctx.reply.headers });
    ctx.res.end(
      JSON.stringify({
        error: { message: ctx.reply.errorMessage ?? `simulated ${status}`, type, param: null, code: type },
      }),
    );
  },
};
