import { diag } from '@opentelemetry/api';

const seen = new Set<string>();
let sink: ((message: string) => void) | undefined;

export function setWarningSink(fn: ((message: string) => void) | undefined): void {
  sink = fn;
}

/** Reports a problem once per key: to the configured sink, else to stderr and the OpenTelemetry diag logger. */
export function warnOnce(key: string, message: string): void {
  if (seen.has(key)) return;
  seen.add(key);
  const line = `[otel-llm-cost] ${message}`;
  diag.warn(line);
  if (sink) sink(line);
  else process.stderr.write(`${line}\n`);
}

/** Internal failures never reach the user's call: they are logged (once per place) and swallowed. */
export function internalError(where: string, error: unknown): void {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  warnOnce(`internal:${where}`, `internal error in ${where} (the call itself was not affected): ${detail}`);
}

/** Runs fn; on an internal error logs it and returns fallback. */
export function safely<T>(where: string, fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch (error) {
    internalError(where, error);
    return fallback;
  }
}
