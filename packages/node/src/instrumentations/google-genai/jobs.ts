import type { AttributeValue } from '@opentelemetry/api';
import type { LlmCallOutcome } from '../../core/llm-call.js';
import { count } from '../shared/usage.js';
import { modelName, type Params } from './usage.js';

/**
 * The billed @google/genai calls that are no generateContent: explicit context caches, Imagen and Veo. Their
 * units (cache storage per token-hour, images, seconds of video) have no unit in genai-prices
 * (packages/pricing/data/units.json), so their usage is reported in those units (TokenUsage.images, ...): the
 * pricer says `unsupported_usage` and the span carries the count, never a cost of 0.
 */

/** Span attributes of these calls (the provider's units; there is no semconv name for them). */
export const GENAI_ATTR = {
  /** CachedContent `usageMetadata.totalTokenCount`: the tokens held in the cache (billed per hour stored). */
  CACHED_CONTENT_TOKENS: 'gcp.gen_ai.cached_content.token_count',
  /** Seconds from the call until the cache expires (`expireTime` - `createTime` / `updateTime`). */
  CACHED_CONTENT_TTL: 'gcp.gen_ai.cached_content.ttl_seconds',
  /** Imagen `config.numberOfImages` (the API's default when absent). */
  REQUEST_IMAGES: 'gcp.gen_ai.request.number_of_images',
  /** Veo `config.numberOfVideos` and `config.durationSeconds` (the billed seconds are videos x duration). */
  REQUEST_VIDEOS: 'gcp.gen_ai.request.number_of_videos',
  REQUEST_VIDEO_SECONDS: 'gcp.gen_ai.request.duration_seconds',
  /** The batch a deferred batch-result span belongs to, and the request's index in it. */
  BATCH_NAME: 'gcp.gen_ai.batch.name',
  BATCH_INDEX: 'gcp.gen_ai.batch.index',
} as const;

/** The parts of @google/genai 3.1 `CachedContent` that we read. */
export interface CachedContentWire {
  name?: string;
  model?: string;
  createTime?: string;
  updateTime?: string;
  expireTime?: string;
  usageMetadata?: { totalTokenCount?: number };
}

function secondsBetween(from: string | undefined, to: string | undefined): number | undefined {
  const a = typeof from === 'string' ? Date.parse(from) : Number.NaN;
  const b = typeof to === 'string' ? Date.parse(to) : Number.NaN;
  return Number.isFinite(a) && Number.isFinite(b) && b >= a ? (b - a) / 1000 : undefined;
}

/**
 * caches.create / caches.update. Storage is billed per token-hour (tokens x hours until expiry), reported as
 * `cacheStorageTokenHours` (never as input tokens: Google bills storage, not input). The tokens are billed again
 * as cache reads by the generateContent calls that use the cache.
 */
export function cachedContentOutcome(cache: CachedContentWire, updated: boolean): LlmCallOutcome {
  const tokens = count(cache?.usageMetadata?.totalTokenCount);
  const ttl = secondsBetween(updated ? cache?.updateTime : cache?.createTime, cache?.expireTime);
  return {
    usage:
      tokens !== undefined && ttl !== undefined
        ? { inputTokens: 0, outputTokens: 0, cacheStorageTokenHours: (tokens * ttl) / 3600 }
        : undefined,
    responseModel: modelName(cache?.model),
    responseId: typeof cache?.name === 'string' ? cache.name : undefined,
    attributes: {
      [GENAI_ATTR.CACHED_CONTENT_TOKENS]: tokens,
      [GENAI_ATTR.CACHED_CONTENT_TTL]: ttl,
    },
  };
}

/** The parts of @google/genai 3.1 `GenerateImagesResponse` that we read. */
export interface GenerateImagesResponseWire {
  generatedImages?: { image?: unknown; raiFilteredReason?: string }[];
}

export function imagesRequestAttributes(params: Params): Record<string, AttributeValue | undefined> {
  return { [GENAI_ATTR.REQUEST_IMAGES]: count(params?.config?.numberOfImages) };
}

/**
 * models.generateImages (Imagen): billed per image returned (those filtered by responsible-AI checks are not
 * billed, nor counted). The response reports no tokens: the usage is the image count.
 */
export function imagesOutcome(resp: GenerateImagesResponseWire): LlmCallOutcome {
  const images = Array.isArray(resp?.generatedImages) ? resp.generatedImages.filter((g) => g?.image).length : 0;
  return { usage: { inputTokens: 0, outputTokens: 0, images } };
}

export function videosRequestAttributes(params: Params): Record<string, AttributeValue | undefined> {
  return {
    [GENAI_ATTR.REQUEST_VIDEOS]: count(params?.config?.numberOfVideos),
    [GENAI_ATTR.REQUEST_VIDEO_SECONDS]: count(params?.config?.durationSeconds),
  };
}

/**
 * models.generateVideos (Veo) starts a long-running operation, billed per second of video generated. The span
 * is the start call (its id the operation name); its usage is the seconds asked for (videos x duration, when
 * the request gives a duration; else no usage: the call is unpriced `no_usage`). Polls
 * (operations.getVideosOperation) are not billed and get no span.
 */
export function videosOutcome(op: { name?: string }, params: Params): LlmCallOutcome {
  const seconds = count(params?.config?.durationSeconds);
  const videos = count(params?.config?.numberOfVideos) ?? 1;
  return {
    responseId: typeof op?.name === 'string' ? op.name : undefined,
    usage:
      seconds !== undefined ? { inputTokens: 0, outputTokens: 0, outputVideoSeconds: seconds * videos } : undefined,
  };
}
