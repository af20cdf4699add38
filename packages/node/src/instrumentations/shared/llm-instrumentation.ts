import { context, type TracerProvider } from '@opentelemetry/api';
import {
  InstrumentationBase,
  type InstrumentationConfig,
  InstrumentationNodeModuleDefinition,
  isWrapped,
} from '@opentelemetry/instrumentation';
import { AttributionError } from '../../attribution/strict.js';
import { enforceBudgets } from '../../budgets/enforce.js';
import { type LlmCall, type LlmCallStart, type LlmTelemetry, startLlmCall } from '../../core/llm-call.js';
import { createLlmMetrics, type LlmMetrics } from '../../core/metrics.js';
import { defaultRuntime, type LlmCostRuntime } from '../../core/runtime.js';
import type { Warnings } from '../../core/warn.js';
import { enforceRateLimit } from '../../limits/enforce.js';

/** The config every client instrumentation takes. */
export interface LlmInstrumentationConfig extends InstrumentationConfig {
  /**
   * The runtime that prices and attributes the calls (createLlmCostRuntime; init() passes its own). Give the
   * span processors the same one. Default: the default runtime.
   */
  runtime?: LlmCostRuntime;
}

/** One method to wrap: where it lives, and what the client needs to know about it (its spec). */
export interface MethodSite<Spec> {
  owner: Record<string, unknown>;
  name: string;
  spec: Spec;
}

/**
 * One call about to be made: its start (the plan is the LlmCallStart itself, so planning a call allocates
 * nothing more), and the arguments the client is called with (default: the caller's). Clients add their own.
 */
export interface CallPlan extends LlmCallStart {
  args?: unknown[];
}

type Method = (this: unknown, ...args: unknown[]) => unknown;

/**
 * What every LLM client instrumentation shares: the module definition for its package, our metric instruments
 * on the instrumentation's meter, the manual fallback, the patching of its methods, and the one call skeleton
 * (instrumentCall). A subclass names its package and methods, describes a call and reads its result.
 */
export abstract class LlmInstrumentation<
  C extends LlmInstrumentationConfig,
  Spec,
  Plan extends CallPlan = CallPlan,
> extends InstrumentationBase<C> {
  // `declare`: InstrumentationBase's constructor already calls _updateMetricInstruments; an initializer
  // here would run after it and wipe the instruments.
  declare private llmMetrics: LlmMetrics | undefined;
  declare private cachedTelemetry: Required<LlmTelemetry> | undefined;

  /** The package this instrumentation patches and the versions it supports (called from the base constructor). */
  protected abstract target(): { module: string; versions: string[] };

  /** The methods to wrap in these module exports (or in the client class passed to manuallyInstrument). */
  protected abstract methodsOf(moduleExports: unknown): MethodSite<Spec>[];

  /** How messages name a call of this spec (`openai chat`); built only when something goes wrong. */
  protected abstract callLabel(spec: Spec): string;

  /** The call this invocation makes, or undefined to pass it through untouched. */
  protected abstract planCall(spec: Spec, self: unknown, args: unknown[]): Plan | undefined;

  /** Ends `call` from what the method returned, and returns what the caller gets. */
  protected abstract observeCall(spec: Spec, call: LlmCall, result: unknown, plan: Plan): unknown;

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
    this.llmMetrics = createLlmMetrics(this.meter, this.metricScope());
    this.cachedTelemetry = undefined;
  }

  /** The instrumentation scope of this instrumentation's metrics (also when they are pre-aggregated). */
  private metricScope() {
    return { name: this.instrumentationName, version: this.instrumentationVersion };
  }

  override setTracerProvider(tracerProvider: TracerProvider): void {
    super.setTracerProvider(tracerProvider);
    this.cachedTelemetry = undefined;
  }

  override setConfig(config: C): void {
    super.setConfig(config);
    this.cachedTelemetry = undefined;
  }

  /**
   * Patches the client module (or its client class) you pass in: the fallback for bundlers and for code
   * that imported the client before the instrumentation was registered.
   */
  manuallyInstrument(moduleExports: unknown): void {
    this.patchModule(moduleExports);
  }

  /** Where calls go: this instrumentation's tracer and instruments, and its runtime. */
  protected telemetry(): Required<LlmTelemetry> {
    if (!this.cachedTelemetry) {
      this.llmMetrics ??= createLlmMetrics(this.meter, this.metricScope());
      const runtime = this.getConfig().runtime ?? defaultRuntime();
      this.cachedTelemetry = { tracer: this.tracer, metrics: this.llmMetrics, runtime };
    }
    return this.cachedTelemetry;
  }

  private warnings(): Warnings {
    return (this.getConfig().runtime ?? defaultRuntime()).warnings;
  }

  protected patchModule(moduleExports: unknown): void {
    let sites: MethodSite<Spec>[];
    try {
      sites = this.methodsOf(moduleExports);
    } catch (error) {
      this.warnings().internalError(`patching ${this.target().module}`, error);
      return;
    }
    for (const site of sites) {
      try {
        // Ours is always an own property of the prototype we patched; an inherited wrapper is someone else's.
        if (Object.hasOwn(site.owner, site.name) && isWrapped(site.owner[site.name])) continue;
        this._wrap(site.owner, site.name, (original) => this.wrapMethod(site.spec, original as Method));
      } catch (error) {
        this.warnings().internalError(`patching ${this.callLabel(site.spec)}`, error);
      }
    }
  }

  protected unpatchModule(moduleExports: unknown): void {
    for (const site of this.methodsOf(moduleExports)) {
      if (Object.hasOwn(site.owner, site.name) && isWrapped(site.owner[site.name])) this._unwrap(site.owner, site.name);
    }
  }

  private wrapMethod(spec: Spec, original: Method): Method {
    const instrumentation = this;
    return function instrumented(this: unknown, ...args: unknown[]) {
      return instrumentation.instrumentCall(spec, original, this, args);
    };
  }

  /**
   * The one call skeleton: start the call (strict attribution may throw AttributionError before anything is
   * sent; any other failure of ours passes the call through untouched), refuse it when its scope is over an
   * opt-in budget (BudgetExceededError, enforce mode) or rate limit (RateLimitedError), before anything is
   * sent, run the client method in the call's
   * context, end the call as failed when it throws, and let the client observe what it returned.
   */
  private instrumentCall(spec: Spec, original: Method, self: unknown, args: unknown[]): unknown {
    let plan: Plan | undefined;
    let call: LlmCall | undefined;
    try {
      plan = this.planCall(spec, self, args);
      if (plan) call = startLlmCall(this.telemetry(), plan);
    } catch (error) {
      if (error instanceof AttributionError) throw error;
      this.warnings().internalError(`${this.callLabel(spec)} (before the call)`, error);
      return original.apply(self, args);
    }
    if (!plan || !call) return original.apply(self, args);
    enforceBudgets(call); // opt-in: enforce mode throws BudgetExceededError (no request is sent)
    enforceRateLimit(call); // opt-in: throws RateLimitedError (no request is sent)

    let result: unknown;
    try {
      result = context.with(call.context, original, self, ...(plan.args ?? args));
    } catch (error) {
      call.fail(error);
      throw error;
    }
    try {
      return this.observeCall(spec, call, result, plan);
    } catch (error) {
      call.runtime.warnings.internalError(`${this.callLabel(spec)} (observing the result)`, error);
      return result;
    }
  }
}
