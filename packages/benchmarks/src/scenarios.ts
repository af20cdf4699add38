// The scenarios, one per child process (instrumentations patch modules process-wide). Each one sets up its
// telemetry first and only then loads the openai client, the way an app would.
import { createRequire } from 'node:module';
import { createPipeline, type Pipeline, type SpanSummary, summarize } from './pipeline.js';

const require = createRequire(import.meta.url);

export type ScenarioId =
  | 'none-6'
  | 'none-7'
  | 'ours-6'
  | 'ours-spans-6'
  | 'ours-instruments-6'
  | 'ours-7'
  | 'contrib-6'
  | 'traceloop-6'
  | 'openlit-6'
  | 'ours-init-6'
  | 'floor-6'
  | 'floor-attrs-6';

export interface ScenarioInfo {
  id: ScenarioId;
  /** Row label in the table. */
  label: string;
  /** openai client version the scenario runs. */
  openai: string;
  /** The no-instrumentation scenario its ratios are taken against. */
  baseline: ScenarioId;
  /** How spans leave the process. */
  pipeline: 'shared' | 'otlp-sink' | 'none';
  /** Which instrumentation package and version (for the report). */
  instrumentation: string;
  /** Not an instrumentation: its span attributes are constants, so its token and cost cells say nothing. */
  constant?: boolean;
}

function versionOf(pkg: string): string {
  try {
    // Walk up from the resolved entry to the package.json carrying the package name.
    const { readFileSync, existsSync } = require('node:fs') as typeof import('node:fs');
    const { dirname, join } = require('node:path') as typeof import('node:path');
    let dir = dirname(require.resolve(pkg));
    for (let i = 0; i < 6; i++) {
      const file = join(dir, 'package.json');
      if (existsSync(file)) {
        const json = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (json.name && json.version) return json.version;
      }
      dir = dirname(dir);
    }
  } catch {
    // fall through
  }
  return '?';
}

export function scenarios(): ScenarioInfo[] {
  const v6 = versionOf('openai');
  const v7 = versionOf('openai-v7');
  const ours = `@otel-llm-cost/node ${versionOf('@otel-llm-cost/node')}`;
  return [
    {
      id: 'none-6',
      label: 'no instrumentation',
      openai: v6,
      baseline: 'none-6',
      pipeline: 'none',
      instrumentation: '-',
    },
    { id: 'ours-6', label: 'otel-llm-cost', openai: v6, baseline: 'none-6', pipeline: 'shared', instrumentation: ours },
    {
      id: 'ours-instruments-6',
      label: 'otel-llm-cost, metrics on the SDK instruments (no producer)',
      openai: v6,
      baseline: 'none-6',
      pipeline: 'shared',
      instrumentation: ours,
    },
    {
      id: 'ours-spans-6',
      label: 'otel-llm-cost, spans only (no MeterProvider)',
      openai: v6,
      baseline: 'none-6',
      pipeline: 'shared',
      instrumentation: ours,
    },
    {
      id: 'contrib-6',
      label: '@opentelemetry/instrumentation-openai',
      openai: v6,
      baseline: 'none-6',
      pipeline: 'shared',
      instrumentation: `@opentelemetry/instrumentation-openai ${versionOf('@opentelemetry/instrumentation-openai')}`,
    },
    {
      id: 'traceloop-6',
      label: '@traceloop/instrumentation-openai',
      openai: v6,
      baseline: 'none-6',
      pipeline: 'shared',
      instrumentation: `@traceloop/instrumentation-openai ${versionOf('@traceloop/instrumentation-openai')}`,
    },
    {
      id: 'floor-6',
      label: 'floor: one span per call, nothing else',
      openai: v6,
      baseline: 'none-6',
      pipeline: 'shared',
      instrumentation: 'a 10-line wrapper of create() in this benchmark (see scenarios.ts)',
    },
    {
      id: 'floor-attrs-6',
      label: "floor + ours' attributes: the floor's span with the 16 more attributes ours records, constants",
      openai: v6,
      baseline: 'none-6',
      pipeline: 'shared',
      instrumentation: 'the floor wrapper (see scenarios.ts), setting constant attributes when the call settles',
      constant: true,
    },
    {
      id: 'ours-init-6',
      label: 'otel-llm-cost init() (OTLP/HTTP)',
      openai: v6,
      baseline: 'none-6',
      pipeline: 'otlp-sink',
      instrumentation: ours,
    },
    {
      id: 'openlit-6',
      label: 'openlit.init() (OTLP/HTTP)',
      openai: v6,
      baseline: 'none-6',
      pipeline: 'otlp-sink',
      instrumentation: `openlit ${versionOf('openlit')}`,
    },
    {
      id: 'none-7',
      label: 'no instrumentation',
      openai: v7,
      baseline: 'none-7',
      pipeline: 'none',
      instrumentation: '-',
    },
    { id: 'ours-7', label: 'otel-llm-cost', openai: v7, baseline: 'none-7', pipeline: 'shared', instrumentation: ours },
  ];
}

/** The openai module surface the benchmark uses. */
export interface OpenAIClient {
  chat: { completions: { create(body: Record<string, unknown>): Promise<unknown> } };
}
export type OpenAIConstructor = new (options: Record<string, unknown>) => OpenAIClient;

export interface RunningScenario {
  OpenAI: OpenAIConstructor;
  /** Exports what is queued. */
  flush(): Promise<void>;
  /** The LLM spans of the latest export (shared pipeline only; OTLP scenarios are read by the parent's sink). */
  lastSpans(): SpanSummary[] | undefined;
  metricNames(): Promise<string[] | undefined>;
  shutdown(): Promise<void>;
}

function openaiClass(mod: unknown): OpenAIConstructor {
  const m = mod as { OpenAI?: OpenAIConstructor; default?: OpenAIConstructor };
  const cls = m.OpenAI ?? m.default;
  if (!cls) throw new Error('openai module has no OpenAI export');
  return cls;
}

/** openlit's pricing table format (USD per 1K tokens). openlit fetches its table from GitHub at init(); there is
 * no network here, so we hand it the gpt-4o row (official $2.50 / $10 per 1M) to let it compute a cost at all. */
export const OPENLIT_PRICING = {
  chat: { 'gpt-4o': { promptPrice: 0.0025, completionPrice: 0.01 } },
  embeddings: {},
  images: {},
  audio: {},
};

function fromPipeline(p: Pipeline, OpenAI: OpenAIConstructor): RunningScenario {
  return {
    OpenAI,
    flush: () => p.flush(),
    lastSpans: () => p.exporter.lastBatch.map(summarize),
    metricNames: () => p.metricNames(),
    shutdown: async () => {
      await p.tracerProvider.shutdown();
      await p.meterProvider.shutdown();
    },
  };
}

export async function startScenario(id: ScenarioId, sinkUrl: string | undefined): Promise<RunningScenario> {
  switch (id) {
    case 'none-6':
    case 'none-7': {
      // Same pipeline registered (it does nothing without an instrumentation), so the process state is alike.
      const p = createPipeline();
      return fromPipeline(p, openaiClass(require(id === 'none-6' ? 'openai' : 'openai-v7')));
    }
    case 'ours-6':
    case 'ours-instruments-6':
    case 'ours-spans-6':
    case 'ours-7': {
      const { createLlmCostRuntime, OpenAIInstrumentation, LlmCostSpanProcessor, LlmCostMetricProducer } = await import(
        '@otel-llm-cost/node'
      );
      // Two diagnostics: ours-spans-6 has no MeterProvider anywhere (the metrics API is a no-op), so the difference
      // to ours-6 is what the metrics cost; ours-instruments-6 records them on the MeterProvider's instruments (the
      // route without LlmCostMetricProducer), a dozen SDK records per call.
      const withMetrics = id !== 'ours-spans-6';
      // One runtime for the span processor, the metric producer and the instrumentation: the documented
      // own-pipeline setup.
      const runtime = createLlmCostRuntime();
      const producers = id === 'ours-6' || id === 'ours-7' ? [new LlmCostMetricProducer({ runtime })] : [];
      const p = createPipeline([new LlmCostSpanProcessor({ runtime })], {
        meter: withMetrics,
        metricProducers: producers,
      });
      const inst = new OpenAIInstrumentation({ runtime });
      inst.setTracerProvider(p.tracerProvider);
      if (withMetrics) inst.setMeterProvider(p.meterProvider);
      if (id !== 'ours-7') return fromPipeline(p, openaiClass(require('openai'))); // patched by the require hook
      // openai 7 is installed under the alias `openai-v7` (the package name `openai` here is 6.x), which the
      // require hook does not match by name: patch it with the documented manual entry point.
      const v7 = require('openai-v7') as unknown;
      inst.manuallyInstrument(v7);
      return fromPipeline(p, openaiClass(v7));
    }
    case 'contrib-6': {
      const { OpenAIInstrumentation } = await import('@opentelemetry/instrumentation-openai');
      const p = createPipeline();
      const inst = new OpenAIInstrumentation({ captureMessageContent: false });
      inst.setTracerProvider(p.tracerProvider);
      inst.setMeterProvider(p.meterProvider);
      return fromPipeline(p, openaiClass(require('openai')));
    }
    case 'traceloop-6': {
      const { OpenAIInstrumentation } = await import('@traceloop/instrumentation-openai');
      const p = createPipeline();
      // traceContent defaults to true (prompts and completions on spans); off, like every other scenario here.
      const inst = new OpenAIInstrumentation({ traceContent: false });
      inst.setTracerProvider(p.tracerProvider);
      inst.setMeterProvider(p.meterProvider);
      return fromPipeline(p, openaiClass(require('openai')));
    }
    case 'floor-6':
    case 'floor-attrs-6':
      return floorScenario(id === 'floor-attrs-6' ? OURS_MORE_ATTRIBUTES : undefined);
    case 'openlit-6': {
      if (!sinkUrl) throw new Error('openlit scenario needs the OTLP sink');
      // openlit.init() always builds its own NodeTracerProvider (SDK 2.x, BatchSpanProcessor, OTLP/HTTP JSON
      // exporter) and registers it globally; it only reuses an already-registered MeterProvider. So: our meter
      // provider, its tracer pipeline, pointed at the parent's discarding OTLP sink.
      const p = createPipeline([], { tracer: false, context: false });
      const { Openlit } = await import('openlit');
      Openlit.init({
        applicationName: 'bench',
        otlpEndpoint: sinkUrl,
        captureMessageContent: false,
        disableEvents: true,
        pricingJson: OPENLIT_PRICING,
      });
      const OpenAI = openaiClass(require('openai'));
      // openlit carries its own @opentelemetry/api (1.9), whose global registration our API (1.10) does not see
      // (a newer API ignores an older global). So reach openlit's provider through its own module.
      const { join, dirname } = require('node:path') as typeof import('node:path');
      const tracing = require(join(dirname(require.resolve('openlit')), 'otel', 'tracing.js')) as {
        default: { traceProvider?: { forceFlush(): Promise<void>; shutdown(): Promise<void> } };
      };
      const provider = () => tracing.default.traceProvider;
      return {
        OpenAI,
        flush: async () => {
          await provider()?.forceFlush();
        },
        lastSpans: () => undefined,
        metricNames: () => p.metricNames(),
        shutdown: async () => {
          await provider()?.shutdown();
          await p.meterProvider.shutdown();
        },
      };
    }
    case 'ours-init-6': {
      if (!sinkUrl) throw new Error('init() scenario needs the OTLP sink');
      // The batteries-included setup, like openlit.init(): NodeSDK, OTLP/HTTP (JSON here, as openlit's) to the sink.
      const { init } = await import('@otel-llm-cost/node');
      const handle = init({
        serviceName: 'bench',
        endpoint: sinkUrl,
        protocol: 'http/json',
        esmHook: false,
        metricExportIntervalMs: 60_000,
      });
      await handle.ready;
      const OpenAI = openaiClass(require('openai'));
      return {
        OpenAI,
        flush: () => handle.forceFlush(),
        lastSpans: () => undefined,
        metricNames: async () => undefined,
        shutdown: () => handle.shutdown(),
      };
    }
  }
}

/**
 * The attributes ours' span of a plain chat call carries beyond the floor's five, with constants of the same types
 * (the harness test checks the keys against ours' span): what the contract's attributes cost through the SDK
 * (validation, a WeakSet per value, the attribute object turning into a dictionary past 16), with none of the work
 * that computes them.
 */
const OURS_MORE_ATTRIBUTES: Record<string, string | number | boolean | string[]> = {
  'gen_ai.response.model': 'gpt-4o-2024-08-06',
  'gen_ai.response.id': 'chatcmpl-constant',
  'gen_ai.response.finish_reasons': ['stop'],
  'openai.response.service_tier': 'default',
  'llmcost.priced_by': 'sdk',
  'llmcost.sdk.metrics': true,
  'gen_ai.usage.input_tokens': 0,
  'gen_ai.usage.output_tokens': 0,
  'llmcost.price.context.service_tier': 'default',
  'llmcost.price_data.version': 'constant',
  'gen_ai.usage.cost': 0,
  'llmcost.cost.input': 0,
  'llmcost.cost.output': 0,
  'llmcost.cost.source': 'constant',
  'llmcost.pricing.provider': 'openai',
  'llmcost.pricing.model': 'gpt-4o',
};

/**
 * What any instrumentation that emits a span per call pays at least, whatever else it does: start a CLIENT span
 * with the five sampling-relevant gen_ai attributes, run create() in the span's context (so that the HTTP span
 * nests under it), end the span when the call settles. No response attribute, no stream observation, no metric,
 * no cost. The context makes Node 22's AsyncLocalStorage hook every promise the process creates from then on,
 * inside the client and out: part of this floor, as it is of every peer's. With `more`, those attributes are set
 * one by one when the call settles, before the span ends.
 */
async function floorScenario(more: Record<string, string | number | boolean | string[]> | undefined) {
  const p = createPipeline();
  const OpenAI = openaiClass(require('openai'));
  const tracer = p.tracerProvider.getTracer('floor');
  const { context: api, trace, SpanKind } = await import('@opentelemetry/api');
  const proto = (OpenAI as unknown as { Chat: { Completions: { prototype: Record<string, unknown> } } }).Chat
    .Completions.prototype;
  const create = proto.create as (this: unknown, body: { model: string }, ...rest: unknown[]) => Promise<unknown>;
  proto.create = function (this: unknown, body: { model: string }, ...rest: unknown[]) {
    const span = tracer.startSpan(`chat ${body.model}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': body.model,
        'server.address': 'api.openai.com',
        'server.port': 443,
      },
    });
    const end = () => {
      if (more) for (const key in more) span.setAttribute(key, more[key]!);
      span.end();
    };
    const result = api.with(trace.setSpan(api.active(), span), () => create.call(this, body, ...rest));
    result.then(end, end);
    return result;
  };
  return fromPipeline(p, OpenAI);
}
