import { setTimeout as sleep } from 'node:timers/promises';
import { geminiJobRoutes } from './gemini-jobs.ts';
import { type ProviderWireFormat, type RouteContext, usageOf } from './provider.ts';
import { startSse } from './sse.ts';
import type { ScriptedReply } from './types.ts';

/**
 * The Google Gemini API wire format (generativelanguage `v1beta/models/{model}:generateContent`,
 * `:streamGenerateContent?alt=sse`, `:batchEmbedContents`, `:embedContent`), which Vertex AI's
 * `publishers/google/models/{model}:...` paths share.
 *
 * Usage mapping from SimUsage (inputTokens = ALL input incl. cached; outputTokens = ALL output incl.
 * reasoning): `promptTokenCount` = inputTokens (it includes `cachedContentTokenCount`);
 * `candidatesTokenCount` EXCLUDES `thoughtsTokenCount`, so candidates = outputTokens - reasoningTokens.
 */

/** A per-modality breakdown (ModalityTokenCount list): TEXT is what the other modalities leave; zero entries are left out. */
function details(total: number, parts: Record<string, number>) {
  const text = total - Object.values(parts).reduce((a, b) => a + b, 0);
  return [
    ...(text > 0 ? [{ modality: 'TEXT', tokenCount: text }] : []),
    ...Object.entries(parts)
      .filter(([, n]) => n > 0)
      .map(([modality, tokenCount]) => ({ modality, tokenCount })),
  ];
}

export function geminiUsage(reply: ScriptedReply) {
  const u = usageOf(reply);
  const candidates = u.outputTokens - u.reasoningTokens;
  return {
    promptTokenCount: u.inputTokens,
    candidatesTokenCount: candidates,
    totalTokenCount: u.inputTokens + u.outputTokens,
    ...(u.cachedTokens ? { cachedContentTokenCount: u.cachedTokens } : {}),
    ...(u.reasoningTokens ? { thoughtsTokenCount: u.reasoningTokens } : {}),
    promptTokensDetails: details(u.inputTokens, {
      IMAGE: u.inputImageTokens,
      VIDEO: u.inputVideoTokens,
      AUDIO: u.inputAudioTokens,
    }),
    ...(u.cachedTokens ? { cacheTokensDetails: details(u.cachedTokens, { AUDIO: u.cachedAudioTokens }) } : {}),
    // Thoughts are not candidates: the breakdown covers candidatesTokenCount only.
    ...(u.outputImageTokens || u.outputAudioTokens
      ? {
          candidatesTokensDetails: details(candidates, { IMAGE: u.outputImageTokens, AUDIO: u.outputAudioTokens }),
        }
      : {}),
    ...(reply.serviceTier ? { serviceTier: reply.serviceTier } : {}),
    ...(reply.trafficType ? { trafficType: reply.trafficType } : {}),
  };
}

/** `models/gemini-2.5-pro:generateContent` (or a Vertex resource path) -> `gemini-2.5-pro`. */
export function modelFromPath(path: string): string {
  const last = decodeURIComponent(path.split('/models/').pop() ?? '');
  return last.split(':')[0] ?? 'unknown';
}

function textOf(reply: ScriptedReply): string[] {
  if (Array.isArray(reply.content)) return reply.content;
  return [reply.content ?? 'Hello from the simulator.'];
}

function finishReason(reply: ScriptedReply): string {
  return reply.finishReason ?? 'STOP';
}

function toolParts(reply: ScriptedReply) {
  return (reply.toolCalls ?? []).map((t) => ({
    functionCall: { name: t.name, args: JSON.parse(t.arguments || '{}') },
  }));
}

function hang(ctx: RouteContext): Promise<void> {
  return new Promise((resolve) => {
    ctx.res.on('close', () => resolve());
  });
}

function candidate(parts: unknown[], reason?: string) {
  return { content: { parts, role: 'model' }, index: 0, ...(reason ? { finishReason: reason } : {}) };
}

/** A GenerateContentResponse body (also each inlined response of a batch). */
export function contentResponse(reply: ScriptedReply, model: string, responseId: string) {
  const usage = reply.omitUsage ? undefined : geminiUsage(reply);
  return {
    candidates: [candidate([{ text: textOf(reply).join('') }, ...toolParts(reply)], finishReason(reply))],
    ...(usage ? { usageMetadata: usage } : {}),
    modelVersion: model,
    responseId,
  };
}

async function generateContent(ctx: RouteContext): Promise<void> {
  const { reply, res } = ctx;
  const model = reply.model ?? modelFromPath(ctx.request.path);
  res.writeHead(200, { 'content-type': 'application/json', ...reply.headers });
  res.end(JSON.stringify(contentResponse(reply, model, ctx.nextId('resp'))));
}

async function streamGenerateContent(ctx: RouteContext): Promise<void> {
  const { reply, res } = ctx;
  const model = reply.model ?? modelFromPath(ctx.request.path);
  const responseId = ctx.nextId('resp');
  const usage = reply.omitUsage ? undefined : geminiUsage(reply);
  startSse(res, reply.headers);
  // Gemini's SSE lines end with CRLF pairs; every chunk carries the usage so far, the last one the final usage.
  const write = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\r\n\r\n`);
  const chunks = textOf(reply);
  const partialUsage = usage
    ? {
        promptTokenCount: usage.promptTokenCount,
        totalTokenCount: usage.promptTokenCount,
        promptTokensDetails: usage.promptTokensDetails,
      }
    : undefined;
  for (let i = 0; i < chunks.length; i++) {
    if (reply.hangAfterChunks !== undefined && i >= reply.hangAfterChunks) return hang(ctx);
    const last = i === chunks.length - 1 && reply.hangAfterChunks === undefined;
    const parts: unknown[] = [{ text: chunks[i] }];
    if (last) parts.push(...toolParts(reply));
    write({
      candidates: [candidate(parts, last ? finishReason(reply) : undefined)],
      ...(usage ? { usageMetadata: last ? usage : partialUsage } : {}),
      modelVersion: model,
      responseId,
    });
    await sleep(0);
  }
  if (reply.hangAfterChunks !== undefined) return hang(ctx);
  res.end();
}

function embedding(index: number) {
  return { values: Array.from({ length: 4 }, (_v, i) => (index + 1) / (i + 2)) };
}

function batchEmbedContents(ctx: RouteContext): void {
  const requests: unknown[] = Array.isArray(ctx.request.body?.requests) ? ctx.request.body.requests : [];
  const u = usageOf(ctx.reply);
  ctx.res.writeHead(200, { 'content-type': 'application/json', ...ctx.reply.headers });
  ctx.res.end(
    JSON.stringify({
      embeddings: requests.map((_r, i) => embedding(i)),
      ...(ctx.reply.omitUsage
        ? {}
        : { usageMetadata: { promptTokenCount: u.inputTokens, totalTokenCount: u.inputTokens } }),
    }),
  );
}

function embedContent(ctx: RouteContext): void {
  const u = usageOf(ctx.reply);
  ctx.res.writeHead(200, { 'content-type': 'application/json', ...ctx.reply.headers });
  ctx.res.end(
    JSON.stringify({
      embedding: embedding(0),
      ...(ctx.reply.omitUsage
        ? {}
        : { usageMetadata: { promptTokenCount: u.inputTokens, totalTokenCount: u.inputTokens } }),
    }),
  );
}

const STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export const gemini: ProviderWireFormat = {
  name: 'gemini',
  routes: {
    ':streamGenerateContent': streamGenerateContent,
    ':generateContent': generateContent,
    ':batchEmbedContents': batchEmbedContents,
    ':embedContent': embedContent,
    ...geminiJobRoutes,
  },
  sendError(ctx, status) {
    ctx.res.writeHead(status, { 'content-type': 'application/json', ...ctx.reply.headers });
    ctx.res.end(
      JSON.stringify({
        error: {
          code: status,
          message: ctx.reply.errorMessage ?? `simulated ${status}`,
          status: STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT'),
        },
      }),
    );
  },
};
