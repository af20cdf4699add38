import Anthropic from '@anthropic-ai/sdk';
import { trace } from '@opentelemetry/api';
import { withAttribution } from '@otel-llm-cost/node';
import express from 'express';
import OpenAI from 'openai';

// Real providers when keys are set; else the local simulator (LLM_SIMULATOR_URL) speaks their wire formats.
const sim = process.env.LLM_SIMULATOR_URL;
const openai = new OpenAI({
  apiKey: process.env.OPENAI_API_KEY ?? 'sim-key',
  ...(process.env.OPENAI_API_KEY ? {} : { baseURL: `${sim}/v1` }),
});
const anthropic = new Anthropic({
  apiKey: process.env.ANTHROPIC_API_KEY ?? 'sim-key',
  ...(process.env.ANTHROPIC_API_KEY ? {} : { baseURL: sim }),
});

const SYSTEM_PROMPT = 'You are the shop assistant. '.repeat(200); // long and stable: cacheable

export function startServer(port) {
  const app = express();
  app.use(express.json());

  // Who is asking: put it on the request span once; every LLM span below inherits it.
  app.use((req, _res, next) => {
    const span = trace.getActiveSpan();
    const who = {
      'user.id': req.get('x-user-id'),
      'app.customer.id': req.get('x-customer-id'),
      'app.team': req.get('x-team'),
    };
    for (const [key, value] of Object.entries(who)) if (value) span?.setAttribute(key, value);
    next();
  });

  app.post('/api/support/chat', async (req, res, next) => {
    try {
      const completion = await withAttribution({ feature: 'support-chat' }, () =>
        openai.chat.completions.create({
          model: 'gpt-4o-mini',
          messages: [
            { role: 'system', content: SYSTEM_PROMPT },
            { role: 'user', content: req.body.question ?? 'Where is my order?' },
          ],
        }),
      );
      res.json({ answer: completion.choices[0]?.message?.content });
    } catch (err) {
      next(err);
    }
  });

  app.post('/api/search', async (req, res, next) => {
    try {
      const answer = await withAttribution({ feature: 'semantic-search' }, async () => {
        await openai.embeddings.create({ model: 'text-embedding-3-small', input: req.body.query ?? 'red shoes' });
        // Latency matters here: the priority tier, billed at its own price when OpenAI serves it.
        const completion = await openai.chat.completions.create({
          model: 'gpt-4o',
          service_tier: 'priority',
          messages: [{ role: 'user', content: `Rank these products for: ${req.body.query ?? 'red shoes'}` }],
        });
        return completion.choices[0]?.message?.content;
      });
      res.json({ answer });
    } catch (err) {
      next(err);
    }
  });

  app.post('/api/research', async (req, res, next) => {
    try {
      const text = await withAttribution({ feature: 'research-agent' }, async () => {
        const stream = await openai.chat.completions.create({
          model: 'gpt-6.1-sol',
          stream: true,
          messages: [{ role: 'user', content: req.body.topic ?? 'Compare our return policy with competitors' }],
        });
        let out = '';
        for await (const chunk of stream) out += chunk.choices[0]?.delta?.content ?? '';
        return out;
      });
      res.json({ text });
    } catch (err) {
      next(err);
    }
  });

  app.post('/api/docs/summarize', async (req, res, next) => {
    try {
      const message = await withAttribution({ feature: 'doc-summary' }, () =>
        anthropic.messages.create({
          model: 'claude-sonnet-5-5',
          max_tokens: 1024,
          system: [{ type: 'text', text: SYSTEM_PROMPT, cache_control: { type: 'ephemeral' } }],
          messages: [{ role: 'user', content: req.body.document ?? 'Summarize our Q3 returns report.' }],
        }),
      );
      res.json({ summary: message.content[0]?.text });
    } catch (err) {
      next(err);
    }
  });

  // An in-house fine-tune that the price data does not know: its calls show up as unpriced, never as $0.
  app.post('/api/moderate', async (req, res, next) => {
    try {
      const completion = await withAttribution({ feature: 'moderation' }, () =>
        openai.chat.completions.create({
          model: 'ft:gpt-4o-mini:shop::review-triage',
          messages: [{ role: 'user', content: req.body.text ?? 'Is this review OK?' }],
        }),
      );
      res.json({ verdict: completion.choices[0]?.message?.content });
    } catch (err) {
      next(err);
    }
  });

  app.use((err, _req, res, _next) => {
    res.status(err?.status ?? 500).json({ error: String(err?.message ?? err) });
  });

  return new Promise((resolve) => {
    const server = app.listen(port, '127.0.0.1', () => resolve(server));
  });
}
