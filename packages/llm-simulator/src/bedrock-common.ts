import type { RouteContext } from './provider.ts';

/** What every Bedrock runtime reply shares: the request id header and the error format. */

export function requestId(ctx: RouteContext): string {
  return ctx.nextId('bedrock-req-');
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

/** A Bedrock error: the exception type in `x-amzn-errortype`, `{ message }` as the body. */
export function sendBedrockError(ctx: RouteContext, status: number, message?: string): void {
  const type = ERRORS[status] ?? (status >= 500 ? 'InternalServerException' : 'ValidationException');
  ctx.res.writeHead(status, {
    'content-type': 'application/json',
    'x-amzn-requestid': requestId(ctx),
    'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    ...ctx.reply.headers,
  });
  ctx.res.end(JSON.stringify({ message: message ?? ctx.reply.errorMessage ?? `simulated ${status}` }));
}

export function sendJson(ctx: RouteContext, body: unknown, headers: Record<string, string> = {}): void {
  ctx.res.writeHead(200, {
    'content-type': 'application/json',
    'x-amzn-requestid': requestId(ctx),
    ...headers,
    ...ctx.reply.headers,
  });
  ctx.res.end(JSON.stringify(body));
}
