import { context } from '@opentelemetry/api';
import { type InstrumentationConfig, isWrapped } from '@opentelemetry/instrumentation';
import { AttributionError } from '../../attribution/strict.js';
import { type LlmCall, type LlmCallOutcome, startLlmCall } from '../../core/llm-call.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../../core/names.js';
import { internalError } from '../../core/warn.js';
import { LlmInstrumentation } from '../shared/llm-instrumentation.js';
import {
  type EmbedResponseWire,
  embedOutcome,
  type GeminiResponseWire,
  GenerateStreamState,
  generateOutcome,
  modelName,
  type Params,
  requestAttributes,
} from './usage.js';

export const SUPPORTED_VERSIONS = ['>=1.0.0 <4'];

export type GoogleGenAIInstrumentationConfig = InstrumentationConfig;

type Method = (this: unknown, params: Params, ...rest: unknown[]) => Promise<unknown>;

interface ApiClientLike {
  isVertexAI?: () => boolean;
  getBaseUrl?: () => string;
}

/**
 * The per-request methods of `Models`: one HTTP request each (the SDK's own retries happen below them).
 * The public generateContent / generateContentStream / embedContent (instance arrow functions, and chats,
 * automatic function calling and continuation on top of them) all go through these, so every billed
 * request is one span.
 */
const METHODS: { name: string; operation: string; stream?: boolean; outcome?: (data: unknown) => LlmCallOutcome }[] = [
  {
    name: 'generateContentInternal',
    operation: 'generate_content',
    outcome: (d) => generateOutcome(d as GeminiResponseWire),
  },
  { name: 'generateContentStreamInternal', operation: 'generate_content', stream: true },
  { name: 'embedContentInternal', operation: 'embeddings', outcome: (d) => embedOutcome(d as EmbedResponseWire) },
];

function server(apiClient: ApiClientLike | undefined): { serverAddress?: string; serverPort?: number } {
  try {
    const url = new URL(apiClient?.getBaseUrl?.() ?? '');
    return {
      serverAddress: url.hostname,
      serverPort: url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443,
    };
  } catch {
    return {};
  }
}

interface AsyncIteratorLike {
  next: (...args: unknown[]) => Promise<IteratorResult<unknown>>;
  return?: (value?: unknown) => Promise<IteratorResult<unknown>>;
  throw?: (error?: unknown) => Promise<IteratorResult<unknown>>;
}

/** Observes an async generator in place (same object): items, completion, errors and early return (break). */
function observeGenerator(gen: AsyncIteratorLike, call: LlmCall): void {
  const state = new GenerateStreamState();
  let done = false;
  const finish = (how: 'complete' | 'abandoned' | 'error', error?: unknown) => {
    if (done) return;
    done = true;
    if (how === 'error') call.fail(error, state.outcome(true));
    else call.succeed(state.outcome(how === 'abandoned'));
  };
  const next = gen.next.bind(gen);
  const ret = gen.return?.bind(gen);
  const thr = gen.throw?.bind(gen);
  gen.next = async (...args: unknown[]) => {
    let result: IteratorResult<unknown>;
    try {
      result = await next(...args);
    } catch (error) {
      finish('error', error);
      throw error;
    }
    try {
      if (result.done) finish('complete');
      else {
        call.firstChunk();
        state.onChunk(result.value as GeminiResponseWire);
      }
    } catch (e) {
      internalError('observing a Gemini stream chunk', e);
    }
    return result;
  };
  if (ret) {
    gen.return = async (value?: unknown) => {
      finish('abandoned');
      return ret(value);
    };
  }
  if (thr) {
    gen.throw = async (error?: unknown) => {
      finish('error', error);
      return thr(error);
    };
  }
}

/**
 * Instruments `@google/genai` (the Google Gen AI SDK for the Gemini API and Vertex AI): generateContent,
 * generateContentStream and embedContent (and chats built on them). Provider `gcp.gemini`, or
 * `gcp.vertex_ai` for a client in Vertex AI mode.
 */
export class GoogleGenAIInstrumentation extends LlmInstrumentation<GoogleGenAIInstrumentationConfig> {
  constructor(config: GoogleGenAIInstrumentationConfig = {}) {
    super(`${PACKAGE_NAME}/google-genai`, PACKAGE_VERSION, config);
  }

  protected target() {
    return { module: '@google/genai', versions: SUPPORTED_VERSIONS };
  }

  private prototype(moduleExports: unknown): Record<string, unknown> | undefined {
    const m = moduleExports as Record<string, unknown> | undefined;
    const models = (m?.Models ?? (m?.default as Record<string, unknown> | undefined)?.Models) as
      | { prototype?: Record<string, unknown> }
      | undefined;
    return models?.prototype;
  }

  protected patchModule(moduleExports: unknown): void {
    const proto = this.prototype(moduleExports);
    if (!proto) {
      this._diag.debug('@google/genai: Models not found; not instrumented');
      return;
    }
    for (const spec of METHODS) {
      try {
        if (typeof proto[spec.name] !== 'function' || isWrapped(proto[spec.name])) continue;
        this._wrap(proto, spec.name, (original) => this.wrap(spec, original as Method));
      } catch (error) {
        internalError(`patching @google/genai Models.${spec.name}`, error);
      }
    }
  }

  protected unpatchModule(moduleExports: unknown): void {
    const proto = this.prototype(moduleExports);
    if (!proto) return;
    for (const spec of METHODS) if (isWrapped(proto[spec.name])) this._unwrap(proto, spec.name);
  }

  private wrap(spec: (typeof METHODS)[number], original: Method): Method {
    const instrumentation = this;
    return function instrumented(this: unknown, params: Params, ...rest: unknown[]) {
      let call: LlmCall;
      try {
        const apiClient = (this as { apiClient?: ApiClientLike } | undefined)?.apiClient;
        const vertex = apiClient?.isVertexAI?.() === true;
        call = startLlmCall(instrumentation.telemetry(), {
          provider: vertex ? 'gcp.vertex_ai' : 'gcp.gemini',
          operation: spec.operation,
          requestModel: modelName(params?.model),
          ...server(apiClient),
          attributes: requestAttributes(params ?? {}),
          streaming: spec.stream === true,
          inputContent: params?.contents,
        });
      } catch (error) {
        if (error instanceof AttributionError) throw error;
        internalError(`@google/genai ${spec.name} (before the call)`, error);
        return original.call(this, params, ...rest);
      }
      let result: Promise<unknown>;
      try {
        result = context.with(call.context, () => original.call(this, params, ...rest));
      } catch (error) {
        call.fail(error);
        throw error;
      }
      return result.then(
        (data) => {
          try {
            if (spec.stream && data && typeof (data as AsyncIteratorLike).next === 'function') {
              observeGenerator(data as AsyncIteratorLike, call);
            } else {
              call.succeed(spec.outcome ? spec.outcome(data) : {});
            }
          } catch (error) {
            internalError(`@google/genai ${spec.name} (result)`, error);
          }
          return data;
        },
        (error: unknown) => {
          call.fail(error);
          throw error;
        },
      );
    };
  }
}
