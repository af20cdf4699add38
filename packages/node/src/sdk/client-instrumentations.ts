import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { LlmCostRuntime } from '../core/runtime.js';
import {
  AnthropicInstrumentation,
  type AnthropicInstrumentationConfig,
} from '../instrumentations/anthropic/instrumentation.js';
import {
  BedrockInstrumentation,
  type BedrockInstrumentationConfig,
} from '../instrumentations/bedrock/instrumentation.js';
import {
  GoogleGenAIInstrumentation,
  type GoogleGenAIInstrumentationConfig,
} from '../instrumentations/google-genai/instrumentation.js';
import { OpenAIInstrumentation } from '../instrumentations/openai/instrumentation.js';
import type { OpenAIInstrumentationConfig } from '../instrumentations/openai/types.js';

/** Our own client instrumentations as init() sets them up, all with init()'s runtime. */

export interface ProviderInitOptions {
  /** OpenAI instrumentation options, or false to not instrument openai. */
  openai?: OpenAIInstrumentationConfig | false;
  /** @anthropic-ai/sdk options, or false to not instrument it (versions that trace themselves are priced via their own span). */
  anthropic?: AnthropicInstrumentationConfig | false;
  /** @google/genai options, or false. */
  googleGenAI?: GoogleGenAIInstrumentationConfig | false;
  /** @aws-sdk/client-bedrock-runtime options, or false. */
  bedrock?: BedrockInstrumentationConfig | false;
  /** Price, attribute and meter gen_ai spans of other instrumentations (and of SDKs that trace themselves). Default true. */
  foreignSpans?: boolean;
}

/** Module names whose ESM entries the loader hook must wrap for our instrumentations. */
export const CLIENT_PACKAGES = ['openai', '@anthropic-ai/sdk', '@google/genai', '@aws-sdk/client-bedrock-runtime'];

type ClientInstrumentation = Instrumentation & { manuallyInstrument(moduleExports: unknown): void };

export interface ClientInstrumentations {
  openai: OpenAIInstrumentation | undefined;
  /** Every one of them, with the module it patches. */
  all: { instrumentation: ClientInstrumentation; module: string }[];
}

export function clientInstrumentations(options: ProviderInitOptions, runtime: LlmCostRuntime): ClientInstrumentations {
  const openai = options.openai === false ? undefined : new OpenAIInstrumentation({ ...options.openai, runtime });
  const all: ClientInstrumentations['all'] = [];
  if (openai) all.push({ instrumentation: openai, module: 'openai' });
  if (options.anthropic !== false)
    all.push({
      instrumentation: new AnthropicInstrumentation({ ...options.anthropic, runtime }),
      module: '@anthropic-ai/sdk',
    });
  if (options.googleGenAI !== false)
    all.push({
      instrumentation: new GoogleGenAIInstrumentation({ ...options.googleGenAI, runtime }),
      module: '@google/genai',
    });
  if (options.bedrock !== false)
    all.push({
      instrumentation: new BedrockInstrumentation({ ...options.bedrock, runtime }),
      module: '@aws-sdk/client-bedrock-runtime',
    });
  return { openai, all };
}

/** Patches client modules that were require()d before init() (CommonJS); later loads go through the hooks. */
export function patchAlreadyLoaded(instrumentations: ClientInstrumentations['all']): void {
  let req: NodeJS.Require;
  try {
    req = createRequire(join(process.cwd(), 'noop.js'));
  } catch {
    return;
  }
  for (const { instrumentation, module } of instrumentations) {
    try {
      const loaded = req.cache[req.resolve(module)];
      if (loaded) instrumentation.manuallyInstrument(loaded.exports);
    } catch {
      // not installed or not loaded yet
    }
  }
}
