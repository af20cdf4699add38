// An app that already runs its own NodeSDK: it creates one runtime and adds our span processor and
// instrumentation, both with that runtime, to it.
const { NodeSDK } = require('@opentelemetry/sdk-node');
const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace');
const { PeriodicExportingMetricReader } = require('@opentelemetry/sdk-metrics');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
const { OTLPMetricExporter } = require('@opentelemetry/exporter-metrics-otlp-http');
const {
  createLlmCostRuntime,
  LlmCostSpanProcessor,
  OpenAIInstrumentation,
  withAttribution,
} = require('@otel-llm-cost/node');

const runtime = createLlmCostRuntime({ environment: 'own', attribution: { keys: { feature: 'myco.feature' } } });

const metricReader = new PeriodicExportingMetricReader({
  exporter: new OTLPMetricExporter(),
  exportIntervalMillis: 3600000,
});
const sdk = new NodeSDK({
  serviceName: 'own-sdk-app',
  spanProcessors: [
    new LlmCostSpanProcessor({ runtime }),
    new BatchSpanProcessor({ exporter: new OTLPTraceExporter() }),
  ],
  metricReaders: [metricReader],
  instrumentations: [new OpenAIInstrumentation({ runtime })],
});
sdk.start();

const { OpenAI } = require('openai');

async function main() {
  const client = new OpenAI({ apiKey: 'sk-test', baseURL: process.env.SIM_URL });
  await withAttribution({ feature: 'own-feature' }, () =>
    client.embeddings.create({ model: 'text-embedding-3-small', input: 'x' }),
  );
  await sdk.shutdown();
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
