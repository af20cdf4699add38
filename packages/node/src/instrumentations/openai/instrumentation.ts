import type { AttributeValue } from '@opentelemetry/api';
import type { LlmCall, LlmCallOutcome } from '../../core/llm-call.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../../core/names.js';
import { clientPrototype } from '../shared/client.js';
import { type CallPlan, LlmInstrumentation, type MethodSite } from '../shared/llm-instrumentation.js';
import { observeResult } from '../shared/result.js';
import { isStream } from '../shared/stainless.js';
import { type CallStreamState, observeIterable } from '../shared/stream.js';
import { ChatStreamState, chatOutcome, requestAttributes } from './chat.js';
import { embeddingsAttributes, embeddingsOutcome } from './embeddings.js';
import { ImagesStreamState, imagesAttributes, imagesOutcome } from './images.js';
import { providerFor } from './provider.js';
import { ResponseStreamState, responseOutcome } from './responses.js';
import type { OpenAIInstrumentationConfig, RequestBody } from './types.js';

export const SUPPORTED_VERSIONS = ['>=4.0.0 <8'];

/** How one resource method maps to the LLM call core. */
interface OperationSpec {
  /** Where the method lives on the OpenAI class (e.g. ['Chat', 'Completions']). */
  path: string[];
  /** The patched method; default `create`. */
  method?: 'create' | 'generate';
  operation: string;
  /** The body to send: chat streams ask for usage unless the caller decided (injectedUsage). */
  prepare?(body: RequestBody, config: OpenAIInstrumentationConfig): RequestBody | undefined;
  attributes(body: RequestBody): Record<string, AttributeValue | undefined>;
  outcome(data: unknown): LlmCallOutcome;
  /** The state of a stream result; absent for operations without streams. */
  streamState?(injectedUsage: boolean): CallStreamState;
}

interface OpenAIPlan extends CallPlan {
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
  outcome: (data) => chatOutcome(data as Parameters<typeof chatOutcome>[0]),
  streamState: (injectedUsage) => new ChatStreamState(injectedUsage),
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

const OPERATIONS = [CHAT, RESPONSES, EMBEDDINGS, IMAGES];

/**
 * Instruments the `openai` package (v4 to v7): chat completions (plain, stream, parse, tools), the Responses
 * API (plain, stream) and embeddings, at the resource-method level (so SDK retries are one call). Works for
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

  protected callLabel(spec: OperationSpec): string {
    return `openai ${spec.operation}`;
  }

  protected planCall(spec: OperationSpec, self: unknown, args: unknown[]): OpenAIPlan {
    const body = args[0] as RequestBody;
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
    };
  }

  protected observeCall(spec: OperationSpec, call: LlmCall, result: unknown, plan: OpenAIPlan): unknown {
    const onData = (data: unknown) => {
      if (spec.streamState && isStream(data)) {
        observeIterable(data, 'iterator', call, spec.streamState(plan.injectedUsage), data);
      } else call.succeed(spec.outcome(data));
      return data;
    };
    return observeResult(result, call, onData, `openai ${spec.operation} (result)`);
  }
}
