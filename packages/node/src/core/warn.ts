import { diag } from '@opentelemetry/api';

/**
 * Where one runtime's warnings go: the user's `onWarning`, else stderr (and the OpenTelemetry diag logger),
 * once per distinct problem. Each runtime has its own, so two setups in one process keep their own sinks.
 */
export class Warnings {
  private readonly seen = new Set<string>();

  constructor(private readonly sink?: (message: string) => void) {}

  /** Reports a problem once per key. */
  warnOnce(key: string, message: string): void {
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const line = `[otel-llm-cost] ${message}`;
    diag.warn(line);
    if (this.sink) this.sink(line);
    else process.stderr.write(`${line}\n`);
  }

  /** Internal failures never reach the user's call: they are logged (once per place) and swallowed. */
  internalError(where: string, error: unknown): void {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.warnOnce(`internal:${where}`, `internal error in ${where} (the call itself was not affected): ${detail}`);
  }
}

/** For the few places that belong to no runtime (the process-wide ESM loader hook): stderr, once per problem. */
export const processWarnings = new Warnings();
