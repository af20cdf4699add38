/** Finding a client's classes in its module exports, and its server from a base URL. */

type Exports = Record<string, unknown> | undefined;

/**
 * The prototype of a client class: `className` on the CJS exports / ESM namespace (or its default), else the
 * module itself (the class may be passed to manuallyInstrument), then `path` below it (e.g. ['Chat', 'Completions']).
 */
export function clientPrototype(
  moduleExports: unknown,
  className: string,
  path: readonly string[] = [],
): Record<string, unknown> | undefined {
  const m = moduleExports as Exports;
  let target: unknown = m?.[className] ?? (m?.default as Exports)?.[className] ?? m?.default ?? m;
  for (const key of path) target = (target as Exports)?.[key];
  const proto = (target as { prototype?: unknown } | undefined)?.prototype;
  return proto && typeof proto === 'object' ? (proto as Record<string, unknown>) : undefined;
}

export interface ServerInfo {
  serverAddress?: string;
  serverPort?: number;
}

/** server.address and server.port of a base URL (the scheme's port when none is given); {} when it is no URL. */
export function serverOf(baseURL: unknown): ServerInfo {
  if (typeof baseURL !== 'string') return {};
  try {
    const url = new URL(baseURL);
    return {
      serverAddress: url.hostname,
      serverPort: url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443,
    };
  } catch {
    return {};
  }
}
