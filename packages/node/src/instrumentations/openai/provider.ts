/** gen_ai.provider.name from the client's base URL: many providers speak the OpenAI wire format. */

const KNOWN_HOSTS: [(host: string) => boolean, string][] = [
  [(h) => h === 'api.openai.com', 'openai'],
  [(h) => h.endsWith('.openai.azure.com') || h.endsWith('.services.ai.azure.com'), 'azure.ai.openai'],
  [(h) => h === 'openrouter.ai' || h.endsWith('.openrouter.ai'), 'openrouter'],
  [(h) => h === 'api.groq.com', 'groq'],
  [(h) => h === 'api.deepseek.com', 'deepseek'],
  [(h) => h === 'api.mistral.ai', 'mistral_ai'],
  [(h) => h === 'api.together.xyz' || h === 'api.together.ai', 'together'],
  [(h) => h === 'api.x.ai', 'x_ai'],
];

export interface ServerInfo {
  provider: string;
  serverAddress?: string;
  serverPort?: number;
}

function parse(baseURL: string): URL | undefined {
  try {
    return new URL(baseURL);
  } catch {
    return undefined;
  }
}

const trimSlash = (s: string) => s.replace(/\/+$/, '');

/**
 * Unknown hosts count as `openai` (the model name then decides the price). `overrides` wins: keys are
 * base-URL prefixes or hosts (host:port allowed).
 */
const detected = new WeakMap<Record<string, string>, Map<string, ServerInfo>>();
const NO_OVERRIDES: Record<string, string> = {};

/** The last answer: an app mostly calls through one client, so most calls are two identity checks. */
let lastURL: string | undefined;
let lastOverrides: Record<string, string> | undefined;
let lastInfo: ServerInfo | undefined;

/** detectProvider, memoized per overrides object and base URL (a client keeps its base URL for life). */
export function providerFor(baseURL: unknown, overrides: Record<string, string> = NO_OVERRIDES): ServerInfo {
  if (typeof baseURL !== 'string') return detectProvider(baseURL, overrides);
  if (baseURL === lastURL && overrides === lastOverrides && lastInfo) return lastInfo;
  const info = memoized(baseURL, overrides);
  lastURL = baseURL;
  lastOverrides = overrides;
  lastInfo = info;
  return info;
}

function memoized(baseURL: string, overrides: Record<string, string>): ServerInfo {
  let byUrl = detected.get(overrides);
  if (!byUrl) {
    byUrl = new Map();
    detected.set(overrides, byUrl);
  }
  let info = byUrl.get(baseURL);
  if (!info) {
    if (byUrl.size >= 1000) byUrl.clear(); // clients with ever-new base URLs must not grow memory
    info = detectProvider(baseURL, overrides);
    byUrl.set(baseURL, info);
  }
  return info;
}

export function detectProvider(baseURL: unknown, overrides: Record<string, string> = {}): ServerInfo {
  if (typeof baseURL !== 'string') return { provider: 'openai' };
  const url = parse(baseURL);
  const serverAddress = url?.hostname;
  const serverPort = url?.port ? Number(url.port) : url?.protocol === 'http:' ? 80 : url ? 443 : undefined;
  for (const [key, provider] of Object.entries(overrides)) {
    if (
      key.includes('://') ? trimSlash(baseURL).startsWith(trimSlash(key)) : key === url?.host || key === url?.hostname
    ) {
      return { provider, serverAddress, serverPort };
    }
  }
  const host = serverAddress?.toLowerCase() ?? '';
  const match = KNOWN_HOSTS.find(([test]) => test(host));
  return { provider: match ? match[1] : 'openai', serverAddress, serverPort };
}
