/**
 * Costs checked against values computed by hand from the providers' official price pages (USD per 1M tokens),
 * never against the library's own output. Each pitfall of DESIGN's token-accounting list has a case.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPricer, type PriceRequest } from '../src/index.js';

const pricer = createPricer();
const NOV_2026 = new Date('2026-11-20T10:00:00Z');

afterEach(() => {
  vi.useRealTimers();
});

function cost(req: Omit<PriceRequest, 'time'> & { time?: Date }) {
  const r = pricer.price({ time: NOV_2026, ...req });
  if (!r.priced) throw new Error(`unpriced: ${r.message}`);
  return r;
}

describe('OpenAI (openai.com/api/pricing)', () => {
  it('1234 input tokens of gpt-4o at $2.50/M is exactly 0.003085', () => {
    const r = cost({ provider: 'openai', model: 'gpt-4o', usage: { inputTokens: 1234, outputTokens: 0 } });
    expect(r.cost).toBe(0.003085);
    expect(r.source).toBe('pricing_data');
    expect(r.pricingModel).toBe('gpt-4o');
    expect(r.priceDataVersion).toBe('genai-prices@0.2.3');
  });

  it('prompt_tokens already include cached_tokens: cached part at $1.25/M, the rest at $2.50/M', () => {
    // 6000 uncached * 2.5 + 4000 cached * 1.25 + 2000 output * 10 (per 1M)
    const r = cost({
      provider: 'openai',
      model: 'gpt-4o-2024-08-06',
      usage: { inputTokens: 10_000, cacheReadTokens: 4000, outputTokens: 2000 },
    });
    expect(r.inputCost).toBe(0.02);
    expect(r.outputCost).toBe(0.02);
    expect(r.cost).toBe(0.04);
    expect(r.cacheSavings).toBe(0.005); // 4000 * (2.50 - 1.25) / 1M
  });

  it('completion_tokens already include reasoning_tokens: o3 output is not double counted', () => {
    // o3 since 2025-06-10: $2 input, $8 output; 5000 output tokens of which 4000 reasoning
    const r = cost({
      provider: 'openai',
      model: 'o3',
      usage: { inputTokens: 1000, outputTokens: 5000, reasoningTokens: 4000 },
    });
    expect(r.cost).toBe(0.042);
  });

  it('dated prices: o3 before its 2025-06-10 price cut was $10 / $40', () => {
    const r = cost({
      provider: 'openai',
      model: 'o3',
      time: new Date('2025-05-01T00:00:00Z'),
      usage: { inputTokens: 1000, outputTokens: 5000, reasoningTokens: 4000 },
    });
    expect(r.cost).toBe(0.21);
  });

  it('o4-mini with cached input: $1.10 / $0.275 cached / $4.40', () => {
    const r = cost({
      provider: 'openai',
      model: 'o4-mini',
      usage: { inputTokens: 3000, cacheReadTokens: 1024, outputTokens: 700 },
    });
    expect(r.cost).toBe(0.0055352); // 1976*1.1 + 1024*0.275 + 700*4.4, per 1M
  });

  it('gpt-4o-mini, one million tokens each way: $0.15 + $0.60', () => {
    expect(
      cost({ provider: 'openai', model: 'gpt-4o-mini', usage: { inputTokens: 1e6, outputTokens: 1e6 } }).cost,
    ).toBe(0.75);
  });

  it('embeddings: text-embedding-3-small at $0.02/M', () => {
    const r = cost({
      provider: 'openai',
      model: 'text-embedding-3-small',
      usage: { inputTokens: 8191, outputTokens: 0 },
    });
    expect(r.cost).toBe(0.00016382);
  });
});

describe('Anthropic (anthropic.com/pricing)', () => {
  it('input excludes cache tokens in the API: the semconv sum prices reads, 5m and 1h writes apart', () => {
    // API usage: input_tokens 500, cache_read 20000, cache_creation 10000 (6000 at 5m, 4000 at 1h), output 800.
    // Sonnet 4: $3 input, $0.30 read, $3.75 5m write, $6 1h write, $15 output.
    const r = cost({
      provider: 'anthropic',
      model: 'claude-sonnet-4-20250514',
      usage: {
        inputTokens: 500 + 20_000 + 10_000,
        cacheReadTokens: 20_000,
        cacheWriteTokens: 10_000,
        cacheWrite1hTokens: 4000,
        outputTokens: 800,
      },
    });
    expect(r.inputCost).toBe(0.054); // 0.0015 + 0.006 + 0.0225 + 0.024
    expect(r.outputCost).toBe(0.012);
    expect(r.cost).toBe(0.066);
    expect(r.cacheSavings).toBe(0.054); // 20000 * (3 - 0.30) / 1M
  });

  it('Opus 4.1 five-minute cache writes at $18.75/M', () => {
    const r = cost({
      provider: 'anthropic',
      model: 'claude-opus-4-1-20250805',
      usage: { inputTokens: 2000, cacheWriteTokens: 1000, outputTokens: 300 },
    });
    expect(r.cost).toBe(0.05625); // 1000*15 + 1000*18.75 + 300*75, per 1M
  });

  it('dated snapshot names match: claude-3-5-haiku-20241022 at $0.80 / $4', () => {
    expect(
      cost({
        provider: 'anthropic',
        model: 'claude-3-5-haiku-20241022',
        usage: { inputTokens: 1000, outputTokens: 1000 },
      }).cost,
    ).toBe(0.0048);
  });
});

describe('Google Gemini (ai.google.dev/gemini-api/docs/pricing)', () => {
  it('gemini-2.5-pro at exactly 200k input tokens stays in the base tier ($1.25 / $10)', () => {
    const r = cost({
      provider: 'gcp.gemini',
      model: 'gemini-2.5-pro',
      usage: { inputTokens: 200_000, outputTokens: 1000 },
    });
    expect(r.cost).toBe(0.26);
  });

  it('over 200k input tokens, every token of the request is re-priced ($2.50 / $0.25 cached / $15)', () => {
    const r = cost({
      provider: 'gcp.gemini',
      model: 'gemini-2.5-pro',
      usage: { inputTokens: 250_000, cacheReadTokens: 50_000, outputTokens: 2000 },
    });
    expect(r.cost).toBe(0.5425); // 200000*2.5 + 50000*0.25 + 2000*15, per 1M
  });

  it('thinking tokens are billed as output: candidates 100 + thoughts 400 at $2.50/M (2.5 Flash)', () => {
    const r = cost({
      provider: 'gcp.vertex_ai',
      model: 'gemini-2.5-flash',
      usage: { inputTokens: 1000, outputTokens: 100 + 400, reasoningTokens: 400 },
    });
    expect(r.cost).toBe(0.00155);
  });
});

describe('other providers', () => {
  it('Mistral Large at $2 / $6 (gen_ai.provider.name mistral_ai)', () => {
    expect(
      cost({ provider: 'mistral_ai', model: 'mistral-large-latest', usage: { inputTokens: 1000, outputTokens: 1000 } })
        .cost,
    ).toBe(0.008);
  });

  it('DeepSeek chat: standard hours $0.27 / $0.07 hit / $1.10, off-peak (16:30-00:30 UTC) half', () => {
    const usage = { inputTokens: 1000, cacheReadTokens: 600, outputTokens: 1000 };
    const peak = cost({ provider: 'deepseek', model: 'deepseek-chat', usage, time: new Date('2026-11-20T10:00:00Z') });
    expect(peak.cost).toBe(0.00125);
    const offPeak = cost({
      provider: 'deepseek',
      model: 'deepseek-chat',
      usage,
      time: new Date('2026-11-20T20:00:00Z'),
    });
    expect(offPeak.cost).toBe(0.000625);
  });

  it('DeepSeek chat priced at the current time follows the clock across the off-peak edges (16:30 and 00:30 UTC)', () => {
    // A fresh pricer: the plan it selects for "now" is kept until the next edge of the model's daily interval.
    const live = createPricer();
    const usage = { inputTokens: 1000, cacheReadTokens: 600, outputTokens: 1000 };
    const now = (iso: string) => {
      vi.setSystemTime(new Date(iso));
      const r = live.price({ provider: 'deepseek', model: 'deepseek-chat', usage });
      if (!r.priced) throw new Error(r.message);
      return r.cost;
    };
    vi.useFakeTimers();
    expect(now('2026-11-20T16:29:59.999Z')).toBe(0.00125);
    expect(now('2026-11-20T16:30:00.000Z')).toBe(0.000625);
    expect(now('2026-11-21T00:29:59.999Z')).toBe(0.000625);
    expect(now('2026-11-21T00:30:00.000Z')).toBe(0.00125);
    // A clock set back is a new selection too.
    expect(now('2026-11-20T20:00:00Z')).toBe(0.000625);
  });

  it('xAI grok-4 at $3 / $15 (gen_ai.provider.name x_ai)', () => {
    expect(cost({ provider: 'x_ai', model: 'grok-4', usage: { inputTokens: 1000, outputTokens: 1000 } }).cost).toBe(
      0.018,
    );
  });

  it('Groq llama-3.3-70b-versatile at $0.59 / $0.79', () => {
    expect(
      cost({ provider: 'groq', model: 'llama-3.3-70b-versatile', usage: { inputTokens: 1e6, outputTokens: 1e6 } }).cost,
    ).toBe(1.38);
  });
});

describe('model and provider resolution', () => {
  it('a provider prefix in the model name selects the provider: openai/gpt-4o', () => {
    const r = cost({ model: 'openai/gpt-4o', usage: { inputTokens: 1234, outputTokens: 0 } });
    expect(r.pricingProvider).toBe('openai');
    expect(r.cost).toBe(0.003085);
  });

  it('the request model prices the call when the response model is unknown (e.g. an Azure deployment name)', () => {
    const r = cost({
      provider: 'openai',
      model: 'my-prod-deployment',
      requestModel: 'gpt-4o',
      usage: { inputTokens: 1234, outputTokens: 0 },
    });
    expect(r.cost).toBe(0.003085);
  });

  it('an unknown model is unpriced with a reason, never a cost of 0', () => {
    const r = pricer.price({ provider: 'openai', model: 'gpt-99-turbo', usage: { inputTokens: 10, outputTokens: 10 } });
    expect(r.priced).toBe(false);
    if (r.priced) return;
    expect(r.reason).toBe('unknown_model');
    expect(r.message).toContain('gpt-99-turbo');
    expect(r).not.toHaveProperty('cost');
  });

  it('a model priced per audio hour (whisper-1) is unpriced for token usage, not a silent 0', () => {
    const r = pricer.price({ provider: 'openai', model: 'whisper-1', usage: { inputTokens: 10, outputTokens: 10 } });
    expect(r).toMatchObject({ priced: false, reason: 'unsupported_usage' });
    if (!r.priced) expect(r.message).toContain('audio_hours');
  });

  it('OpenAI moderation is free (the data lists it with no prices): priced at 0', () => {
    const r = cost({
      provider: 'openai',
      model: 'omni-moderation-latest',
      usage: { inputTokens: 10, outputTokens: 0 },
    });
    expect(r.cost).toBe(0);
  });

  it('no model at all is its own reason', () => {
    const r = pricer.price({ provider: 'openai', usage: { inputTokens: 10, outputTokens: 10 } });
    expect(r).toMatchObject({ priced: false, reason: 'no_model' });
  });

  it('a provider-reported cost (OpenRouter usage.cost) wins over the data', () => {
    const r = cost({
      provider: 'openrouter',
      model: 'openai/gpt-4o',
      providerReportedCost: 0.0123,
      usage: { inputTokens: 1234, outputTokens: 0 },
    });
    expect(r.cost).toBe(0.0123);
    expect(r.source).toBe('provider_reported');
  });

  it('a part without a price of its own is not checked against its total (as genai-prices): gpt-4o reasoning', () => {
    // gpt-4o has no reasoning price: the 5 output tokens are priced, 5 * $10/M; 10 input * $2.50/M
    const r = pricer.price({ model: 'gpt-4o', usage: { inputTokens: 10, outputTokens: 5, reasoningTokens: 6 } });
    expect(r).toMatchObject({ priced: true, cost: 0.000075 });
  });

  it.each([
    [
      { inputTokens: 100, cacheReadTokens: 200, outputTokens: 0 },
      'gpt-4o',
      'cache_read_tokens (200) exceeds input_tokens',
    ],
    [{ inputTokens: -1, outputTokens: 0 }, 'gpt-4o', 'non-negative'],
    [{ inputTokens: Number.NaN, outputTokens: 0 }, 'gpt-4o', 'finite'],
    // sonar-deep-research prices reasoning apart ($3/M against $8/M output): more reasoning than output is invalid
    [{ inputTokens: 10, outputTokens: 5, reasoningTokens: 6 }, 'sonar-deep-research', 'exceeds output_tokens'],
  ])('invalid usage %j of %s is unpriced with a message naming the problem', (usage, model, text) => {
    const r = pricer.price({ provider: model === 'gpt-4o' ? 'openai' : 'perplexity', model, usage });
    expect(r).toMatchObject({ priced: false, reason: 'invalid_usage' });
    if (!r.priced) expect(r.message).toContain(text);
  });
});

describe('usage that is not tokens (price pages: whisper $0.006/min, tts-1 $15/1M chars, Groq 10 s minimum)', () => {
  it('whisper-1 bills audio minutes: 90 s is 1.5 min x $0.006 = $0.009', () => {
    const r = cost({
      provider: 'openai',
      model: 'whisper-1',
      usage: { inputTokens: 0, outputTokens: 0, inputAudioSeconds: 90 },
    });
    expect(r.cost).toBe(0.009);
  });

  it('tts-1 bills characters: 2,000 at $15/1M is $0.03', () => {
    const r = cost({
      provider: 'openai',
      model: 'tts-1',
      usage: { inputTokens: 0, outputTokens: 0, inputCharacters: 2000 },
    });
    expect(r.cost).toBe(0.03);
  });

  it('Groq whisper-large-v3 bills at least 10 s: 3 s costs 10 s at $0.111/h', () => {
    const r = cost({
      provider: 'groq',
      model: 'whisper-large-v3',
      usage: { inputTokens: 0, outputTokens: 0, inputAudioSeconds: 3 },
    });
    expect(r.cost).toBe(Math.round(((10 * 0.111) / 3600) * 1e10) / 1e10);
  });

  it('images, video seconds and storage have no unit anywhere: unsupported_usage, known model or not', () => {
    for (const [model, usage] of [
      ['dall-e-3', { images: 2 }],
      ['imagen-4.0-generate-001', { images: 3 }],
      ['veo-3.0-generate-001', { outputVideoSeconds: 8 }],
      ['gemini-2.5-flash', { cacheStorageTokenHours: 40_000 }],
    ] as const) {
      const r = pricer.price({ provider: 'openai', model, usage: { inputTokens: 0, outputTokens: 0, ...usage } });
      expect(r, model).toMatchObject({ priced: false, reason: 'unsupported_usage' });
      if (!r.priced) expect(r.message).toMatch(/no unit/);
    }
  });

  it('tokens with an image count: the tokens are priced (gpt-image-1 $5/M text in, $40/M out)', () => {
    const r = cost({
      provider: 'openai',
      model: 'gpt-image-1',
      usage: { inputTokens: 100, outputTokens: 1000, images: 1 },
    });
    // 100 * 5 + 1000 * 40 = 40500 / 1M
    expect(r.cost).toBe(0.0405);
  });
});
