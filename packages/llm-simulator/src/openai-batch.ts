import type { RouteContext } from './provider.ts';
import type { MultipartFile, RecordedRequest } from './types.ts';

/**
 * The OpenAI Batch API and the Files API it uses (openai 7 resources/batches.d.ts, files.d.ts): a JSONL file is
 * uploaded (`POST /files`, multipart), a batch is created on it (`POST /batches`), polled (`GET /batches/{id}`,
 * `GET /batches`), and its results downloaded (`GET /files/{output_file_id}/content`), one request output object
 * per line: `{ id, custom_id, response: { status_code, request_id, body }, error }`. The simulator runs a batch
 * when it is created: the create answers `validating`, every later read `completed` with its output file. Each
 * line's body is what the synchronous endpoint answers, with the usage the script of the `POST /batches` request
 * asks for (the same for every line).
 */

/** The bodies the synchronous endpoints answer (openai.ts), for a request whose body is a batch line's body. */
export interface LineBodies {
  chat(ctx: RouteContext): unknown;
  responses(ctx: RouteContext): unknown;
  embeddings(ctx: RouteContext): unknown;
}

interface StoredFile {
  object: Record<string, unknown>;
  data: Buffer;
}

type Batch = Record<string, unknown> & { id: string; status: string; output_file_id: string | null };

const fileKey = (id: string) => `openai.file:${id}`;
const batchKey = (id: string) => `openai.batch:${id}`;
const now = () => Math.floor(Date.now() / 1000);

function json(ctx: RouteContext, status: number, body: unknown): void {
  ctx.res.writeHead(status, { 'content-type': 'application/json', ...ctx.reply.headers });
  ctx.res.end(JSON.stringify(body));
}

function notFound(ctx: RouteContext, what: string, id: string): void {
  json(ctx, 404, {
    error: { message: `No such ${what}: '${id}'`, type: 'invalid_request_error', param: null, code: null },
  });
}

function storeFile(ctx: RouteContext, filename: string, purpose: string, data: Buffer): Record<string, unknown> {
  const object = {
    id: ctx.nextId('file-'),
    object: 'file',
    bytes: data.length,
    created_at: now(),
    filename,
    purpose,
    status: 'processed',
    expires_at: null,
    status_details: null,
  };
  ctx.state.set(fileKey(object.id), { object, data } satisfies StoredFile);
  return object;
}

function uploadFile(ctx: RouteContext): void {
  const fields = ctx.request.body as { file?: MultipartFile; purpose?: string } | undefined;
  const file = fields?.file;
  if (!file || typeof file !== 'object' || !Buffer.isBuffer(file.data)) {
    json(ctx, 400, {
      error: {
        message: "Missing required parameter: 'file'.",
        type: 'invalid_request_error',
        param: 'file',
        code: null,
      },
    });
    return;
  }
  json(ctx, 200, storeFile(ctx, file.filename, fields?.purpose ?? 'batch', file.data));
}

function retrieveFile(ctx: RouteContext): void {
  const stored = ctx.state.get(fileKey(ctx.params.id!)) as StoredFile | undefined;
  if (!stored) {
    notFound(ctx, 'File', ctx.params.id!);
    return;
  }
  json(ctx, 200, stored.object);
}

function fileContent(ctx: RouteContext): void {
  const stored = ctx.state.get(fileKey(ctx.params.id!)) as StoredFile | undefined;
  if (!stored) {
    notFound(ctx, 'File', ctx.params.id!);
    return;
  }
  ctx.res.writeHead(200, { 'content-type': 'application/octet-stream', ...ctx.reply.headers });
  ctx.res.end(stored.data);
}

interface InputLine {
  custom_id?: string;
  method?: string;
  url?: string;
  body?: Record<string, unknown>;
}

const ENDPOINTS: Record<string, keyof LineBodies> = {
  '/v1/chat/completions': 'chat',
  '/v1/responses': 'responses',
  '/v1/embeddings': 'embeddings',
};

/** Token totals of a batch (Batch.usage), summed from its lines' bodies. */
function addUsage(total: Record<string, number>, usage: Record<string, unknown> | undefined): void {
  const n = (v: unknown) => (typeof v === 'number' ? v : 0);
  const input = (usage?.prompt_tokens ?? usage?.input_tokens) as unknown;
  const output = (usage?.completion_tokens ?? usage?.output_tokens) as unknown;
  const inDetails = (usage?.prompt_tokens_details ?? usage?.input_tokens_details) as
    | Record<string, unknown>
    | undefined;
  const outDetails = (usage?.completion_tokens_details ?? usage?.output_tokens_details) as
    | Record<string, unknown>
    | undefined;
  total.input_tokens = (total.input_tokens ?? 0) + n(input);
  total.output_tokens = (total.output_tokens ?? 0) + n(output);
  total.cached_tokens = (total.cached_tokens ?? 0) + n(inDetails?.cached_tokens);
  total.reasoning_tokens = (total.reasoning_tokens ?? 0) + n(outDetails?.reasoning_tokens);
}

/** Runs every line of the input file; returns the output file's content and the batch's token totals. */
function runLines(ctx: RouteContext, bodies: LineBodies, endpoint: keyof LineBodies, input: Buffer) {
  const lines: string[] = [];
  const total: Record<string, number> = {};
  let model: string | undefined;
  for (const text of input.toString('utf8').split('\n')) {
    if (text.trim() === '') continue;
    const line = JSON.parse(text) as InputLine;
    const request: RecordedRequest = { method: 'POST', path: line.url ?? '', headers: {}, body: line.body ?? {} };
    const body = bodies[endpoint]({ ...ctx, request }) as Record<string, unknown>;
    model ??= typeof body.model === 'string' ? body.model : undefined;
    addUsage(total, body.usage as Record<string, unknown> | undefined);
    const response = { status_code: 200, request_id: ctx.nextId('req_'), body };
    lines.push(JSON.stringify({ id: ctx.nextId('batch_req_'), custom_id: line.custom_id, response, error: null }));
  }
  return { content: Buffer.from(lines.map((l) => `${l}\n`).join('')), total, count: lines.length, model };
}

function createBatch(bodies: LineBodies) {
  return (ctx: RouteContext): void => {
    const params = (ctx.request.body ?? {}) as Record<string, unknown>;
    const inputId = String(params.input_file_id ?? '');
    const input = ctx.state.get(fileKey(inputId)) as StoredFile | undefined;
    if (!input) {
      notFound(ctx, 'File', inputId);
      return;
    }
    const endpoint = ENDPOINTS[String(params.endpoint)];
    if (!endpoint) {
      json(ctx, 400, {
        error: {
          message: `Unsupported endpoint ${String(params.endpoint)}`,
          type: 'invalid_request_error',
          param: 'endpoint',
          code: null,
        },
      });
      return;
    }
    const id = ctx.nextId('batch_');
    const ran = runLines(ctx, bodies, endpoint, input.data);
    const output = storeFile(ctx, `${id}_output.jsonl`, 'batch_output', ran.content);
    const created = now();
    const batch: Batch = {
      id,
      object: 'batch',
      endpoint: params.endpoint,
      model: ran.model,
      errors: null,
      input_file_id: inputId,
      completion_window: params.completion_window ?? '24h',
      status: 'validating',
      output_file_id: null,
      error_file_id: null,
      created_at: created,
      in_progress_at: null,
      expires_at: created + 86_400,
      finalizing_at: null,
      completed_at: null,
      failed_at: null,
      expired_at: null,
      cancelling_at: null,
      cancelled_at: null,
      request_counts: { total: 0, completed: 0, failed: 0 },
      metadata: params.metadata ?? null,
    };
    // What later reads report: completed, with the output file and the batch's token totals.
    const completed: Batch = {
      ...batch,
      status: 'completed',
      output_file_id: String(output.id),
      in_progress_at: created,
      finalizing_at: created,
      completed_at: created,
      request_counts: { total: ran.count, completed: ran.count, failed: 0 },
      usage: {
        input_tokens: ran.total.input_tokens ?? 0,
        input_tokens_details: { cached_tokens: ran.total.cached_tokens ?? 0 },
        output_tokens: ran.total.output_tokens ?? 0,
        output_tokens_details: { reasoning_tokens: ran.total.reasoning_tokens ?? 0 },
        total_tokens: (ran.total.input_tokens ?? 0) + (ran.total.output_tokens ?? 0),
      },
    };
    ctx.state.set(batchKey(id), completed);
    json(ctx, 200, batch);
  };
}

function retrieveBatch(ctx: RouteContext): void {
  const batch = ctx.state.get(batchKey(ctx.params.id!)) as Batch | undefined;
  if (!batch) {
    notFound(ctx, 'batch', ctx.params.id!);
    return;
  }
  json(ctx, 200, batch);
}

function listBatches(ctx: RouteContext): void {
  const data = [...ctx.state.entries()]
    .filter(([key]) => key.startsWith('openai.batch:'))
    .map(([, batch]) => batch as Batch)
    .reverse();
  json(ctx, 200, {
    object: 'list',
    data,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: false,
  });
}

/** The routes, given the synchronous endpoints' bodies (openai.ts passes its own). */
export function batchRoutes(bodies: LineBodies): Record<string, (ctx: RouteContext) => void> {
  return {
    '/files': uploadFile,
    'GET /files/{id}': retrieveFile,
    'GET /files/{id}/content': fileContent,
    '/batches': createBatch(bodies),
    'GET /batches/{id}': retrieveBatch,
    'GET /batches': listBatches,
  };
}
