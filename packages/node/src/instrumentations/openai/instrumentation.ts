import { type AttributeValue, context } from '@opentelemetry/api';
import { isWrapped } from '@opentelemetry/instrumentation';
import { AttributionError } from '../../attribution/strict.js';
import { type LlmCall, type LlmCallOutcome, startLlmCall } from '../../core/llm-call.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../../core/names.js';
import { internalError } from '../../core/warn.js';
import { LlmInstrumentation } from '../shared/llm-instrumentation.js';
import { isStream, observeResult, observeStream } from '../shared/stainless.js';
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
  prepare(body: RequestBody, config: OpenAIInstrumentationConfig): { body: RequestBody; injectedUsage: boolean };
  attributes(body: RequestBody): Record<string, AttributeValue | undefined>;
  outcome(data: unknown): LlmCallOutcome;
  /** Observes a stream result; absent for operations without streams. */
  stream?(call: LlmCall, stream: Parameters<typeof observeStream>[0], injectedUsage: boolean): void;
}

const CHAT: OperationSpec = {
  path: ['Chat', 'Completions'],
  operation: 'chat',
  prepare(body, config) {
    const wantsStream = body?.stream === true;
    const optedOut = config.streamUsage === false;
    const userSet = body?.stream_options != null && body.stream_options.include_usage !== undefined;
    if (!wantsStream || optedOut || userSet) return { body, injectedUsage: false };
    return { body: { ...body, stream_options: { ...body.stream_options, include_usage: true } }, injectedUsage: true };
  },
  attributes: requestAttributes,
  outcome: (data) => chatOutcome(data as Parameters<typeof chatOutcome>[0]),
  stream(call, stream, injectedUsage) {
    const state = new ChatStreamState();
    observeStream(stream, {
      onItem(chunk) {
        call.firstChunk();
        state.onChunk(chunk as Parameters<ChatStreamState['onChunk']>[0]);
      },
      hide: (chunk) => injectedUsage && ChatStreamState.isUsageOnly(chunk as Parameters<ChatStreamState['onChunk']>[0]),
      onEnd(how, error) {
        if (how === 'error') call.fail(error, state.outcome(true));
        else call.succeed(state.outcome(how === 'abandoned'));
      },
    });
  },
};

const RESPONSES: OperationSpec = {
  path: ['Responses'],
  operation: 'chat',
  prepare: (body) => ({ body, injectedUsage: false }),
  attributes: requestAttributes,
  outcome: (data) => responseOutcome(data as Parameters<typeof responseOutcome>[0]),
  stream(call, stream) {
    const state = new ResponseStreamState();
    observeStream(stream, {
      onItem(event) {
        call.firstChunk();
        state.onEvent(event as Parameters<ResponseStreamState['onEvent']>[0]);
      },
      onEnd(how, error) {
        if (how === 'error') call.fail(error, state.outcome(true));
        else call.succeed(state.outcome(how === 'abandoned'));
      },
    });
  },
};

const EMBEDDINGS: OperationSpec = {
  path: ['Embeddings'],
  operation: 'embeddings',
  prepare: (body) => ({ body, injectedUsage: false }),
  attributes: embeddingsAttributes,
  outcome: (data) => embeddingsOutcome(data as Parameters<typeof embeddingsOutcome>[0]),
};

const IMAGES: OperationSpec = {
  path: ['Images'],
  method: 'generate',
  operation: 'image_generation',
  prepare: (body) => ({ body, injectedUsage: false }),
  attributes: imagesAttributes,
  outcome: (data) => imagesOutcome(data as Parameters<typeof imagesOutcome>[0]),
  stream(call, stream) {
    const state = new ImagesStreamState();
    observeStream(stream, {
      onItem(event) {
        call.firstChunk();
        state.onEvent(event as Parameters<ImagesStreamState['onEvent']>[0]);
      },
      onEnd(how, error) {
        if (how === 'error') call.fail(error, state.outcome(true));
        else call.succeed(state.outcome(how === 'abandoned'));
      },
    });
  },
};

const OPERATIONS = [CHAT, RESPONSES, EMBEDDINGS, IMAGES];

type CreateFn = (this: unknown, body: RequestBody, options?: unknown, ...rest: unknown[]) => unknown;

/**
 * Instruments the `openai` package (v4 to v7): chat completions (plain, stream, parse, tools), the Responses
 * API (plain, stream) and embeddings, at the resource-method level (so SDK retries are one call). Works for
 * every client speaking the OpenAI wire format; the provider comes from the client's base URL.
 */
export class OpenAIInstrumentation extends LlmInstrumentation<OpenAIInstrumentationConfig> {
  constructor(config: OpenAIInstrumentationConfig = {}) {
    super(`${PACKAGE_NAME}/openai`, PACKAGE_VERSION, config);
  }

  protected target() {
    return { module: 'openai', versions: SUPPORTED_VERSIONS };
  }

  private prototypeFor(moduleExports: unknown, spec: OperationSpec): Record<string, unknown> | undefined {
    const path = spec.path;
    const method = spec.method ?? 'create';
    const m = moduleExports as Record<string, unknown> | undefined;
    // CJS exports / ESM namespace carry OpenAI (and default); the class itself may be passed too.
    const root = (m?.OpenAI ?? (m?.default as Record<string, unknown> | undefined)?.OpenAI ?? m?.default ?? m) as
      | Record<string, unknown>
      | undefined;
    let target: unknown = root;
    for (const key of path) target = (target as Record<string, unknown> | undefined)?.[key];
    const proto = (target as { prototype?: Record<string, unknown> } | undefined)?.prototype;
    return proto && typeof proto[method] === 'function' ? proto : undefined;
  }

  protected patchModule(moduleExports: unknown): void {
    for (const spec of OPERATIONS) {
      try {
        const method = spec.method ?? 'create';
        const proto = this.prototypeFor(moduleExports, spec);
        if (!proto) {
          this._diag.debug(`openai: ${spec.path.join('.')}.${method} not found; not instrumented`);
          continue;
        }
        if (isWrapped(proto[method])) continue;
        this._wrap(proto, method, (original) => this.wrapCreate(spec, original as CreateFn));
      } catch (error) {
        internalError(`patching openai ${spec.path.join('.')}`, error);
      }
    }
  }

  protected unpatchModule(moduleExports: unknown): void {
    for (const spec of OPERATIONS) {
      const method = spec.method ?? 'create';
      const proto = this.prototypeFor(moduleExports, spec);
      if (proto && isWrapped(proto[method])) this._unwrap(proto, method);
    }
  }

  private wrapCreate(spec: OperationSpec, original: CreateFn): CreateFn {
    const instrumentation = this;
    return function instrumentedCreate(this: unknown, body: RequestBody, ...rest: unknown[]) {
      let call: LlmCall;
      let prepared: { body: RequestBody; injectedUsage: boolean };
      try {
        const config = instrumentation.getConfig();
        const client = (this as { _client?: { baseURL?: unknown } } | undefined)?._client;
        const server = providerFor(client?.baseURL, config.providers);
        prepared = spec.prepare(body, config);
        call = startLlmCall(instrumentation.telemetry(), {
          provider: server.provider,
          operation: spec.operation,
          requestModel: typeof body?.model === 'string' ? body.model : undefined,
          serverAddress: server.serverAddress,
          serverPort: server.serverPort,
          attributes: spec.attributes(body ?? {}),
          streaming: body?.stream === true,
          inputContent: body?.messages ?? body?.input ?? body?.prompt,
        });
      } catch (error) {
        if (error instanceof AttributionError) throw error;
        internalError(`openai ${spec.operation} (before the call)`, error);
        return original.call(this, body, ...rest);
      }

      let result: unknown;
      try {
        result = context.with(call.context, () => original.call(this, prepared.body, ...rest));
      } catch (error) {
        call.fail(error);
        throw error;
      }
      try {
        return instrumentation.observe(spec, call, result, prepared.injectedUsage);
      } catch (error) {
        internalError(`openai ${spec.operation} (observing the result)`, error);
        return result;
      }
    };
  }

  private observe(spec: OperationSpec, call: LlmCall, result: unknown, injectedUsage: boolean): unknown {
    const onData = (data: unknown) => {
      if (spec.stream && isStream(data)) spec.stream(call, data, injectedUsage);
      else call.succeed(spec.outcome(data));
      return data;
    };
    return observeResult(result, call, onData, `openai ${spec.operation} (result)`);
  }
}
