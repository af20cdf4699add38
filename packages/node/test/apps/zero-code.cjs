// CommonJS app with no telemetry code: run as `node --require @otel-llm-cost/node/register zero-code.cjs`.
const { OpenAI } = require('openai');

const client = new OpenAI({ apiKey: 'sk-test', baseURL: process.env.SIM_URL });
client.embeddings.create({ model: 'text-embedding-3-small', input: 'x' }).then((r) => {
  console.log(JSON.stringify({ n: r.data.length }));
});
