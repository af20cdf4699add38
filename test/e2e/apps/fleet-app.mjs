// A service of the fleet test (test/e2e/fleet.test.ts): init() from @otel-llm-cost/node, the real openai
// client against the local simulator (LLM_SIMULATOR_URL), and a control endpoint the test drives it with:
//   POST /run [{ model, feature, customer, embedding? }, ...]  -> makes those calls one after another
//   -> { ok, failed }
// Each call is a root span (no HTTP server instrumentation), so its trace is routed on its own trace ID.
import { createServer } from 'node:http';
import { init, withAttribution } from '@otel-llm-cost/node';

const otel = init({
  serviceName: process.env.FLEET_SERVICE,
  environment: 'fleet',
  metricExportIntervalMs: Number(process.env.OTEL_METRIC_EXPORT_INTERVAL ?? 1000),
});
const { default: OpenAI } = await import('openai');
const openai = new OpenAI({ apiKey: 'sim-key', baseURL: `${process.env.LLM_SIMULATOR_URL}/v1`, maxRetries: 0 });

async function call({ model, feature, customer, embedding }) {
  return withAttribution({ feature, customerId: customer, team: 'fleet' }, () =>
    embedding
      ? openai.embeddings.create({ model, input: 'a query' })
      : openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'hello' }] }),
  );
}

const server = createServer(async (req, res) => {
  if (req.method !== 'POST' || req.url !== '/run') {
    res.writeHead(req.method === 'HEAD' ? 200 : 404).end();
    return;
  }
  let body = '';
  for await (const chunk of req) body += chunk;
  let ok = 0;
  let failed = 0;
  for (const c of JSON.parse(body)) {
    try {
      await call(c);
      ok++;
    } catch {
      failed++;
    }
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok, failed }));
});
server.listen(Number(process.env.PORT), '127.0.0.1');

async function stop() {
  server.close();
  await otel.shutdown();
  process.exit(0);
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
