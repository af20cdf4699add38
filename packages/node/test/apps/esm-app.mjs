// ESM app calling init() itself: the SDK client is imported after init() (dynamic import), so the
// loader hook that init() registers patches it.
import { init, withAttribution } from '@otel-llm-cost/node';

const otel = init({ serviceName: 'esm-app', environment: 'staging', metricExportIntervalMs: 3600000 });
const { default: OpenAI } = await import('openai');

const client = new OpenAI({ apiKey: 'sk-test', baseURL: process.env.SIM_URL });
const stream = await withAttribution({ feature: 'esm-feature' }, () =>
  client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true }),
);
let text = '';
for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
console.log(JSON.stringify({ content: text }));
await otel.shutdown();
