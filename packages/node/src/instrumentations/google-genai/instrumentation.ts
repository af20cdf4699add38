import type { AttributeValue } from '@opentelemetry/api';
import { isWrapped } from '@opentelemetry/instrumentation';
import type { LlmCall, LlmCallOutcome } from '../../core/llm-call.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../../core/names.js';
import { clientPrototype, serverOf } from '../shared/client.js';
import { type CallPlan, LlmInstrumentation, type MethodSite } from '../shared/llm-instrumentation.js';
import { observePromise } from '../shared/result.js';
import { observeIterator } from '../shared/stream.js';
import { type BatchJobWire, recordBatchResults } from './batch.js';
import {
  type CachedContentWire,
  cachedContentOutcome,
  type GenerateImagesResponseWire,
  imagesOutcome,
  imagesRequestAttributes,
  videosOutcome,
  videosRequestAttributes,
} from './jobs.js';
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
  /** The exported class whose prototype holds the method. */
  owner: 'Models' | 'Caches';
  name: string;
  operation: string;
  stream?: boolean;
  outcome?: (data: unknown, params: Params) => LlmCallOutcome;
  /** Request attributes (default: the sampling parameters) and whether the request's contents are the prompt. */
  attributes?: (params: Params) => Record<string, AttributeValue | undefined>;
  noPrompt?: boolean;
}

/**
 * The per-request methods: one HTTP request each (the SDK's own retries happen below them). The public
 * generateContent / generateContentStream / embedContent / generateImages / generateVideos (instance arrow
 * functions, and chats, automatic function calling and continuation on top of them) all go through the
 * `*Internal` methods of `Models`, so every billed request is one span.
 */
const METHODS: MethodSpec[] = [
  {
    owner: 'Models',
    name: 'generateContentInternal',
    operation: 'generate_content',
    outcome: (d) => generateOutcome(d as GeminiResponseWire),
  },
  { owner: 'Models', name: 'generateContentStreamInternal', operation: 'generate_content', stream: true },
  {
    owner: 'Models',
    name: 'embedContentInternal',
    operation: 'embeddings',
    outcome: (d) => embedOutcome(d as EmbedResponseWire),
  },
  {
    owner: 'Models',
    name: 'generateImagesInternal',
    operation: 'image_generation',
    outcome: (d) => imagesOutcome(d as GenerateImagesResponseWire),
    attributes: imagesRequestAttributes,
  },
  {
    owner: 'Models',
    name: 'generateVideosInternal',
    operation: 'video_generation',
    outcome: (d, params) => videosOutcome(d as { name?: string }, params),
    attributes: videosRequestAttributes,
  },
  {
    owner: 'Caches',
    name: 'create',
    operation: 'create_cached_content',
    outcome: (d) => cachedContentOutcome(d as CachedContentWire, false),
    attributes: () => ({}),
    noPrompt: true,
  },
  {
    owner: 'Caches',
    name: 'update',
    operation: 'update_cached_content',
    outcome: (d) => cachedContentOutcome(d as CachedContentWire, true),
    attributes: () => ({}),
    noPrompt: true,
  },
];

type BatchGet = (this: unknown, ...args: unknown[]) => Promise<unknown>;

function providerOf(apiClient: ApiClientLike | undefined): string {
  return apiClient?.isVertexAI?.() === true ? 'gcp.vertex_ai' : 'gcp.gemini';
}

function baseUrl(apiClient: ApiClientLike | undefined): unknown {
  try {
    return apiClient?.getBaseUrl?.();
  } catch {
    return undefined;
  }
}

/**
 * Instruments `@google/genai` (the Google Gen AI SDK for the Gemini API and Vertex AI): generateContent,
 * generateContentStream and embedContent (and chats built on them), generateImages, generateVideos,
 * caches.create / caches.update, and the inlined results of batches (batches.get). Provider `gcp.gemini`, or
 * `gcp.vertex_ai` for a client in Vertex AI mode.
 */
export type { GoogleGenAIInstrumentationConfig };

interface GenAIPlan extends CallPlan {
  params: Params;
}

export class GoogleGenAIInstrumentation extends LlmInstrumentation<
  GoogleGenAIInstrumentationConfig,
  MethodSpec,
  GenAIPlan
> {
  constructor(config: GoogleGenAIInstrumentationConfig = {}) {
    super(`${PACKAGE_NAME}/google-genai`, PACKAGE_VERSION, config);
  }

  protected target() {
    return { module: '@google/genai', versions: SUPPORTED_VERSIONS };
  }

  protected methodsOf(moduleExports: unknown): MethodSite<MethodSpec>[] {
    const sites: MethodSite<MethodSpec>[] = [];
    for (const spec of METHODS) {
      const owner = clientPrototype(moduleExports, spec.owner);
      if (owner && typeof owner[spec.name] === 'function') sites.push({ owner, name: spec.name, spec });
    }
    if (sites.length === 0) this._diag.debug('@google/genai: Models / Caches not found; not instrumented');
    return sites;
  }

  /** batches.get is no call of its own: the results of a finished job are (see batch.ts). */
  protected override patchModule(moduleExports: unknown): void {
    super.patchModule(moduleExports);
    try {
      const owner = clientPrototype(moduleExports, 'Batches');
      if (!owner || typeof owner.get !== 'function') return;
      if (Object.hasOwn(owner, 'get') && isWrapped(owner.get)) return;
      this._wrap(owner, 'get', (original) => this.wrapBatchGet(original as BatchGet));
    } catch (error) {
      this.telemetry().runtime.warnings.internalError('patching @google/genai Batches.get', error);
    }
  }

  protected override unpatchModule(moduleExports: unknown): void {
    super.unpatchModule(moduleExports);
    const owner = clientPrototype(moduleExports, 'Batches');
    if (owner && Object.hasOwn(owner, 'get') && isWrapped(owner.get)) this._unwrap(owner, 'get');
  }

  /** The caller gets the SDK's promise chained once (same value, same rejection); results are recorded on the side. */
  private wrapBatchGet(original: BatchGet): BatchGet {
    const instrumentation = this;
    return function get(this: unknown, ...args: unknown[]) {
      const result = original.apply(this, args);
      if (!result || typeof result.then !== 'function') return result;
      const apiClient = (this as { apiClient?: ApiClientLike } | undefined)?.apiClient;
      return result.then((job) => {
        try {
          const telemetry = instrumentation.telemetry();
          recordBatchResults(telemetry, job as BatchJobWire, {
            provider: providerOf(apiClient),
            ...serverOf(baseUrl(apiClient)),
          });
        } catch (error) {
          instrumentation.telemetry().runtime.warnings.internalError('@google/genai batches.get (result)', error);
        }
        return job;
      });
    };
  }

  protected callLabel(spec: MethodSpec): string {
    return `@google/genai ${spec.owner}.${spec.name}`;
  }

  protected planCall(spec: MethodSpec, self: unknown, args: unknown[]): GenAIPlan {
    const params = args[0] as Params;
    const apiClient = (self as { apiClient?: ApiClientLike } | undefined)?.apiClient;
    return {
      provider: providerOf(apiClient),
      operation: spec.operation,
      requestModel: modelName(params?.model),
      ...serverOf(baseUrl(apiClient)),
      attributes: (spec.attributes ?? requestAttributes)(params ?? {}),
      streaming: spec.stream === true,
      inputContent: spec.noPrompt ? undefined : (params?.contents ?? params?.prompt),
      params: params ?? {},
    };
  }

  protected observeCall(spec: MethodSpec, call: LlmCall, result: unknown, plan: GenAIPlan): unknown {
    const onData = (data: unknown) => {
      if (spec.stream && data && typeof (data as AsyncIterator<unknown>).next === 'function') {
        observeIterator(data as AsyncIterator<GeminiResponseWire>, call, new GenerateStreamState());
      } else {
        call.succeed(spec.outcome ? spec.outcome(data, plan.params) : {});
      }
    };
    return observePromise(result as Promise<unknown>, call, onData, `${this.callLabel(spec)} (result)`);
  }
}
