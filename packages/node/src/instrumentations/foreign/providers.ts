import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { AnthropicInstrumentation, type AnthropicInstrumentationConfig } from '../anthropic/instrumentation.js';
import { BedrockInstrumentation, type BedrockInstrumentationConfig } from '../bedrock/instrumentation.js';
import { GoogleGenAIInstrumentation, type GoogleGenAIInstrumentationConfig } from '../google-genai/instrumentation.js';

/**
 * The provider instrumentations besides OpenAI, and the processor for other instrumentations' spans, as
 * init() sets them up. One place, so init() needs one line per hook.
 */

export interface ProviderInitOptions {
  /** @anthropic-ai/sdk options, or false to not instrument it (versions that trace themselves are priced via their own span). */
  anthropic?: AnthropicInstrumentationConfig | false;
  /** @google/genai options, or false. */
  googleGenAI?: GoogleGenAIInstrumentationConfig | false;
  /** @aws-sdk/client-bedrock-runtime options, or false. */
  bedrock?: BedrockInstrumentationConfig | false;
  /** Price, attribute and meter gen_ai spans of other instrumentations (and of SDKs that trace themselves). Default true. */
  foreignSpans?: boolean;
}

/** Module names whose ESM entries the loader hook must wrap for these instrumentations. */
export const PROVIDER_HOOKED_PACKAGES = ['@anthropic-ai/sdk', '@google/genai', '@aws-sdk/client-bedrock-runtime'];

interface ManualInstrumentation extends Instrumentation {
  manuallyInstrument(moduleExports: unknown): void;
}

const MODULE_OF = new WeakMap<object, string>();

export function providerInstrumentations(options: ProviderInitOptions = {}): ManualInstrumentation[] {
  const out: ManualInstrumentation[] = [];
  const add = (instrumentation: ManualInstrumentation, moduleName: string) => {
    MODULE_OF.set(instrumentation, moduleName);
    out.push(instrumentation);
  };
  if (options.anthropic !== false) add(new AnthropicInstrumentation(options.anthropic || {}), '@anthropic-ai/sdk');
  if (options.googleGenAI !== false) add(new GoogleGenAIInstrumentation(options.googleGenAI || {}), '@google/genai');
  if (options.bedrock !== false)
    add(new BedrockInstrumentation(options.bedrock || {}), '@aws-sdk/client-bedrock-runtime');
  return out;
}

/** Patches provider modules that were require()d before init() (CommonJS); later loads go through the hooks. */
export function patchProvidersAlreadyLoaded(instrumentations: ManualInstrumentation[]): void {
  let req: NodeJS.Require;
  try {
    req = createRequire(join(process.cwd(), 'noop.js'));
  } catch {
    return;
  }
  for (const instrumentation of instrumentations) {
    const name = MODULE_OF.get(instrumentation);
    if (!name) continue;
    try {
      const loaded = req.cache[req.resolve(name)];
      if (loaded) instrumentation.manuallyInstrument(loaded.exports);
    } catch {
      // not installed or not loaded yet
    }
  }
}
