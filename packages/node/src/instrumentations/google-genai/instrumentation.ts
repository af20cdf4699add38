import type { LlmCall, LlmCallOutcome } from '../../core/llm-call.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../../core/names.js';
import { clientPrototype, serverOf } from '../shared/client.js';
import { type CallPlan, LlmInstrumentation, type MethodSite } from '../shared/llm-instrumentation.js';
import { observePromise } from '../shared/result.js';
import { observeIterator } from '../shared/stream.js';
import type { GoogleGenAIInstrumentationConfig } from './types.js';
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

interface ApiClientLike {
  isVertexAI?: () => boolean;
  getBaseUrl?: () => string;
}

interface MethodSpec {
  name: string;
  operation: string;
  stream?: boolean;
  outcome?: (data: unknown) => LlmCallOutcome;
}

/**
 * The per-request methods of `Models`: one HTTP request each (the SDK's own retries happen below them).
 * The public generateContent / generateContentStream / embedContent (instance arrow functions, and chats,
 * automatic function calling and continuation on top of them) all go through these, so every billed
 * request is one span.
 */
const METHODS: MethodSpec[] = [
  {
    name: 'generateContentInternal',
    operation: 'generate_content',
    outcome: (d) => generateOutcome(d as GeminiResponseWire),
  },
  { name: 'generateContentStreamInternal', operation: 'generate_content', stream: true },
  { name: 'embedContentInternal', operation: 'embeddings', outcome: (d) => embedOutcome(d as EmbedResponseWire) },
];

function baseUrl(apiClient: ApiClientLike | undefined): unknown {
  try {
    return apiClient?.getBaseUrl?.();
  } catch {
    return undefined;
  }
}

/**
 * Instruments `@google/genai` (the Google Gen AI SDK for the Gemini API and Vertex AI): generateContent,
 * generateContentStream and embedContent (and chats built on them). Provider `gcp.gemini`, or
 * `gcp.vertex_ai` for a client in Vertex AI mode.
 */
export type { GoogleGenAIInstrumentationConfig };

export class GoogleGenAIInstrumentation extends LlmInstrumentation<GoogleGenAIInstrumentationConfig, MethodSpec> {
  constructor(config: GoogleGenAIInstrumentationConfig = {}) {
    super(`${PACKAGE_NAME}/google-genai`, PACKAGE_VERSION, config);
  }

  protected target() {
    return { module: '@google/genai', versions: SUPPORTED_VERSIONS };
  }

  protected methodsOf(moduleExports: unknown): MethodSite<MethodSpec>[] {
    const owner = clientPrototype(moduleExports, 'Models');
    const sites: MethodSite<MethodSpec>[] = [];
    for (const spec of METHODS) {
      if (owner && typeof owner[spec.name] === 'function') sites.push({ owner, name: spec.name, spec });
    }
    if (sites.length === 0) this._diag.debug('@google/genai: Models not found; not instrumented');
    return sites;
  }

  protected callLabel(spec: MethodSpec): string {
    return `@google/genai ${spec.name}`;
  }

  protected planCall(spec: MethodSpec, self: unknown, args: unknown[]): CallPlan {
    const params = args[0] as Params;
    const apiClient = (self as { apiClient?: ApiClientLike } | undefined)?.apiClient;
    const vertex = apiClient?.isVertexAI?.() === true;
    return {
      provider: vertex ? 'gcp.vertex_ai' : 'gcp.gemini',
      operation: spec.operation,
      requestModel: modelName(params?.model),
      ...serverOf(baseUrl(apiClient)),
      attributes: requestAttributes(params ?? {}),
      streaming: spec.stream === true,
      inputContent: params?.contents,
    };
  }

  protected observeCall(spec: MethodSpec, call: LlmCall, result: unknown): unknown {
    const onData = (data: unknown) => {
      if (spec.stream && data && typeof (data as AsyncIterator<unknown>).next === 'function') {
        observeIterator(data as AsyncIterator<GeminiResponseWire>, call, new GenerateStreamState());
      } else {
        call.succeed(spec.outcome ? spec.outcome(data) : {});
      }
    };
    return observePromise(result as Promise<unknown>, call, onData, `@google/genai ${spec.name} (result)`);
  }
}
