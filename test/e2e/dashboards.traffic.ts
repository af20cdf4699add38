// Simulated LLM traffic with known costs for the dashboards end-to-end test, and the numbers the dashboards must
// then show. The calls are plain data so that the same list can drive the real Node package against the LLM
// simulator once the collector pipeline is wired in.

export interface KnownCall {
  job: string;
  environment: string;
  /** service.version (a resource attribute; the SDK records it on the metrics too). */
  serviceVersion: string;
  /** app.version: the prompt or feature version (attribution). */
  appVersion: string;
  provider: string;
  model: string;
  feature?: string;
  team?: string;
  customer?: string;
  route?: string;
  /** USD; undefined = the model has no price (an unpriced call). */
  costUsd?: number;
  /**
   * USD billed to the customer under the markup (llmcost.billed), by hand: acme x1.3; globex on a plan of x1.1
   * plus $1 per million input and $5 per million output tokens; initech and calls without a customer: no rule.
   */
  billedUsd?: number;
  unpricedReason?: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheSavingsUsd?: number;
  durationSeconds: number;
  /** Failed calls carry error_type on the duration metric and nothing else. */
  errorType?: string;
}

const checkoutChat = {
  job: 'checkout-api',
  environment: 'prod',
  serviceVersion: '1.4.0',
  appVersion: 'chat-prompt-v3',
  feature: 'chat',
  team: 'search',
  route: '/api/chat',
} as const;

export const callKinds = {
  gpt4oAcme: {
    ...checkoutChat,
    provider: 'openai',
    model: 'gpt-4o',
    customer: 'acme',
    costUsd: 0.0125,
    // 0.0125 * 1.3
    billedUsd: 0.01625,
    inputTokens: 1000,
    outputTokens: 1000,
    cacheReadTokens: 200,
    cacheSavingsUsd: 0.00025,
    durationSeconds: 1.2,
  },
  miniGlobex: {
    ...checkoutChat,
    provider: 'openai',
    model: 'gpt-4o-mini',
    customer: 'globex',
    costUsd: 0.00045,
    // 0.00045 * 1.1 + 1500 * 1/1e6 + 375 * 5/1e6 = 0.000495 + 0.0015 + 0.001875
    billedUsd: 0.00387,
    inputTokens: 1500,
    outputTokens: 375,
    durationSeconds: 0.4,
  },
  sonnetSearch: {
    job: 'search-api',
    environment: 'prod',
    serviceVersion: '2.0.1',
    appVersion: 'search-v2',
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    feature: 'search',
    team: 'search',
    customer: 'acme',
    route: '/api/search',
    costUsd: 0.0315,
    // 0.0315 * 1.3
    billedUsd: 0.04095,
    inputTokens: 8000,
    outputTokens: 500,
    cacheReadTokens: 5000,
    cacheSavingsUsd: 0.0135,
    durationSeconds: 3.1,
  },
  sonnetSummarize: {
    job: 'search-api',
    environment: 'prod',
    serviceVersion: '2.0.1',
    appVersion: 'summarize-v1',
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    feature: 'summarize',
    team: 'platform',
    customer: 'initech',
    route: '/api/summarize',
    costUsd: 0.0042,
    inputTokens: 900,
    outputTokens: 100,
    durationSeconds: 0.9,
  },
  batchGpt4o: {
    job: 'batch',
    environment: 'staging',
    serviceVersion: '0.9.0',
    appVersion: 'batch-summarize-v1',
    provider: 'openai',
    model: 'gpt-4o',
    feature: 'summarize',
    team: 'platform',
    costUsd: 0.75,
    inputTokens: 200000,
    outputTokens: 25000,
    durationSeconds: 42,
  },
  unpriced: {
    ...checkoutChat,
    provider: 'openai',
    model: 'gpt-9-preview',
    customer: 'acme',
    unpricedReason: 'unknown_model',
    inputTokens: 300,
    outputTokens: 50,
    durationSeconds: 0.7,
  },
  rateLimited: {
    job: 'search-api',
    environment: 'prod',
    serviceVersion: '2.0.1',
    appVersion: 'search-v2',
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    feature: 'search',
    team: 'search',
    customer: 'acme',
    route: '/api/search',
    inputTokens: 0,
    outputTokens: 0,
    durationSeconds: 0.05,
    errorType: '429',
  },
} satisfies Record<string, KnownCall>;

const k = callKinds;
/** Traffic in batches, a few scrapes apart, so that rates have a shape. */
export const batches: KnownCall[][] = [
  [k.gpt4oAcme, k.miniGlobex, k.sonnetSearch, k.sonnetSummarize],
  [k.gpt4oAcme, k.sonnetSearch, k.batchGpt4o, k.unpriced, k.rateLimited],
  [k.miniGlobex, k.sonnetSummarize, k.gpt4oAcme, k.unpriced],
];

export const allCalls = batches.flat();

/** USD of the calls by a key; `usd` picks the figure (default the cost); calls without it are left out. */
export function sumBy(
  calls: KnownCall[],
  key: (c: KnownCall) => string | undefined,
  usd: (c: KnownCall) => number | undefined = (c) => c.costUsd,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of calls) {
    const v = usd(c);
    if (v === undefined) continue;
    const kk = key(c) ?? '';
    out[kk] = (out[kk] ?? 0) + v;
  }
  return out;
}

export const totalCost = allCalls.reduce((s, c) => s + (c.costUsd ?? 0), 0);
