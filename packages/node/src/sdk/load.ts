import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * The OpenTelemetry packages only init() uses (NodeSDK, the OTLP exporters), loaded when init() runs: an app that
 * brings its own NodeSDK and uses our instrumentations and processors never loads a second SDK (sdk-node alone is
 * about 15 MB of RSS). The ESM build loads a package's ESM entry, the module instance its static imports of the
 * other OpenTelemetry packages share, with require(esm) (synchronous, Node 22.12 and later); the CJS build, and
 * older Nodes, its CJS entry.
 */
const require = createRequire(import.meta.url);

export function loadSdkPackage<T>(name: string): T {
  // Empty in the CJS build (no import.meta there).
  const resolve = (import.meta as { resolve?: (specifier: string) => string }).resolve;
  if (typeof resolve === 'function') {
    try {
      return require(fileURLToPath(resolve(name))) as T;
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (code !== 'ERR_REQUIRE_ESM' && code !== 'ERR_REQUIRE_ASYNC_MODULE') throw error;
    }
  }
  return require(name) as T;
}
