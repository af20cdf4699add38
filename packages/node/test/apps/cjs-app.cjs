// CommonJS app: init() first, then require the SDK client (REQUIRE_OPENAI_FIRST: the other way round).
if (process.env.REQUIRE_OPENAI_FIRST) require('openai');
const { init, withAttribution } = require('@otel-llm-cost/node');

const otel = init({ serviceName: 'cjs-app', environment: 'staging', metricExportIntervalMs: 3600000 });
if (process.env.INIT_TWICE) init({ serviceName: 'ignored' });
const { OpenAI } = require('openai');

async function main() {
  const client = new OpenAI({ apiKey: 'sk-test', baseURL: process.env.SIM_URL });
  const res = await withAttribution({ feature: 'cjs-feature', customerId: 'cjs-customer' }, () =>
    client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
  );
  console.log(JSON.stringify({ content: res.choices[0].message.content }));
  await otel.shutdown();
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
