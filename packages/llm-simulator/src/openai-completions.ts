import { setTimeout as sleep } from 'node:timers/promises';
import { type RouteContext, usageOf } from './provider.ts';
import { startSse, writeSse } from './sse.ts';

/**
 * The legacy Completions API (`/completions`: gpt-3.5-turbo-instruct, davinci-002, babbage-002): `text_completion`
 * objects with `choices[].text` and a `usage` of prompt/completion tokens (openai-node Completion, CompletionUsage).
 * A stream sends the same objects as chunks; with `stream_options.include_usage` every chunk has `usage: null` and a
 * last chunk with no choices carries the usage, then `[DONE]`.
 */
export async function completions(ctx: RouteContext): Promise<void> {
  const { reply, res } = ctx;
  const body = ctx.request.body ?? {};
  const u = usageOf(reply);
  const usage = {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
  };
  const base = {
    id: ctx.nextId('cmpl-'),
    object: 'text_completion',
    created: Math.floor(Date.now() / 1000),
    model: reply.model ?? body.model ?? 'gpt-3.5-turbo-instruct',
    system_fingerprint: null,
  };
  const chunks = Array.isArray(reply.content) ? reply.content : [reply.content ?? ' Hello from the simulator.'];
  const finish = reply.finishReason ?? 'stop';
  const headers = { 'x-request-id': ctx.nextId('req_'), ...reply.headers };
  const choice = (text: string, finishReason: string | null) => ({
    text,
    index: 0,
    logprobs: null,
    finish_reason: finishReason,
  });
  if (!body.stream) {
    res.writeHead(200, { 'content-type': 'application/json', ...headers });
    res.end(
      JSON.stringify({ ...base, choices: [choice(chunks.join(''), finish)], ...(reply.omitUsage ? {} : { usage }) }),
    );
    return;
  }
  const includeUsage = body.stream_options?.include_usage === true && !reply.omitUsage;
  const extra = includeUsage ? { usage: null } : {};
  startSse(res, headers);
  for (let i = 0; i < chunks.length; i++) {
    if (reply.hangAfterChunks !== undefined && i >= reply.hangAfterChunks) {
      return new Promise((resolve) => res.on('close', () => resolve()));
    }
    writeSse(res, { ...base, choices: [choice(chunks[i]!, null)], ...extra });
    await sleep(0);
  }
  writeSse(res, { ...base, choices: [choice('', finish)], ...extra });
  if (includeUsage) writeSse(res, { ...base, choices: [], usage });
  writeSse(res, '[DONE]');
  res.end();
}
