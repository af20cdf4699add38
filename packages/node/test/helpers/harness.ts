import { createRequire } from 'node:module';
import { type Simulator, startSimulator } from '@otel-llm-cost/llm-simulator';
import {
  createLlmCostRuntime,
  type InitOptions,
  init,
  type LlmCostHandle,
  type LlmCostOptions,
  type LlmCostRuntime,
} from '../../src/index.js';
import { type CapturedPoint, type CapturedSpan, type OtlpReceiver, startOtlpReceiver } from './otlp-receiver.js';

/** One per test file (init() is process-wide): simulator + OTLP receiver + init() exporting http/json to it. */
export interface Harness {
  sim: Simulator;
  receiver: OtlpReceiver;
  otel: LlmCostHandle;
  warnings: string[];
  /** require() from this package (CommonJS: patched by the require hook once init() ran). */
  require: NodeRequire;
  /** Flushes spans and metrics to the receiver. */
  flush(): Promise<void>;
  /** LLM spans (scope of our instrumentation) flushed so far. */
  llmSpans(): CapturedSpan[];
  /** Flushes, then the one LLM span there is (throws when there are none or several). */
  onlySpan(): Promise<CapturedSpan>;
  /**
   * Gives the openai instrumentation a runtime of its own built from `options` (closing the last one built
   * here), or init()'s runtime again when called without options. The span processors keep init()'s runtime.
   */
  useRuntime(options?: LlmCostOptions): LlmCostRuntime;
  /** Latest metric points named `name` whose attributes include `match`. */
  points(name: string, match?: Record<string, unknown>): CapturedPoint[];
  close(): Promise<void>;
}

export async function startHarness(options: InitOptions = {}): Promise<Harness> {
  const [sim, receiver] = await Promise.all([startSimulator(), startOtlpReceiver()]);
  const warnings: string[] = [];
  let own: LlmCostRuntime | undefined;
  const otel = init({
    serviceName: 'harness-app',
    environment: 'test',
    endpoint: receiver.url,
    protocol: 'http/json',
    metricExportIntervalMs: 3_600_000,
    onWarning: (m) => warnings.push(m),
    ...options,
  });
  return {
    sim,
    receiver,
    otel,
    warnings,
    require: createRequire(import.meta.url),
    flush: () => otel.forceFlush(),
    llmSpans: () => receiver.spans.filter((s) => s.attributes['gen_ai.operation.name'] !== undefined),
    async onlySpan() {
      await otel.forceFlush();
      const spans = receiver.spans.filter((s) => s.attributes['gen_ai.operation.name'] !== undefined);
      if (spans.length !== 1) throw new Error(`expected one LLM span, got ${spans.length}`);
      return spans[0]!;
    },
    useRuntime(runtimeOptions) {
      own?.close();
      own = runtimeOptions ? createLlmCostRuntime(runtimeOptions) : undefined;
      const runtime = own ?? otel.runtime;
      otel.openai?.setConfig({ ...otel.openai.getConfig(), runtime });
      return runtime;
    },
    points: (name, match = {}) =>
      receiver
        .latestPoints()
        .filter((p) => p.name === name && Object.entries(match).every(([k, v]) => p.attributes[k] === v)),
    async close() {
      own?.close();
      await otel.shutdown();
      await Promise.all([sim.close(), receiver.close()]);
    },
  };
}
