import {
  InstrumentationBase,
  type InstrumentationConfig,
  InstrumentationNodeModuleDefinition,
} from '@opentelemetry/instrumentation';
import type { LlmTelemetry } from '../../core/llm-call.js';
import { createLlmMetrics, type LlmMetrics } from '../../core/metrics.js';

/**
 * What every LLM client instrumentation shares: the module definition for its package, our metric
 * instruments on the instrumentation's meter, and the manual fallback. A subclass names its package and
 * patches it.
 */
export abstract class LlmInstrumentation<C extends InstrumentationConfig> extends InstrumentationBase<C> {
  // `declare`: InstrumentationBase's constructor already calls _updateMetricInstruments; an initializer
  // here would run after it and wipe the instruments.
  declare private llmMetrics: LlmMetrics | undefined;

  /** The package this instrumentation patches and the versions it supports (called from the base constructor). */
  protected abstract target(): { module: string; versions: string[] };

  protected abstract patchModule(moduleExports: unknown): void;

  protected abstract unpatchModule(moduleExports: unknown): void;

  protected override init() {
    const { module, versions } = this.target();
    return [
      new InstrumentationNodeModuleDefinition(
        module,
        versions,
        (moduleExports) => {
          this.patchModule(moduleExports);
          return moduleExports;
        },
        (moduleExports) => {
          this.unpatchModule(moduleExports);
        },
      ),
    ];
  }

  protected override _updateMetricInstruments(): void {
    this.llmMetrics = createLlmMetrics(this.meter);
  }

  /**
   * Patches the client module (or its client class) you pass in: the fallback for bundlers and for code
   * that imported the client before the instrumentation was registered.
   */
  manuallyInstrument(moduleExports: unknown): void {
    this.patchModule(moduleExports);
  }

  protected telemetry(): LlmTelemetry {
    this.llmMetrics ??= createLlmMetrics(this.meter);
    return { tracer: this.tracer, metrics: this.llmMetrics };
  }
}
