import { type Simulator, startSimulator } from '@otel-llm-cost/llm-simulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from './helpers/otlp-receiver.js';
import { ensureBuilt, runApp, startApp, waitForLine } from './helpers/processes.js';

// Each app runs as its own Node process against the simulator, exporting over real OTLP/HTTP to the receiver.
// gpt-4o default simulator usage: 12 input, 5 output tokens -> 12 * 2.5/M + 5 * 10/M = 0.00003 + 0.00005.
const DEFAULT_COST = 0.00008;

let sim: Simulator;
let receiver: OtlpReceiver;

beforeAll(async () => {
  ensureBuilt();
  [sim, receiver] = await Promise.all([startSimulator(), startOtlpReceiver()]);
}, 120_000);
afterAll(async () => {
  await Promise.all([sim.close(), receiver.close()]);
});
beforeEach(() => {
  sim.reset();
  receiver.reset();
});

const otlpEnv = () => ({
  SIM_URL: sim.openaiBaseURL,
  OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
  OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
});
const llmSpans = () => receiver.spans.filter((s) => s.attributes['gen_ai.operation.name'] !== undefined);

describe('example apps as separate processes', () => {
  it('importing the package loads neither NodeSDK nor an OTLP exporter (init() loads them), CJS and ESM', async () => {
    // An app with its own NodeSDK must not get a second one in memory from us.
    const heavy = /@opentelemetry[\\/](sdk-node|exporter-(trace|metrics)-otlp-(http|proto))[\\/]/;
    const cjs = await runApp(
      ['-e', "require('@otel-llm-cost/node'); console.log(JSON.stringify(Object.keys(require.cache)))"],
      {},
    );
    const loaded = JSON.parse(cjs.stdout) as string[];
    expect(loaded.some((f) => f.includes('otel-llm-cost') || f.includes('packages/node/dist'))).toBe(true);
    expect(loaded.filter((f) => heavy.test(f))).toEqual([]);
    // ESM: a resolve hook lists every module the import resolves.
    const hook =
      'data:text/javascript,export async function resolve(s, c, next) { const r = await next(s, c); ' +
      'process.stderr.write("resolved " + r.url + "\\n"); return r; }';
    const esm = await runApp(
      [
        '--input-type=module',
        '-e',
        `import { register } from 'node:module'; register(${JSON.stringify(hook)}); await import('@otel-llm-cost/node');`,
      ],
      {},
    );
    const resolved = esm.stderr.split('\n').filter((l) => l.startsWith('resolved '));
    expect(resolved.some((l) => l.includes('@opentelemetry/sdk-trace'))).toBe(true);
    expect(resolved.filter((l) => heavy.test(l))).toEqual([]);
  });

  it('CommonJS: init() then require(openai) gives priced, attributed spans and metrics', async () => {
    const r = await runApp(['cjs-app.cjs'], otlpEnv());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).content).toBe('Hello from the simulator.');
    const [span] = llmSpans();
    expect(span?.attributes).toMatchObject({
      'gen_ai.usage.cost': DEFAULT_COST,
      'app.feature': 'cjs-feature',
      'app.customer.id': 'cjs-customer',
    });
    expect(span?.resource).toMatchObject({ 'service.name': 'cjs-app', 'deployment.environment.name': 'staging' });
    const cost = receiver.latestPoints().find((p) => p.name === 'llmcost.cost');
    expect(cost?.value).toBeCloseTo(DEFAULT_COST, 12);
    expect(cost?.attributes['app.feature']).toBe('cjs-feature');
  });

  it('CommonJS: an openai required before init() is patched too', async () => {
    const r = await runApp(['cjs-app.cjs'], { ...otlpEnv(), REQUIRE_OPENAI_FIRST: '1' });
    expect(r.code).toBe(0);
    expect(llmSpans()[0]?.attributes['gen_ai.usage.cost']).toBe(DEFAULT_COST);
  });

  it('ESM: init() then import(openai) is patched by the loader hook; streams are priced', async () => {
    const r = await runApp(['esm-app.mjs'], otlpEnv());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).content).toBe('Hello from the simulator.');
    expect(sim.requests[0]?.body.stream_options).toEqual({ include_usage: true });
    const [span] = llmSpans();
    expect(span?.attributes['gen_ai.usage.cost']).toBe(DEFAULT_COST);
    expect(span?.attributes['app.feature']).toBe('esm-feature');
  });

  it('zero-code register entry (ESM, --import): configured by OTEL_* variables, flushed on exit', async () => {
    const r = await runApp(['--import', '@otel-llm-cost/node/register', 'zero-code.mjs'], {
      ...otlpEnv(),
      OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=acme',
      OTEL_SERVICE_NAME: 'zero-code',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=dev,team.owner=ml',
      OTEL_METRIC_EXPORT_INTERVAL: '3600000',
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const [span] = llmSpans();
    expect(span?.attributes['gen_ai.usage.cost']).toBe(DEFAULT_COST);
    expect(span?.resource).toMatchObject({
      'service.name': 'zero-code',
      'deployment.environment.name': 'dev',
      'team.owner': 'ml',
    });
    const cost = receiver.latestPoints().find((p) => p.name === 'llmcost.cost');
    expect(cost?.attributes['deployment.environment.name']).toBe('dev');
    expect(receiver.requests.every((q) => q.headers['x-tenant'] === 'acme')).toBe(true);
  });

  it('zero-code register entry (CommonJS, --require) starts once, on the main thread only', async () => {
    const r = await runApp(['--require', '@otel-llm-cost/node/register', 'zero-code.cjs'], otlpEnv());
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).n).toBe(1);
    expect(llmSpans()).toHaveLength(1);
    expect(llmSpans()[0]?.attributes['gen_ai.operation.name']).toBe('embeddings');
  });

  it('register entry flushes on SIGTERM', async () => {
    const app = startApp(['--import', '@otel-llm-cost/node/register', 'zero-code.mjs'], {
      ...otlpEnv(),
      WAIT_FOR_SIGNAL: '1',
      OTEL_METRIC_EXPORT_INTERVAL: '3600000',
    });
    await waitForLine(app.child, /^ready$/);
    app.child.kill('SIGTERM');
    const r = await app.done;
    expect(r.signal).toBe('SIGTERM');
    expect(llmSpans()).toHaveLength(1);
    expect(receiver.latestPoints().some((p) => p.name === 'llmcost.cost')).toBe(true);
  });

  it('own NodeSDK: LlmCostSpanProcessor + OpenAIInstrumentation, with a remapped attribution key', async () => {
    const r = await runApp(['own-sdk.cjs'], otlpEnv());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [span] = llmSpans();
    // 12 input tokens * 0.02/M
    expect(span?.attributes['gen_ai.usage.cost']).toBe(2.4e-7);
    expect(span?.attributes['myco.feature']).toBe('own-feature');
    const cost = receiver.latestPoints().find((p) => p.name === 'llmcost.cost');
    expect(cost?.attributes).toMatchObject({ 'myco.feature': 'own-feature', 'deployment.environment.name': 'own' });
    const hist = receiver.latestPoints().find((p) => p.name === 'llmcost.request.cost');
    expect(hist?.bounds?.[0]).toBe(1e-6);
  });

  it('http/protobuf is the default protocol', async () => {
    const r = await runApp(['cjs-app.cjs'], { SIM_URL: sim.openaiBaseURL, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    expect(r.code).toBe(0);
    const traces = receiver.requests.filter((q) => q.path === '/v1/traces');
    expect(traces.length).toBeGreaterThan(0);
    expect(traces[0]?.contentType).toBe('application/x-protobuf');
  });

  it('a missing collector is reported once, clearly, and the app is unaffected; init() twice warns', async () => {
    const r = await runApp(['cjs-app.cjs'], {
      SIM_URL: sim.openaiBaseURL,
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
      INIT_TWICE: '1',
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).content).toBe('Hello from the simulator.');
    const spanLines = r.stderr.split('\n').filter((l) => l.includes('could not export spans'));
    expect(spanLines).toHaveLength(1);
    expect(spanLines[0]).toContain('http://127.0.0.1:9/v1/traces');
    expect(spanLines[0]).toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
    expect(r.stderr).toContain('init() was called more than once');
  });

  it('Express app: parent request span with user.id and app.feature -> priced, attributed spans and metrics', async () => {
    const app = startApp(['express-app.cjs'], otlpEnv());
    const { port } = JSON.parse(await waitForLine(app.child, /"port"/));
    const base = `http://127.0.0.1:${port}`;
    const body = (await (await fetch(`${base}/users/42/summary`, { headers: { 'x-user': 'user-42' } })).json()) as {
      summary: string;
    };
    expect(body.summary).toBe('Hello from the simulator.');
    await fetch(`${base}/shutdown`, { method: 'POST' });
    const r = await app.done;
    expect(r.code).toBe(0);
    const [span, ...more] = llmSpans();
    expect(more).toHaveLength(0);
    expect(span?.attributes).toMatchObject({
      'gen_ai.usage.cost': DEFAULT_COST,
      'user.id': 'user-42',
      'app.feature': 'summaries',
      'llmcost.route': '/users/:id/summary',
    });
    const server = receiver.spans.find((s) => s.kind === 2);
    expect(server?.attributes['http.route']).toBe('/users/:id/summary');
    expect(span?.traceId).toBe(server?.traceId);
    const cost = receiver.latestPoints().find((p) => p.name === 'llmcost.cost');
    expect(cost?.attributes).toMatchObject({
      'app.feature': 'summaries',
      'llmcost.route': '/users/:id/summary',
      'deployment.environment.name': 'production',
      'gen_ai.request.model': 'gpt-4o',
    });
    expect(cost?.attributes['user.id']).toBeUndefined();
  });
});
