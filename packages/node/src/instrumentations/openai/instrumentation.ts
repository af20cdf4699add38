import type { AttributeValue } from '@opentelemetry/api';
import type { LlmCall, LlmCallOutcome } from '../../core/llm-call.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../../core/names.js';
import { clientPrototype } from '../shared/client.js';
import { type CallPlan, LlmInstrumentation, type MethodSite } from '../shared/llm-instrumentation.js';
import { CallResultObserver, observeCallResult } from '../shared/result.js';
import { isStream } from '../shared/stainless.js';
import { type CallStreamState, observeIterable } from '../shared/stream.js';
import { TranscriptionStreamState, transcriptionAttributes, transcriptionOutcome } from './audio.js';
import { BACKGROUND_WATCHES, isBackground } from './background.js';
import { BATCH_WATCHES } from './batches.js';
import { ChatStreamState, chatOutcome, requestAttributes } from './chat.js';
import { CompletionStreamState, completionOutcome } from './completions.js';
import { embeddingsAttributes, embeddingsOutcome } from './embeddings.js';
import { ImagesStreamState, imagesAttributes, imagesOutcome } from './images.js';
import { providerFor } from './provider.js';
import { ResponseStreamState, responseOutcome } from './responses.js';
import { observeSpeechEvents, speechAttributes, speechOutcome } from './speech.js';
import type { OpenAIInstrumentationConfig, RequestBody } from './types.js';
import { layerWatch, unlayerWatch, type Watch, type WatchHost } from './watch.js';

export const SUPPORTED_VERSIONS = ['>=4.0.0 <8'];

/** How one resource method maps to the LLM call core. */
interface OperationSpec {
  /** Where the method lives on the OpenAI class (e.g. ['Chat', 'Completions']). */
  path: string[];
  /** The patched method; default `create`. */
  method?: 'create' | 'generate' | 'edit' | 'createVariation';
  operation: string;
  /** The body to send: chat streams ask for usage unless the caller decided (injectedUsage). */
  prepare?(body: RequestBody, config: OpenAIInstrumentationConfig): RequestBody | undefined;
  /** Request attributes; undefined when there are none. */
  attributes(body: RequestBody): Record<string, AttributeValue | undefined> | undefined;
  /** The outcome of a resolved call; `body` is the caller's request; `captureContent`: output is recorded. */
  outcome(data: unknown, body: RequestBody, captureContent: boolean): LlmCallOutcome;
  /** Ends the call itself from what it resolved to, when it returns true (speech: usage read from a clone of an SSE body). */
  observe?(call: LlmCall, data: unknown, body: RequestBody): boolean;
  /** The state of a stream result; absent for operations without streams. `captureContent`: output is recorded. */
  streamState?(injectedUsage: boolean, captureContent: boolean): CallStreamState;
}

interface OpenAIPlan extends CallPlan {
  body: RequestBody;
  /** We asked for the usage chunk: it is kept from the caller. */
  injectedUsage: boolean;
}

const CHAT: OperationSpec = {
  path: ['Chat', 'Completions'],
  operation: 'chat',
  prepare(body, config) {
    const wantsStream = body?.stream === true;
    const optedOut = config.streamUsage === false;
    const userSet = body?.stream_options != null && body.stream_options.include_usage !== undefined;
    if (!wantsStream || optedOut || userSet) return undefined;
    return { ...body, stream_options: { ...body.stream_options, include_usage: true } };
  },
  attributes: requestAttributes,
  outcome: (data, _body, captureContent) => chatOutcome(data as Parameters<typeof chatOutcome>[0], captureContent),
  streamState: (injectedUsage, captureContent) => new ChatStreamState(injectedUsage, captureContent),
};

const RESPONSES: OperationSpec = {
  path: ['Responses'],
  operation: 'chat',
  attributes: requestAttributes,
  outcome: (data) => responseOutcome(data as Parameters<typeof responseOutcome>[0]),
  streamState: () => new ResponseStreamState(),
};

const EMBEDDINGS: OperationSpec = {
  path: ['Embeddings'],
  operation: 'embeddings',
  attributes: embeddingsAttributes,
  outcome: (data) => embeddingsOutcome(data as Parameters<typeof embeddingsOutcome>[0]),
};

const IMAGES: OperationSpec = {
  path: ['Images'],
  method: 'generate',
  operation: 'image_generation',
  attributes: imagesAttributes,
  outcome: (data) => imagesOutcome(data as Parameters<typeof imagesOutcome>[0]),
  streamState: () => new ImagesStreamState(),
};

/** images.edit and images.createVariation (multipart): the same response, usage and price as images.generate. */
const IMAGE_EDITS: OperationSpec = { ...IMAGES, method: 'edit' };
const IMAGE_VARIATIONS: OperationSpec = { ...IMAGES, method: 'createVariation' };

/** The legacy Completions API: chat usage, `text` choices; streams ask for usage as chat streams do. */
const COMPLETIONS: OperationSpec = {
  path: ['Completions'],
  operation: 'text_completion',
  prepare: CHAT.prepare,
  attributes: requestAttributes,
  outcome: (data, _body, captureContent) =>
    completionOutcome(data as Parameters<typeof completionOutcome>[0], captureContent),
  streamState: (injectedUsage, captureContent) => new CompletionStreamState(injectedUsage, captureContent),
};

const TRANSCRIPTIONS: OperationSpec = {
  path: ['Audio', 'Transcriptions'],
  operation: 'transcription',
  attributes: transcriptionAttributes,
  outcome: (data) => transcriptionOutcome(data as Parameters<typeof transcriptionOutcome>[0]),
  streamState: () => new TranscriptionStreamState(),
};

const TRANSLATIONS: OperationSpec = {
  path: ['Audio', 'Translations'],
  operation: 'translation',
  attributes: transcriptionAttributes,
  outcome: TRANSCRIPTIONS.outcome,
};

const SPEECH: OperationSpec = {
  path: ['Audio', 'Speech'],
  operation: 'speech',
  attributes: speechAttributes,
  outcome: (_data, body) => speechOutcome(body),
  observe: observeSpeechEvents,
};

const OPERATIONS = [
  CHAT,
  RESPONSES,
  EMBEDDINGS,
  IMAGES,
  IMAGE_EDITS,
  IMAGE_VARIATIONS,
  COMPLETIONS,
  TRANSCRIPTIONS,
  TRANSLATIONS,
  SPEECH,
];

/** Methods read for calls billed elsewhere or later (batch results, background responses): no span of their own. */
const WATCHES: Watch[] = [...BATCH_WATCHES, ...BACKGROUND_WATCHES];

/**
 * Instruments the `openai` package (v4 to v7): chat completions (plain, stream, parse, tools), the Responses
 * API (plain, stream), embeddings, images (generate, edit, variations), audio (transcriptions, translations,
 * speech) and legacy completions, at the resource-method level (so SDK retries are one call). Works for
 * every client speaking the OpenAI wire format; the provider comes from the client's base URL.
 */
export class OpenAIInstrumentation extends LlmInstrumentation<OpenAIInstrumentationConfig, OperationSpec, OpenAIPlan> {
  constructor(config: OpenAIInstrumentationConfig = {}) {
    super(`${PACKAGE_NAME}/openai`, PACKAGE_VERSION, config);
  }

  protected target() {
    return { module: 'openai', versions: SUPPORTED_VERSIONS };
  }

  protected methodsOf(moduleExports: unknown): MethodSite<OperationSpec>[] {
    const sites: MethodSite<OperationSpec>[] = [];
    for (const spec of OPERATIONS) {
      const name = spec.method ?? 'create';
      const owner = clientPrototype(moduleExports, 'OpenAI', spec.path);
      if (owner && typeof owner[name] === 'function') sites.push({ owner, name, spec });
      else this._diag.debug(`openai: ${spec.path.join('.')}.${name} not found; not instrumented`);
    }
    return sites;
  }

  /** The watches' methods; wrapped over the call skeleton's (Responses.create has both), unwrapped first. */
  private watchSites(moduleExports: unknown): { owner: Record<string, unknown>; watch: Watch }[] {
    const sites: { owner: Record<string, unknown>; watch: Watch }[] = [];
    for (const watch of WATCHES) {
      const owner = clientPrototype(moduleExports, 'OpenAI', watch.path);
      if (owner && typeof owner[watch.method] === 'function') sites.push({ owner, watch });
    }
    return sites;
  }

  protected override patchModule(moduleExports: unknown): void {
    super.patchModule(moduleExports);
    const host: WatchHost = { telemetry: () => this.telemetry(), config: () => this.getConfig() };
    try {
      for (const { owner, watch } of this.watchSites(moduleExports)) layerWatch(owner, watch, host);
    } catch (error) {
      this.telemetry().runtime.warnings.internalError('patching openai batches / background responses', error);
    }
  }

  protected override unpatchModule(moduleExports: unknown): void {
    for (const { owner, watch } of this.watchSites(moduleExports)) unlayerWatch(owner, watch);
    super.unpatchModule(moduleExports);
  }

  protected callLabel(spec: OperationSpec): string {
    return `openai ${spec.operation}`;
  }

  protected planCall(spec: OperationSpec, self: unknown, args: unknown[]): OpenAIPlan | undefined {
    const body = args[0] as RequestBody;
    if (spec === RESPONSES && isBackground(body)) return undefined; // priced when done (background.ts)
    const config = this.getConfig();
    const client = (self as { _client?: { baseURL?: unknown } } | undefined)?._client;
    const server = providerFor(client?.baseURL, config.providers);
    const prepared = spec.prepare?.(body, config);
    return {
      provider: server.provider,
      operation: spec.operation,
      requestModel: typeof body?.model === 'string' ? body.model : undefined,
      serverAddress: server.serverAddress,
      serverPort: server.serverPort,
      attributes: spec.attributes(body ?? {}),
      streaming: body?.stream === true,
      inputContent: body?.messages ?? body?.input ?? body?.prompt,
      args: prepared ? [prepared, ...args.slice(1)] : undefined,
      injectedUsage: prepared !== undefined,
      body,
    };
  }

  protected observeCall(spec: OperationSpec, call: LlmCall, result: unknown, plan: OpenAIPlan): unknown {
    return observeCallResult(result, new OpenAIResult(call, spec, plan));
  }
}

/** What one call resolved to: a stream to observe, or the response whose outcome ends the call. */
class OpenAIResult extends CallResultObserver {
  constructor(
    call: LlmCall,
    private readonly spec: OperationSpec,
    private readonly plan: OpenAIPlan,
  ) {
    super(call);
  }

  onResult(data: unknown): unknown {
    const { spec, call, plan } = this;
    if (spec.observe?.(call, data, plan.body)) return data;
    const captureContent = !!call.runtime.options.captureContent;
    if (spec.streamState && isStream(data)) {
      observeIterable(data, 'iterator', call, spec.streamState(plan.injectedUsage, captureContent), data);
    } else call.succeed(spec.outcome(data, plan.body, captureContent));
    return data;
  }

  label(): string {
    return `openai ${this.spec.operation} (result)`;
  }
}
