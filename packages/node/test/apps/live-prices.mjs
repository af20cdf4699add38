// ESM app with no telemetry code, run as `node --import @otel-llm-cost/node/register live-prices.mjs` with
// LLMCOST_PRICE_DATA_URL naming a live price document: it calls MODEL a moment after start.
import OpenAI from 'openai';

await new Promise((resolve) => setTimeout(resolve, Number(process.env.WAIT_MS ?? 1500)));
const client = new OpenAI({ apiKey: 'sk-test', baseURL: process.env.SIM_URL });
const res = await client.chat.completions.create({
  model: process.env.MODEL,
  messages: [{ role: 'user', content: 'hi' }],
});
console.log(JSON.stringify({ model: res.model }));
