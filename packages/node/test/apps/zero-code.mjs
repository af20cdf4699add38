// ESM app with no telemetry code: run as `node --import @otel-llm-cost/node/register zero-code.mjs`.
import OpenAI from 'openai';

const client = new OpenAI({ apiKey: 'sk-test', baseURL: process.env.SIM_URL });
const res = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
console.log(JSON.stringify({ content: res.choices[0].message.content }));
if (process.env.WAIT_FOR_SIGNAL) {
  console.log('ready');
  setInterval(() => {}, 1000);
}
