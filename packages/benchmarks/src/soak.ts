// The collector-down soak (issue 12): runs soak-child.ts in its own process and judges its RSS series and its
// shutdown time. With no collector, every export is refused, and the SDK retries it until the exporter's timeout.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { childProcessOptions } from './runner.js';

export const SOAK_CALLS = 250_000;
/** The shorter soak a default bench run ends with. */
export const SOAK_CALLS_DEFAULT_RUN = 50_000;
/** "Flat after warm-up": the RSS at the end at most this many MB above the RSS at 20% of the run. */
export const SOAK_FLAT_MB = 5;

export interface SoakChildOptions {
  calls: number;
}

export interface SoakSample {
  /** Plain calls made when the sample was taken. */
  calls: number;
  /** RSS and heap used, MB (10^6 bytes), after gc. */
  rssMB: number;
  heapMB: number;
}

export interface SoakResult {
  calls: number;
  /** Where init() was told to export: a closed port. */
  endpoint: string;
  protocol: string;
  /** One sample before the first call, then one after every 10% of the calls. */
  samples: SoakSample[];
  /** Wall-clock seconds of the calls, and CPU µs per call over them. Not a per-call cost: the gc before each sample
   * slows the calls after it (see child.ts), and the first calls are not warmed up. The bench table has the cost. */
  callsSeconds: number;
  cpuUsPerCall: number;
  /** Wall-clock ms that handle.shutdown() took to resolve. */
  shutdownMs: number;
  /** What init() configured, read from the live SDK (undefined if a field was not found). */
  timeouts: {
    /** OTLP exporter timeoutMillis: the deadline of one export with its retries. */
    otlpTracesMs?: number;
    otlpMetricsMs?: number;
    /** BatchSpanProcessor exportTimeoutMillis: the cap on one export of a batch. */
    batchSpanProcessorMs?: number;
    /** PeriodicExportingMetricReader exportTimeoutMillis and exportIntervalMillis. */
    metricReaderMs?: number;
    metricIntervalMs?: number;
  };
  /** What the child wrote to stderr (our "could not export" hint), filled in by the parent. */
  stderr?: string;
}

const CHILD = fileURLToPath(new URL('./soak-child.ts', import.meta.url));

export function runSoak(calls: number, timeoutMs = 30 * 60_000): Promise<SoakResult> {
  const options: SoakChildOptions = { calls };
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [JSON.stringify(options)], childProcessOptions());
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    let result: SoakResult | undefined;
    let failure: string | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('message', (m: { type: 'result'; result: SoakResult } | { type: 'error'; message: string }) => {
      if (m.type === 'result') result = m.result;
      else failure = m.message;
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (result) resolve({ ...result, stderr: stderr.trim() || undefined });
      else reject(new Error(`soak: ${failure ?? `exited with ${code}`}\n${stderr}`));
    });
  });
}

export interface SoakVerdict {
  /** The sample at 20% of the run (the end of warm-up) and the last one. */
  warm: SoakSample;
  last: SoakSample;
  /** last.rssMB - warm.rssMB */
  growthMB: number;
  flat: boolean;
  /** The export timeout shutdown is held to: the larger of the two OTLP exporters' (undefined if not read). */
  exportTimeoutMs?: number;
  /** shutdownMs <= exportTimeoutMs */
  shutdownWithinTimeout?: boolean;
}

export function soakVerdict(r: SoakResult): SoakVerdict {
  // samples[0] is before the first call; samples[k] after k tenths of the calls.
  const warm = r.samples[Math.min(2, r.samples.length - 1)]!;
  const last = r.samples[r.samples.length - 1]!;
  const growthMB = last.rssMB - warm.rssMB;
  const known = [r.timeouts.otlpTracesMs, r.timeouts.otlpMetricsMs].filter((x): x is number => x !== undefined);
  const exportTimeoutMs = known.length ? Math.max(...known) : undefined;
  return {
    warm,
    last,
    growthMB,
    flat: growthMB <= SOAK_FLAT_MB,
    exportTimeoutMs,
    shutdownWithinTimeout: exportTimeoutMs === undefined ? undefined : r.shutdownMs <= exportTimeoutMs + 50, // the deadline itself, give or take a timer tick
  };
}
