// A plain Express app: init() with the HTTP and Express instrumentations, auth middleware that puts
// user.id and app.feature on the request span, and a route that calls OpenAI. No other telemetry code.
const { init } = require('@otel-llm-cost/node');
const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
const { ExpressInstrumentation } = require('@opentelemetry/instrumentation-express');

const otel = init({
  serviceName: 'express-app',
  environment: 'production',
  metricExportIntervalMs: 3600000,
  instrumentations: [new HttpInstrumentation(), new ExpressInstrumentation()],
});

const { trace } = require('@opentelemetry/api');
const express = require('express');
const { OpenAI } = require('openai');

const client = new OpenAI({ apiKey: 'sk-test', baseURL: process.env.SIM_URL });
const app = express();

app.use((req, _res, next) => {
  const span = trace.getActiveSpan();
  span?.setAttribute('user.id', String(req.headers['x-user'] ?? 'anonymous'));
  span?.setAttribute('app.feature', 'summaries');
  next();
});

app.get('/users/:id/summary', async (req, res) => {
  const out = await client.chat.completions.create({
    model: 'gpt-4o',
    messages: [{ role: 'user', content: `summarize ${req.params.id}` }],
  });
  res.json({ summary: out.choices[0].message.content });
});

app.post('/shutdown', async (_req, res) => {
  res.json({ ok: true });
  await otel.shutdown();
  process.exit(0);
});

const server = app.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: server.address().port }));
});
