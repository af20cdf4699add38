// A canned in-process transport for the real `openai` client: its `fetch` option returns a prebuilt Response,
// so a call costs only the client's own work plus the instrumentation's, with no network or server noise.

export const MODEL = 'gpt-4o';
export const RESPONSE_MODEL = 'gpt-4o-2024-08-06';
export const USAGE = { prompt_tokens: 1000, completion_tokens: 200, total_tokens: 1200 };
export const STREAM_CHUNKS = 100;
/** gpt-4o list price (USD per 1M tokens): input 2.50, output 10.00. 1000 * 2.5e-6 + 200 * 1e-5 = 0.0045. */
export const EXPECTED_COST = 0.0045;

const usageWire = {
  ...USAGE,
  prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
  completion_tokens_details: {
    reasoning_tokens: 0,
    audio_tokens: 0,
    accepted_prediction_tokens: 0,
    rejected_prediction_tokens: 0,
  },
};

const created = 1_760_000_000;

export const CHAT_JSON = JSON.stringify({
  id: 'chatcmpl-bench0001',
  object: 'chat.completion',
  created,
  model: RESPONSE_MODEL,
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Hello from the canned transport.', refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: 'stop',
    },
  ],
  usage: usageWire,
  service_tier: 'default',
  system_fingerprint: 'fp_bench',
});

function sse(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}

function buildStream(): string {
  const parts: string[] = [];
  const base = { id: 'chatcmpl-bench0002', object: 'chat.completion.chunk', created, model: RESPONSE_MODEL };
  for (let i = 0; i < STREAM_CHUNKS; i++) {
    const delta = i === 0 ? { role: 'assistant', content: 'tok ', refusal: null } : { content: 'tok ' };
    const last = i === STREAM_CHUNKS - 1;
    parts.push(
      sse({
        ...base,
        service_tier: 'default',
        system_fingerprint: 'fp_bench',
        choices: [{ index: 0, delta, logprobs: null, finish_reason: last ? 'stop' : null }],
        usage: null,
      }),
    );
  }
  // The usage-only chunk that stream_options.include_usage asks for (sent always: the transport does not care).
  parts.push(sse({ ...base, service_tier: 'default', system_fingerprint: 'fp_bench', choices: [], usage: usageWire }));
  parts.push('data: [DONE]\n\n');
  return parts.join('');
}

export const CHAT_SSE = buildStream();

const jsonHeaders = { 'content-type': 'application/json', 'x-request-id': 'req_bench' };
const sseHeaders = { 'content-type': 'text/event-stream; charset=utf-8', 'x-request-id': 'req_bench' };

/** The `fetch` to give the openai client: answers every request with the canned chat completion (JSON or SSE). */
export function cannedFetch(_url: string | URL | Request, init?: RequestInit): Promise<Response> {
  const body = typeof init?.body === 'string' ? init.body : '';
  // The request body is JSON; `"stream":true` is all we need to tell the two apart.
  const stream = body.includes('"stream":true');
  return Promise.resolve(
    stream
      ? new Response(CHAT_SSE, { status: 200, headers: sseHeaders })
      : new Response(CHAT_JSON, { status: 200, headers: jsonHeaders }),
  );
}
