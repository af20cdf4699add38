import type { TokenUsage } from '@otel-llm-cost/pricing';

/**
 * Built-in tool fees of the Responses API: each `web_search_call` output item is one call of the web search
 * tool, billed per call ($10 per 1,000 for gpt-4o, gpt-4.1, o4-mini, gpt-5... : genai-prices
 * `web_searches_kcount`). Searches the tool runs internally without an output item are not visible to us.
 */
export function webSearchCount(output: unknown): number {
  if (!Array.isArray(output)) return 0;
  let n = 0;
  for (const item of output) if ((item as { type?: unknown } | null)?.type === 'web_search_call') n++;
  return n;
}

/** `usage` with the searches of `output` counted in (`webSearches`); the pricer prices them where the data can. */
export function withWebSearches(usage: TokenUsage | undefined, output: unknown): TokenUsage | undefined {
  const searches = webSearchCount(output);
  return usage && searches > 0 ? { ...usage, webSearches: searches } : usage;
}
