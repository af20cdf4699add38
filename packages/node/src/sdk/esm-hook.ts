import { register } from 'node:module';
import { processWarnings, type Warnings } from '../core/warn.js';
import { CLIENT_PACKAGES } from './client-instrumentations.js';

/** Packages whose ESM entry must be hooked (import-in-the-middle wraps only these). Add new instrumentations here. */
export const HOOKED_PACKAGES = [...CLIENT_PACKAGES];

const KEY = Symbol.for('otel-llm-cost.esm-hook');
type Holder = { [KEY]?: boolean };

/**
 * Registers import-in-the-middle's loader hook (via @opentelemetry/instrumentation/hook.mjs) so that ESM
 * imports of the hooked packages, and of `extraPackages` (the modules of the user's own instrumentations,
 * e.g. express and http), made from now on get patched. Imports evaluated before this call are not.
 * The hook is process-wide, registered once.
 */
export function registerEsmHook(extraPackages: string[] = [], warnings: Warnings = processWarnings): boolean {
  const holder = globalThis as Holder;
  if (holder[KEY]) return true;
  try {
    register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, {
      data: { include: [...new Set([...HOOKED_PACKAGES, ...extraPackages])] },
    });
    holder[KEY] = true;
    return true;
  } catch (error) {
    warnings.internalError('registering the ESM loader hook', error);
    return false;
  }
}
