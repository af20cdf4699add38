import { type AttributeValue, type Context, context } from '@opentelemetry/api';
import type { LlmCallOutcome } from '../../core/llm-call.js';
import type { LlmCostRuntime } from '../../core/runtime.js';
import { BoundedMap } from '../shared/bounded.js';
import { chatOutcome } from './chat.js';
import { embeddingsOutcome } from './embeddings.js';
import type { ServerInfo } from './provider.js';
import { responseOutcome } from './responses.js';
import { recordDeferred, serverOfClient, type Watch, type WatchHost, watchParsed, watchResult } from './watch.js';

/**
 * The Batch API: a batch's requests run at the provider, and their usage arrives when the caller downloads the
 * output file (`files.content(output_file_id)`), one JSON line per request whose `response.body` is what the
 * synchronous endpoint would have returned. Each line becomes one deferred call priced at the batch variant
 * (`processing: batch`), so each request keeps its own model, usage and whole-request tier, as in a synchronous
 * call. Batches seen through batches.create / retrieve / list give the lines their batch's metadata as attribution.
 *
 * Counted once per process: a line is recorded the first time its `id` is seen (a bounded memo). A file downloaded
 * again by another process (or after the memo dropped the id) is counted again: nothing is shared across processes.
 */

/** What we keep of a batch (openai 7 resources/batches.d.ts Batch). */
interface BatchInfo {
  id: string;
  endpoint?: string;
  model?: string;
  metadata?: Record<string, unknown>;
}

interface BatchWire {
  id?: unknown;
  object?: unknown;
  endpoint?: unknown;
  model?: unknown;
  metadata?: unknown;
  output_file_id?: unknown;
}

/** One line of a batch output file (the request output object). */
interface OutputLineWire {
  id?: string;
  custom_id?: string;
  response?: { status_code?: number; request_id?: string; body?: Record<string, unknown> } | null;
  error?: unknown;
}

const MAX_BATCHES = 1000;
const MAX_LINES = 100_000;
/** The longest output line we wait for (a line is one response body). */
const MAX_LINE = 8 * 1024 * 1024;
/** output_file_id -> its batch, learned from batches.create / retrieve / list results. */
const batchesByOutputFile = new BoundedMap<string, BatchInfo>(MAX_BATCHES);
/** batch id -> its batch, for a retrieve that does not repeat what create said. */
const batchesById = new BoundedMap<string, BatchInfo>(MAX_BATCHES);
/** Output lines already recorded (by the line's id). */
const linesSeen = new BoundedMap<string, true>(MAX_LINES);

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function learnBatch(batch: BatchWire | undefined): void {
  const id = str(batch?.id);
  if (!batch || !id || batch.object !== 'batch') return;
  const known = batchesById.get(id);
  const metadata =
    batch.metadata && typeof batch.metadata === 'object' ? (batch.metadata as Record<string, unknown>) : undefined;
  const info: BatchInfo = {
    id,
    endpoint: str(batch.endpoint) ?? known?.endpoint,
    model: str(batch.model) ?? known?.model,
    metadata: metadata ?? known?.metadata,
  };
  batchesById.set(id, info);
  const output = str(batch.output_file_id);
  if (output) batchesByOutputFile.set(output, info);
}

/** Batches.create and Batches.retrieve: remember the batch (its output file once it has one). */
function batchWatch(method: string): Watch<true> {
  return {
    path: ['Batches'],
    method,
    before: () => true,
    after: (host, result) =>
      watchResult(result, host.telemetry().runtime.warnings, (data) => learnBatch(data as BatchWire)),
  };
}

/** Batches.list: remember the batches of the first page (auto-pagination's later pages are not read). */
const BATCH_LIST: Watch<true> = {
  path: ['Batches'],
  method: 'list',
  before: () => true,
  after: (host, result) =>
    watchParsed(result, host.telemetry().runtime.warnings, (page) => {
      const data = (page as { data?: unknown } | undefined)?.data;
      if (Array.isArray(data)) for (const batch of data) learnBatch(batch as BatchWire);
    }),
};

/** The batch's metadata entries whose keys are attribution attribute keys of this runtime (user.id, app.team, ...). */
function metadataAttribution(
  metadata: Record<string, unknown> | undefined,
  rt: LlmCostRuntime,
): Record<string, AttributeValue> | undefined {
  if (!metadata) return undefined;
  const out: Record<string, AttributeValue> = {};
  for (const key of Object.values(rt.attribution.keys)) {
    const v = metadata[key];
    if (typeof v === 'string' && v !== '') out[key] = v;
  }
  return out;
}

type Endpoint = 'chat' | 'responses' | 'embeddings';

/** The endpoint of a line: the batch's, else what the body is (a line does not repeat the request's url). */
function endpointOf(batch: BatchInfo | undefined, body: Record<string, unknown>): Endpoint | undefined {
  const endpoint = batch?.endpoint ?? '';
  if (endpoint.endsWith('/chat/completions') || body.object === 'chat.completion') return 'chat';
  if (endpoint.endsWith('/responses') || body.object === 'response') return 'responses';
  if (endpoint.endsWith('/embeddings') || (body.object === 'list' && Array.isArray(body.data))) return 'embeddings';
  return undefined;
}

function lineOutcome(endpoint: Endpoint, body: Record<string, unknown>): LlmCallOutcome {
  if (endpoint === 'chat') return chatOutcome(body);
  if (endpoint === 'responses') return responseOutcome(body);
  return embeddingsOutcome(body);
}

interface Download {
  fileId: string;
  ctx: Context;
  server: ServerInfo;
}

function isOutputLine(line: unknown): line is OutputLineWire {
  return (
    !!line && typeof line === 'object' && typeof (line as OutputLineWire).custom_id === 'string' && 'response' in line
  );
}

/** Records one output line (once); false when the line is no batch output line (the file is something else). */
function recordLine(host: WatchHost, download: Download, text: string): boolean {
  let line: unknown;
  try {
    line = JSON.parse(text);
  } catch {
    return false;
  }
  if (!isOutputLine(line)) return false;
  const body = line.response?.body;
  if (!body || typeof body !== 'object' || !body.usage) return true; // a failed request: not billed
  const batch = batchesByOutputFile.get(download.fileId);
  const endpoint = endpointOf(batch, body);
  if (!endpoint) return true;
  if (!linesSeen.firstTime(line.id ?? `${download.fileId}:${line.custom_id}`, true)) return true;
  const outcome = lineOutcome(endpoint, body);
  const model = batch?.model ?? str(body.model);
  recordDeferred(
    host,
    download.ctx,
    metadataAttribution(batch?.metadata, host.telemetry().runtime),
    {
      provider: download.server.provider,
      operation: endpoint === 'embeddings' ? 'embeddings' : 'chat',
      requestModel: model,
      serverAddress: download.server.serverAddress,
      serverPort: download.server.serverPort,
      // As the other clients' batch spans (anthropic.message.batch.id, gcp.gen_ai.batch.name): which request it was.
      attributes: { 'openai.batch.id': batch?.id, 'openai.batch.custom_id': line.custom_id },
    },
    // The batch price replaces the tier a line's body may report (`service_tier: default`): batch is its own.
    { ...outcome, priceContext: { processing: 'batch' } },
  );
  return true;
}

/** Reads the copy of the file line by line; stops at the first line that is no batch output line. */
async function readOutput(host: WatchHost, download: Download, body: ReadableStream<Uint8Array>): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffered += done ? decoder.decode() : decoder.decode(value, { stream: true });
      // Not JSON lines (a PDF, an image...), or no line end in sight: no batch output, stop reading the copy.
      if (!/^\s*(\{|$)/.test(buffered) || (!buffered.includes('\n') && buffered.length > MAX_LINE)) {
        await reader.cancel();
        return;
      }
      const lines = buffered.split('\n');
      buffered = done ? '' : (lines.pop() ?? '');
      for (const text of lines) {
        if (text.trim() === '') continue;
        if (!recordLine(host, download, text)) {
          await reader.cancel();
          return;
        }
      }
      if (done) return;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Files.content: the file's Response is the caller's; a clone of it is read for batch output lines. */
const FILE_CONTENT: Watch<Download> = {
  path: ['Files'],
  method: 'content',
  before(host, self, args) {
    const fileId = args[0];
    if (typeof fileId !== 'string') return undefined;
    return { fileId, ctx: context.active(), server: serverOfClient(host, self) };
  },
  after(host, result, download) {
    const warnings = host.telemetry().runtime.warnings;
    return watchResult(result, warnings, (data) => {
      const response = data as Response | undefined;
      if (!response || typeof response.clone !== 'function' || !response.body || response.bodyUsed) return;
      // Only a web ReadableStream body (fetch in Node 18+, openai 5+): node-fetch's clone (openai 4) tees into two
      // Node streams that pause together once the unread one's buffer is full, so a clone we could not read
      // would stall the caller's own download. Such files are not read for batch results.
      if (typeof (response.body as { getReader?: unknown }).getReader !== 'function') return;
      const copy = response.clone().body;
      if (!copy) return;
      readOutput(host, download, copy).catch((error: unknown) =>
        warnings.internalError('openai files.content (reading batch results)', error),
      );
    });
  },
};

export const BATCH_WATCHES: Watch[] = [batchWatch('create'), batchWatch('retrieve'), BATCH_LIST, FILE_CONTENT];
