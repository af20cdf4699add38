import { sendBedrockError, sendJson } from './bedrock-common.ts';
import { type RouteContext, usageOf } from './provider.ts';

/**
 * Bedrock's asynchronous invocations and token counting (AWS Bedrock API reference):
 * - StartAsyncInvoke `POST /async-invoke` `{ clientRequestToken, modelId, modelInput, outputDataConfig:
 *   { s3OutputDataConfig: { s3Uri } }, tags }` -> `{ invocationArn }` (the job writes its output to S3; e.g. Nova
 *   Reel videos);
 * - GetAsyncInvoke `GET /async-invoke/{invocationArn}` -> the job (`status` InProgress | Completed | Failed,
 *   `submitTime`, `endTime`, ...); ListAsyncInvokes `GET /async-invoke` -> `{ asyncInvokeSummaries, nextToken }`
 *   (filters `statusEquals`, `maxResults`). Jobs here complete at once. Timestamps are RFC 3339 date-times (the API's `timestampFormat`).
 * - CountTokens `POST /model/{modelId}/count-tokens` `{ input: { invokeModel: { body } } | { converse: {...} } }`
 *   -> `{ inputTokens }` (free; the script's usage.inputTokens).
 */

interface AsyncJob {
  invocationArn: string;
  modelArn: string;
  clientRequestToken?: string;
  status: 'InProgress' | 'Completed' | 'Failed';
  submitTime: string;
  lastModifiedTime: string;
  endTime?: string;
  outputDataConfig: unknown;
  failureMessage?: string;
}

const KEY = 'bedrock-async:';

function jobs(ctx: RouteContext): AsyncJob[] {
  const out: AsyncJob[] = [];
  for (const [key, value] of ctx.state) if (key.startsWith(KEY)) out.push(value as AsyncJob);
  return out;
}

function startAsyncInvoke(ctx: RouteContext): void {
  const body = ctx.request.body ?? {};
  if (typeof body.modelId !== 'string' || !body.modelInput || !body.outputDataConfig?.s3OutputDataConfig?.s3Uri) {
    sendBedrockError(ctx, 400, 'modelId, modelInput and outputDataConfig.s3OutputDataConfig.s3Uri are required');
    return;
  }
  const now = new Date().toISOString();
  const invocationArn = `arn:aws:bedrock:us-east-1:123456789012:async-invoke/${ctx.nextId('')}`;
  const job: AsyncJob = {
    invocationArn,
    modelArn: `arn:aws:bedrock:us-east-1::foundation-model/${body.modelId}`,
    clientRequestToken: body.clientRequestToken,
    status: 'Completed',
    submitTime: now,
    lastModifiedTime: now,
    endTime: now,
    outputDataConfig: body.outputDataConfig,
  };
  ctx.state.set(KEY + invocationArn, job);
  sendJson(ctx, { invocationArn });
}

function getAsyncInvoke(ctx: RouteContext): void {
  const job = ctx.state.get(KEY + ctx.params.invocationArn) as AsyncJob | undefined;
  if (!job) {
    sendBedrockError(ctx, 404, `no async invocation ${ctx.params.invocationArn}`);
    return;
  }
  sendJson(ctx, job);
}

function listAsyncInvokes(ctx: RouteContext): void {
  const status = ctx.query.get('statusEquals');
  const max = Number(ctx.query.get('maxResults') ?? 1000);
  const all = jobs(ctx).filter((j) => !status || j.status === status);
  sendJson(ctx, { asyncInvokeSummaries: all.slice(0, max) });
}

function countTokens(ctx: RouteContext): void {
  const input = ctx.request.body?.input;
  if (!input || (!input.invokeModel && !input.converse)) {
    sendBedrockError(ctx, 400, 'input.invokeModel or input.converse is required');
    return;
  }
  sendJson(ctx, { inputTokens: usageOf(ctx.reply).inputTokens });
}

export const bedrockAsyncRoutes: Record<string, (ctx: RouteContext) => void> = {
  '/async-invoke': startAsyncInvoke,
  'GET /async-invoke/{invocationArn}': getAsyncInvoke,
  'GET /async-invoke': listAsyncInvokes,
  '/count-tokens': countTokens,
};
