import { setTimeout as sleep } from 'node:timers/promises';
import { textOf } from './anthropic-message.ts';
import type { RouteContext } from './provider.ts';
import { startSse, writeSse } from './sse.ts';

/**
 * The legacy Anthropic Text Completions API (`POST /v1/complete`, SDK `completions.create`, removed from the SDK
 * in 1.x). Its wire format has NO usage block: a Completion is `{ type, id, completion, stop_reason, model,
 * stop, log_id }`; a stream is `completion` events (each with the next text and, last, the stop reason) and
 * `ping`s. The ledger records nothing (no token counts to bill in the simulator's report).
 */

function completion(ctx: RouteContext): Promise<void> | void {
  const { reply, res } = ctx;
  const body = ctx.request.body ?? {};
  const id = ctx.nextId('compl_');
  const model = reply.model ?? body.model ?? 'unknown';
  const stopReason = reply.finishReason ?? 'stop_sequence';
  const headers = { 'request-id': ctx.nextId('req_'), ...reply.headers };
  const chunks = textOf(reply);
  if (!body.stream) {
    res.writeHead(200, { 'content-type': 'application/json', ...headers });
    res.end(
      JSON.stringify({
        type: 'completion',
        id,
        completion: chunks.join(''),
        stop_reason: stopReason,
        model,
        stop: stopReason === 'stop_sequence' ? '\n\nHuman:' : null,
        log_id: id,
      }),
    );
    return;
  }
  return stream(ctx, headers, { id, model, stopReason, chunks });
}

async function stream(
  ctx: RouteContext,
  headers: Record<string, string>,
  c: { id: string; model: string; stopReason: string; chunks: string[] },
): Promise<void> {
  const { res } = ctx;
  startSse(res, headers);
  c.chunks.forEach((text, i) => {
    const last = i === c.chunks.length - 1;
    const event = {
      type: 'completion',
      id: c.id,
      completion: text,
      stop_reason: last ? c.stopReason : null,
      model: c.model,
    };
    writeSse(res, event, 'completion');
    if (i === 0) writeSse(res, { type: 'ping' }, 'ping');
  });
  await sleep(0);
  res.end();
}

export const anthropicCompletionRoutes: Record<string, (ctx: RouteContext) => Promise<void> | void> = {
  '/v1/complete': completion,
};
