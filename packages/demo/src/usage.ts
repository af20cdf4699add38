import type { ReplyHandler, SimUsage } from '@otel-llm-cost/llm-simulator';
import { INVALID_TEMPERATURE } from './traffic.ts';

/** Token usage the simulator answers with, per model: typical sizes for each route of the sample app. */
export const DEMO_USAGE: Record<string, SimUsage> = {
  'gpt-4o-mini': { inputTokens: 1450, cachedTokens: 1280, outputTokens: 180 },
  'text-embedding-3-small': { inputTokens: 12 },
  'gpt-4o': { inputTokens: 620, outputTokens: 240 },
  'gpt-6.1-sol': { inputTokens: 300, outputTokens: 2600, reasoningTokens: 2100 },
  'claude-sonnet-5-5': { inputTokens: 1500, cachedTokens: 1400, outputTokens: 350 },
  'ft:gpt-4o-mini:shop::review-triage': { inputTokens: 90, outputTokens: 5 },
};

/** The LLM calls each route of the sample app makes, by model. */
export const ROUTE_MODELS: Record<string, string[]> = {
  '/api/support/chat': ['gpt-4o-mini'],
  '/api/search': ['text-embedding-3-small', 'gpt-4o'],
  '/api/research': ['gpt-6.1-sol'],
  '/api/docs/summarize': ['claude-sonnet-5-5'],
  '/api/moderate': ['ft:gpt-4o-mini:shop::review-triage'],
};

export const demoReplies: ReplyHandler = (request) => {
  if (JSON.stringify(request.body ?? '').includes(`temperature ${INVALID_TEMPERATURE}`)) {
    return {
      status: 400,
      errorMessage: `Invalid value for temperature: ${INVALID_TEMPERATURE} is above the maximum of 2.`,
    };
  }
  const model = (request.body as { model?: string } | undefined)?.model ?? /models\/([^/:]+)/.exec(request.path)?.[1];
  const usage = model ? DEMO_USAGE[model] : undefined;
  return usage ? { usage } : undefined;
};
