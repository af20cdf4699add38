/**
 * Bedrock's token counts in the InvokeModel HTTP response headers, `x-amzn-bedrock-input-token-count` and
 * `x-amzn-bedrock-output-token-count`, which the SDK's command output does not expose. A middleware on the
 * client's own middlewareStack (deserialize step, high priority: it runs above the SDK's deserializer, so it sees
 * both the HTTP response and the parsed output) keeps them per output object. The output, the response and the
 * stack's other middleware are left as they are; nothing the caller gets changes.
 */

export interface HeaderTokenCounts {
  inputTokens?: number;
  outputTokens?: number;
}

const NAME = 'otelLlmCostBedrockTokenHeaders';
const INPUT = 'x-amzn-bedrock-input-token-count';
const OUTPUT = 'x-amzn-bedrock-output-token-count';

/** Output object -> its headers' counts (weak: an output the caller drops takes its entry with it). */
const counts = new WeakMap<object, HeaderTokenCounts>();
/** The stacks our middleware is on (once per client). */
const stacks = new WeakSet<object>();

interface Stack {
  add(middleware: unknown, options: Record<string, unknown>): void;
}

type Next = (args: unknown) => Promise<{ output?: unknown; response?: { headers?: Record<string, string> } }>;

function header(headers: Record<string, string>, name: string): number | undefined {
  const raw = headers[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

function tokenHeadersMiddleware(next: Next) {
  return async (args: unknown) => {
    const result = await next(args);
    try {
      const headers = result?.response?.headers;
      const output = result?.output;
      if (headers && output && typeof output === 'object') {
        const inputTokens = header(headers, INPUT);
        const outputTokens = header(headers, OUTPUT);
        if (inputTokens !== undefined || outputTokens !== undefined) counts.set(output, { inputTokens, outputTokens });
      }
    } catch {
      // Reading headers never fails the call.
    }
    return result;
  };
}

/** Puts the middleware on this client's stack (once); a client without a usable stack is left alone. */
export function captureTokenHeaders(client: unknown): void {
  const stack = (client as { middlewareStack?: Stack } | undefined)?.middlewareStack;
  if (!stack || typeof stack.add !== 'function' || stacks.has(stack)) return;
  stacks.add(stack);
  stack.add(tokenHeadersMiddleware, { step: 'deserialize', name: NAME, priority: 'high', override: true });
}

/** The header counts of this command output, if its response had them. */
export function headerTokenCounts(output: unknown): HeaderTokenCounts | undefined {
  return output && typeof output === 'object' ? counts.get(output) : undefined;
}
