// The sample app: an Express service whose routes call OpenAI and Anthropic. Telemetry is one init() call,
// before anything else is imported; attribution is whatever the middleware puts on the request span.
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { init } from '@otel-llm-cost/node';

const otel = init({
  serviceName: 'shop-assistant',
  environment: process.env.DEMO_ENVIRONMENT ?? 'demo',
  metricExportIntervalMs: Number(process.env.OTEL_METRIC_EXPORT_INTERVAL ?? 2000),
  instrumentations: [new HttpInstrumentation(), new ExpressInstrumentation()],
  // What the shop bills its customers for AI on top of cost (docs/markup.md): acme is on the pro plan.
  pricing: {
    markup: {
      default: { multiplier: 1.5 },
      plans: { pro: { multiplier: 1.2, perMillionTokens: { output: 2 } } },
      customers: { acme: { plan: 'pro' } },
    },
  },
});

// Imported after init() so that the instrumentations see express, openai and @anthropic-ai/sdk load.
const { startServer } = await import('./server.mjs');
const server = await startServer(Number(process.env.PORT ?? 3000));

async function stop() {
  server.close();
  await otel.shutdown();
  process.exit(0);
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
