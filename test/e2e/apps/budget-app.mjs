// An instance of the budgets test (test/e2e/budgets.test.ts): init() with the budgets file, mode and Prometheus
// of the LLMCOST_BUDGETS* variables, the real openai client against the local simulator (LLM_SIMULATOR_URL),
// and a control endpoint:
//   POST /call { customer } -> { ok: true } | { refused: { status, budget, limitUsd, spentUsd, reason } }
import { createServer } from 'node:http';
import { BudgetExceededError, init, withAttribution } from '@otel-llm-cost/node';

const otel = init({ serviceName: 'budget-api', environment: 'budgets-e2e' });
const { default: OpenAI } = await import('openai');
const openai = new OpenAI({ apiKey: 'sim-key', baseURL: `${process.env.LLM_SIMULATOR_URL}/v1`, maxRetries: 0 });

const server = createServer(async (req, res) => {
  if (req.method !== 'POST' || req.url !== '/call') {
    res.writeHead(req.method === 'HEAD' ? 200 : 404).end();
    return;
  }
  let body = '';
  for await (const chunk of req) body += chunk;
  const { customer } = JSON.parse(body);
  let out;
  try {
    await withAttribution({ customerId: customer }, () =>
      openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hello' }] }),
    );
    out = { ok: true };
  } catch (error) {
    if (!(error instanceof BudgetExceededError)) throw error;
    const { status, budget, limitUsd, spentUsd, reason } = error;
    out = { refused: { status, budget, limitUsd, spentUsd, reason } };
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
});
server.listen(Number(process.env.PORT), '127.0.0.1');

async function stop() {
  server.close();
  await otel.shutdown();
  process.exit(0);
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
