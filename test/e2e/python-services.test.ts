// Real Python services, real instrumentations: test/e2e/python/app.py runs the real `openai` client (openai 3.57)
// instrumented by openinference-instrumentation-openai 0.1.66 or by the official
// opentelemetry-instrumentation-openai-v2 2.4b0 (pinned in test/e2e/python/requirements.txt, installed once into
// .cache/python-e2e/venv), calls the local simulator (chat, a stream with include_usage, a mostly cached prompt,
// embeddings, a stream without usage) and exports OTLP/HTTP to the real collector (config.traces-only.yaml), which
// prices the spans with the llmcost processor and derives the cost metrics; a real Prometheus scrapes them.
// Every expected cost is computed here by hand from packages/pricing/data/genai-prices.json (genai-prices 0.2.3).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@otel-llm-cost/llm-simulator';
import {
  type Collector,
  instantQuery,
  type RunningPrometheus,
  readSpans,
  type SpanOut,
  startCollector,
  startPrometheus,
  waitFor,
} from '@otel-llm-cost/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pythonVenv, runPythonApp } from './helpers/python.ts';

type App = 'openinference' | 'openai-v2';
const SERVICE: Record<App, string> = { openinference: 'py-openinference', 'openai-v2': 'py-openai-v2' };
// The spans' instrumentation scopes (observed): the official v2 instrumentation makes its chat spans through
// opentelemetry-util-genai's handler and its embeddings spans itself.
const SCOPES: Record<App, string[]> = {
  openinference: ['openinference.instrumentation.openai'],
  'openai-v2': ['opentelemetry.util.genai.handler', 'opentelemetry.instrumentation.openai_v2'],
};

// What the simulator answers, by the prompt of the request (usage as OpenAI reports it: prompt_tokens includes
// prompt_tokens_details.cached_tokens).
const USAGE = {
  chat: { inputTokens: 1200, outputTokens: 300 },
  stream: { inputTokens: 800, outputTokens: 150 },
  cached: { inputTokens: 4000, cachedTokens: 3072, outputTokens: 100 },
  embed: { inputTokens: 5000 },
  'no-usage': { inputTokens: 700, outputTokens: 70 }, // never sent: the stream does not ask for usage
};

// genai-prices 0.2.3, USD per 1M tokens: gpt-4o-mini input 0.15, cached input 0.075, output 0.60 (the
// `service_tier: default` variant the responses report has no prices of its own); text-embedding-3-small input 0.02.
const EXPECTED: Record<App, Record<string, number>> = {
  openinference: {
    chat: 0.00036, // 1200*0.15 = 180; 300*0.60 = 180; 360 µ$
    stream: 0.00021, // 800*0.15 = 120; 150*0.60 = 90; 210 µ$
    cached: 0.0004296, // (4000-3072)*0.15 = 139.2; 3072*0.075 = 230.4; 100*0.60 = 60; 429.6 µ$
    embed: 0.0001, // 5000*0.02 = 100 µ$
  },
  'openai-v2': {
    chat: 0.00036, // as above
    stream: 0.00021, // as above
    // The official v2 instrumentation records no cached-token count: all 4000 input tokens at the full price.
    cached: 0.00066, // 4000*0.15 = 600; 100*0.60 = 60; 660 µ$
    embed: 0.0001, // as above
  },
};
// OpenInference: 0.00036 + 0.00021 + 0.0004296 + 0.0001 = 0.0010996; v2: 0.00036 + 0.00021 + 0.00066 + 0.0001 = 0.00133.
const TOTAL: Record<App, number> = { openinference: 0.0010996, 'openai-v2': 0.00133 };

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 + 1e-9 * Math.abs(b);

describe('end to end: Python services (openai + OpenInference / official v2 instrumentation) -> collector -> Prometheus', () => {
  let sim: Simulator;
  let collector: Collector;
  let prometheus: RunningPrometheus;
  let spans: SpanOut[];
  const seen: Partial<Record<App, Record<string, unknown>>> = {};

  const query = async (expr: string) => instantQuery(prometheus.url, expr, Date.now() / 1000);
  const byLabel = async (expr: string, label: string) =>
    Object.fromEntries((await query(expr)).map((s) => [s.metric[label], Number(s.value?.[1])]));

  beforeAll(async () => {
    const python = pythonVenv();
    sim = await startSimulator();
    sim.setHandler((req) => {
      const prompt: string = req.body?.messages?.[0]?.content ?? (req.body?.input ? 'embed' : '');
      const usage = USAGE[prompt as keyof typeof USAGE];
      return usage ? { model: req.body.model, usage } : undefined;
    });
    const workdir = mkdtempSync(join(tmpdir(), 'llmcost-python-'));
    collector = await startCollector({ workdir, pipeline: 'traces-only' });
    prometheus = await startPrometheus({ targets: [collector.metricsTarget] });
    for (const app of ['openinference', 'openai-v2'] as const) {
      seen[app] = await runPythonApp(python, app, {
        OPENAI_BASE_URL: sim.openaiBaseURL,
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpUrl,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_SERVICE_NAME: SERVICE[app],
        // Content capture off: the test needs only usage.
        OPENINFERENCE_HIDE_INPUTS: 'true',
        OPENINFERENCE_HIDE_OUTPUTS: 'true',
      });
    }
    // 2 x 5 calls, one span each.
    spans = await waitFor('the collector to write the 10 LLM spans', async () => {
      const all = readSpans(collector.tracesFile).filter((s) => s.attrs['app.feature'] !== undefined);
      return all.length >= 10 ? all : undefined;
    });
    await waitFor('Prometheus to count the spend of both services', async () => {
      const got = await byLabel('sum by (job) (llmcost_cost_USD_total)', 'job');
      return close(got[SERVICE.openinference] ?? 0, TOTAL.openinference) &&
        close(got[SERVICE['openai-v2']] ?? 0, TOTAL['openai-v2'])
        ? true
        : undefined;
    });
  }, 600_000);

  afterAll(async () => {
    await prometheus?.stop();
    await collector?.stop();
    await sim?.close();
  });

  it('the client saw the usage the simulator sent (the stream without include_usage saw none)', () => {
    for (const app of ['openinference', 'openai-v2'] as const) {
      expect(seen[app]?.chat).toMatchObject({ prompt_tokens: 1200, completion_tokens: 300 });
      expect(seen[app]?.cached).toMatchObject({ prompt_tokens: 4000, prompt_tokens_details: { cached_tokens: 3072 } });
      expect(seen[app]?.embed).toMatchObject({ prompt_tokens: 5000 });
      expect(seen[app]?.['no-usage']).toBeNull();
    }
  });

  for (const app of ['openinference', 'openai-v2'] as const) {
    it(`${app}: every call is one span, priced by the collector at the hand-computed price`, () => {
      const mine = spans.filter((s) => SCOPES[app].includes(s.scope));
      expect(mine).toHaveLength(5);
      for (const [feature, usd] of Object.entries(EXPECTED[app])) {
        const span = mine.filter((s) => s.attrs['app.feature'] === feature);
        expect(span, feature).toHaveLength(1);
        expect(span[0]?.attrs, feature).toMatchObject({
          'gen_ai.usage.cost': usd,
          'llmcost.priced_by': 'collector',
          'llmcost.cost.source': 'pricing_data',
          'llmcost.price_data.version': 'genai-prices@0.2.3',
          'gen_ai.provider.name': 'openai',
        });
        expect(span[0]?.attrs['llmcost.unpriced'], feature).toBeUndefined();
        expect(span[0]?.attrs['llmcost.model_call'], feature).toBeUndefined();
      }
      // The stream the API sent no usage for: a billed call whose cost is unknown, counted, never 0.
      const noUsage = mine.find((s) => s.attrs['app.feature'] === 'no-usage');
      expect(noUsage?.attrs).toMatchObject({ 'llmcost.unpriced': true, 'llmcost.unpriced.reason': 'no_usage' });
      expect(noUsage?.attrs['gen_ai.usage.cost']).toBeUndefined();
    });
  }

  it('what each instrumentation records (the attribute names the collector reads)', () => {
    const of = (app: App, feature: string) =>
      spans.find((s) => SCOPES[app].includes(s.scope) && s.attrs['app.feature'] === feature)?.attrs ?? {};
    // OpenInference: span kind LLM / EMBEDDING, the model in llm.model_name / embedding.model_name, llm.system,
    // llm.token_count.* with the cached part; the collector adds the semconv names.
    expect(of('openinference', 'cached')).toMatchObject({
      'openinference.span.kind': 'LLM',
      'llm.system': 'openai',
      'llm.model_name': 'gpt-4o-mini',
      'llm.token_count.prompt': 4000,
      'llm.token_count.completion': 100,
      'llm.token_count.prompt_details.cache_read': 3072,
      'gen_ai.usage.input_tokens': 4000,
      'gen_ai.usage.cache_read.input_tokens': 3072,
      'llmcost.cost.cache_savings': 0.0002304, // 3072*(0.15-0.075) = 230.4 µ$
    });
    expect(of('openinference', 'embed')).toMatchObject({
      'openinference.span.kind': 'EMBEDDING',
      'embedding.model_name': 'text-embedding-3-small',
      'llm.token_count.prompt': 5000,
      'gen_ai.request.model': 'text-embedding-3-small',
    });
    // The official v2: GenAI semconv, no cached-token count at all.
    const cached = of('openai-v2', 'cached');
    expect(cached).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': 4000,
      'gen_ai.usage.output_tokens': 100,
      'openai.response.service_tier': 'default',
    });
    expect(cached['gen_ai.usage.cache_read.input_tokens']).toBeUndefined();
    expect(of('openai-v2', 'embed')).toMatchObject({
      'gen_ai.operation.name': 'embeddings',
      'gen_ai.usage.input_tokens': 5000,
    });
  });

  it('Prometheus has the derived spend by service and feature, and the cached tokens only OpenInference reports', async () => {
    const bySvc = await byLabel('sum by (job) (llmcost_cost_USD_total)', 'job');
    expect(close(bySvc[SERVICE.openinference]!, TOTAL.openinference), JSON.stringify(bySvc)).toBe(true);
    expect(close(bySvc[SERVICE['openai-v2']]!, TOTAL['openai-v2']), JSON.stringify(bySvc)).toBe(true);
    for (const app of ['openinference', 'openai-v2'] as const) {
      const byFeature = await byLabel(
        `sum by (app_feature) (llmcost_cost_USD_total{job="${SERVICE[app]}"})`,
        'app_feature',
      );
      expect(Object.keys(byFeature).sort(), app).toEqual(Object.keys(EXPECTED[app]).sort());
      for (const [feature, usd] of Object.entries(EXPECTED[app])) {
        expect(close(byFeature[feature]!, usd), `${app} ${feature}: ${byFeature[feature]} vs ${usd}`).toBe(true);
      }
      const unpriced = await byLabel(
        `sum by (llmcost_unpriced_reason) (llmcost_unpriced_requests_total{job="${SERVICE[app]}"})`,
        'llmcost_unpriced_reason',
      );
      expect(unpriced, app).toEqual({ no_usage: 1 });
      const requests = await query(`sum(llmcost_request_cost_USD_count{job="${SERVICE[app]}"})`);
      expect(Number(requests[0]?.value?.[1]), app).toBe(4);
    }
    const cacheRead = await byLabel('sum by (job) (llmcost_tokens_total{llmcost_token_type="cache_read"})', 'job');
    expect(cacheRead).toEqual({ [SERVICE.openinference]: 3072 });
    const input = await byLabel('sum by (job) (llmcost_tokens_total{llmcost_token_type="input"})', 'job');
    // 1200 + 800 + 4000 + 5000 priced calls (the unpriced stream has no usage to count)
    expect(input).toEqual({ [SERVICE.openinference]: 11000, [SERVICE['openai-v2']]: 11000 });
  });
});
