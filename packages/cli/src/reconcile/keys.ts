/** The admin key of a provider, read from the environment and checked by its prefix before any call. */
import { ReconcileError } from './http.js';
import type { Provider } from './types.js';

export const KEYS = {
  openai: {
    variable: 'OPENAI_ADMIN_KEY',
    standardVariable: 'OPENAI_API_KEY',
    kind: 'an OpenAI admin key (sk-admin-...)',
    where: 'platform.openai.com/settings/organization/admin-keys (organization owners only)',
    isAdmin: (k: string) => k.startsWith('sk-admin-'),
    isStandard: (k: string) => k.startsWith('sk-') && !k.startsWith('sk-admin-'),
  },
  anthropic: {
    variable: 'ANTHROPIC_ADMIN_KEY',
    standardVariable: 'ANTHROPIC_API_KEY',
    kind: 'an Anthropic Admin API key (sk-ant-admin...)',
    where: 'Claude Console > Settings > Admin keys (organization admins only)',
    isAdmin: (k: string) => k.startsWith('sk-ant-admin'),
    isStandard: (k: string) => k.startsWith('sk-ant-') && !k.startsWith('sk-ant-admin'),
  },
} as const;

/** The kind prefix of a key (`sk-proj-`, `sk-ant-api03-`), never any of its secret part. */
export function keyPrefix(key: string): string {
  return /^sk-(?:ant-)?(?:proj|svcacct|admin|api\d*|admin\d*)-/.exec(key)?.[0] ?? 'sk-';
}

export function adminKey(provider: Provider, env: NodeJS.ProcessEnv = process.env): string {
  const k = KEYS[provider];
  const key = env[k.variable]?.trim();
  if (!key) {
    const hint = env[k.standardVariable]
      ? ` (${k.standardVariable} is set, but a standard key cannot read the bill)`
      : '';
    throw new ReconcileError(
      `${k.variable} is not set${hint}`,
      `set ${k.variable} to ${k.kind}, created at ${k.where}`,
    );
  }
  if (k.isStandard(key)) {
    throw new ReconcileError(
      `${k.variable} holds a standard API key (${keyPrefix(key)}...), not an admin key`,
      `the usage and cost reports need ${k.kind}; create one at ${k.where} and put it in ${k.variable}`,
    );
  }
  // Any other shape (a proxy's or a simulator's key) is left to the API to judge: a 401/403 is mapped to the same advice.
  return key;
}
