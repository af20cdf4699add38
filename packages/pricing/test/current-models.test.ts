/**
 * Today's headline models, price variants (service tier, batch) and modality prices, with costs computed by
 * hand from the providers' price pages (USD per 1M tokens), never from this library's output.
 */
import { describe, expect, it } from 'vitest';
import { createPricer, type PriceRequest } from '../src/index.js';

const pricer = createPricer();
const DEC_2026 = new Date('2026-12-01T12:00:00Z');

function priced(req: Omit<PriceRequest, 'time'> & { time?: Date }) {
  const r = pricer.price({ time: DEC_2026, ...req });
  if (!r.priced) throw new Error(`unpriced: ${r.message}`);
  return r;
}

describe('current models at list price', () => {
  it('gpt-6.1-sol: $2 input, $0.10 cached, $10 output', () => {
    // 8000 uncached * 2 + 2000 cached * 0.10 + 1500 output * 10 = 16000 + 200 + 15000 = 31200 / 1M
    const r = priced({
      provider: 'openai',
      model: 'gpt-6.1-sol',
      usage: { inputTokens: 10_000, cacheReadTokens: 2000, outputTokens: 1500 },
    });
    expect(r.cost).toBe(0.0312);
    expect(r.pricingModel).toBe('gpt-6.1-sol');
    expect(r.variant).toBeUndefined();
  });

  it('gpt-6.1-sol above 272k input tokens re-prices the whole request at $4 / $15', () => {
    // 300000 * 4 + 1000 * 15 = 1,200,000 + 15,000 = 1,215,000 / 1M
    const r = priced({ provider: 'openai', model: 'gpt-6.1-sol', usage: { inputTokens: 300_000, outputTokens: 1000 } });
    expect(r.cost).toBe(1.215);
  });

  it('claude-sonnet-5-5 reads its cache at $0.10/M (not claude-sonnet-5 at $0.20)', () => {
    // semconv input 12000 = 2000 uncached + 10000 cache reads; 1000 output
    // 2000 * 2 + 10000 * 0.10 + 1000 * 10 = 4000 + 1000 + 10000 = 15000 / 1M
    const r = priced({
      provider: 'anthropic',
      model: 'claude-sonnet-5-5',
      usage: { inputTokens: 12_000, cacheReadTokens: 10_000, outputTokens: 1000 },
    });
    expect(r.pricingModel).toBe('claude-sonnet-5-5');
    expect(r.cost).toBe(0.015);
    expect(r.cacheSavings).toBe(0.019); // 10000 * (2 - 0.10) / 1M
  });

  it('claude-haiku-5-5: $0.10 / $0.50; over 100k prompt tokens $0.50 / $2.50', () => {
    // 4000 * 0.10 + 500 * 0.50 = 400 + 250 = 650 / 1M
    expect(
      priced({ provider: 'anthropic', model: 'claude-haiku-5-5', usage: { inputTokens: 4000, outputTokens: 500 } })
        .cost,
    ).toBe(0.00065);
    // 120000 * 0.50 + 500 * 2.50 = 60000 + 1250 = 61250 / 1M
    expect(
      priced({ provider: 'anthropic', model: 'claude-haiku-5-5', usage: { inputTokens: 120_000, outputTokens: 500 } })
        .cost,
    ).toBe(0.06125);
  });

  it('gemini-4-argon: $2 / $10 until 2026-11-30, $4 / $20 from 2026-12-01', () => {
    const usage = { inputTokens: 1000, outputTokens: 1000 };
    // 1000 * 2 + 1000 * 10 = 12000 / 1M; then 1000 * 4 + 1000 * 20 = 24000 / 1M
    const nov = new Date('2026-11-30T23:59:59Z');
    expect(priced({ provider: 'gcp.gemini', model: 'gemini-4-argon', usage, time: nov }).cost).toBe(0.012);
    expect(priced({ provider: 'gcp.gemini', model: 'gemini-4-argon', usage }).cost).toBe(0.024);
  });

  it('grok-4.7: $2 / $6 (xAI)', () => {
    // 5000 * 2 + 2000 * 6 = 10000 + 12000 = 22000 / 1M
    expect(priced({ provider: 'x_ai', model: 'grok-4.7', usage: { inputTokens: 5000, outputTokens: 2000 } }).cost).toBe(
      0.022,
    );
  });

  it('mistral-large-4: $0.70 / $2.10 since 2026-10-29', () => {
    // 10000 * 0.70 + 1000 * 2.10 = 7000 + 2100 = 9100 / 1M
    expect(
      priced({ provider: 'mistral_ai', model: 'mistral-large-4', usage: { inputTokens: 10_000, outputTokens: 1000 } })
        .cost,
    ).toBe(0.0091);
  });
});

describe('price variants: the served service tier and batch processing', () => {
  it('gpt-4o served at priority: $4.25 input, $17 output (standard $2.50 / $10)', () => {
    // 1000 * 4.25 + 100 * 17 = 4250 + 1700 = 5950 / 1M
    const usage = { inputTokens: 1000, outputTokens: 100 };
    const r = priced({ provider: 'openai', model: 'gpt-4o', usage, context: { service_tier: 'priority' } });
    expect(r.cost).toBe(0.00595);
    expect(r.variant).toBe('service_tier=priority');
    // the standard tier: 1000 * 2.5 + 100 * 10 = 3500 / 1M
    const std = priced({ provider: 'openai', model: 'gpt-4o', usage, context: { service_tier: 'default' } });
    expect(std.cost).toBe(0.0035);
    expect(std.variant).toBeUndefined();
  });

  it('gpt-5.5 at priority costs 2.5x standard, at flex half', () => {
    const usage = { inputTokens: 10_000, outputTokens: 1000 };
    // standard: 10000 * 5 + 1000 * 30 = 80000 / 1M
    expect(priced({ provider: 'openai', model: 'gpt-5.5', usage }).cost).toBe(0.08);
    // priority: 10000 * 12.5 + 1000 * 75 = 200000 / 1M
    expect(priced({ provider: 'openai', model: 'gpt-5.5', usage, context: { service_tier: 'priority' } }).cost).toBe(
      0.2,
    );
    // flex: 10000 * 2.5 + 1000 * 15 = 40000 / 1M
    expect(priced({ provider: 'openai', model: 'gpt-5.5', usage, context: { service_tier: 'flex' } }).cost).toBe(0.04);
  });

  it('a frozen context (a shared per-tier one) prices as an equal plain one, however many there are', () => {
    const usage = { inputTokens: 10_000, outputTokens: 1000 };
    // More frozen contexts than a resolution keeps selections for, alternating tiers: each priced as its tier.
    for (let i = 0; i < 150; i++) {
      const tier = ['priority', 'flex', 'default'][i % 3]!;
      const frozen = Object.freeze({ service_tier: tier });
      // priority 0.2, flex 0.04, standard 0.08 (hand-computed in the test above)
      const expected = { priority: 0.2, flex: 0.04, default: 0.08 }[tier];
      expect(priced({ provider: 'openai', model: 'gpt-5.5', usage, context: frozen }).cost).toBe(expected);
      expect(priced({ provider: 'openai', model: 'gpt-5.5', usage, context: { service_tier: tier } }).cost).toBe(
        expected,
      );
    }
  });

  it('a requested tier that is not a served tier (auto) prices at standard', () => {
    const usage = { inputTokens: 10_000, outputTokens: 1000 };
    const r = priced({ provider: 'openai', model: 'gpt-5.5', usage, context: { service_tier: 'auto' } });
    expect(r.cost).toBe(0.08);
    expect(r.variant).toBeUndefined();
  });

  it('variants take effect on their start date: gpt-4o priority before 2026-10-12 is standard', () => {
    const usage = { inputTokens: 1000, outputTokens: 100 };
    const before = new Date('2026-10-11T23:59:59Z');
    const r = priced({
      provider: 'openai',
      model: 'gpt-4o',
      usage,
      context: { service_tier: 'priority' },
      time: before,
    });
    expect(r.cost).toBe(0.0035);
  });

  it('claude-sonnet-5-5 through the Message Batches API: half price', () => {
    // 2000 uncached * 1 + 10000 reads * 0.05 + 1000 output * 5 = 2000 + 500 + 5000 = 7500 / 1M
    const r = priced({
      provider: 'anthropic',
      model: 'claude-sonnet-5-5',
      usage: { inputTokens: 12_000, cacheReadTokens: 10_000, outputTokens: 1000 },
      context: { processing: 'batch' },
    });
    expect(r.cost).toBe(0.0075);
    expect(r.variant).toBe('processing=batch');
  });

  it('a model found through a fallback provider ignores the context (as genai-prices does)', () => {
    const usage = { inputTokens: 1000, outputTokens: 100 };
    const r = priced({ provider: 'azure', model: 'gpt-4o', usage, context: { service_tier: 'priority' } });
    expect(r.variant).toBeUndefined();
  });
});

describe('modality prices', () => {
  it('gpt-realtime prices audio input at $32, cached audio at $0.40, audio output at $64', () => {
    // input 10000 = 4000 text (1000 of it cached) + 6000 audio (2000 of it cached); output 3000 = 1000 text + 2000 audio
    // text: 3000 * 4 + 1000 cached * 0.40 = 12000 + 400
    // audio: 4000 * 32 + 2000 cached * 0.40 = 128000 + 800
    // output: 1000 * 16 + 2000 * 64 = 16000 + 128000
    // total 12400 + 128800 + 144000 = 285200 / 1M
    const r = priced({
      provider: 'openai',
      model: 'gpt-realtime',
      usage: {
        inputTokens: 10_000,
        inputAudioTokens: 6000,
        cacheReadTokens: 3000,
        cacheReadAudioTokens: 2000,
        outputTokens: 3000,
        outputAudioTokens: 2000,
      },
    });
    expect(r.inputCost).toBe(0.1412);
    expect(r.outputCost).toBe(0.144);
    expect(r.cost).toBe(0.2852);
  });

  it('audio tokens of a model without an audio price are priced as text', () => {
    // gpt-4o-audio-preview lists $2.50 / $10 only: 1000 * 2.5 + 100 * 10 = 3500 / 1M
    const r = priced({
      provider: 'openai',
      model: 'gpt-4o-audio-preview',
      usage: { inputTokens: 1000, inputAudioTokens: 800, outputTokens: 100, outputAudioTokens: 100 },
    });
    expect(r.cost).toBe(0.0035);
  });
});

describe('provider names', () => {
  it('a provider the data does not know prices nothing (genai-prices does not guess from the model name)', () => {
    const r = pricer.price({ provider: 'my-own-gateway', model: 'gpt-4o', usage: { inputTokens: 1, outputTokens: 1 } });
    expect(r.priced).toBe(false);
    if (!r.priced) expect(r.message).toContain('my-own-gateway');
  });

  it('litellm names carry the provider: openai/gpt-4o', () => {
    const r = priced({ provider: 'litellm', model: 'openai/gpt-4o', usage: { inputTokens: 1000, outputTokens: 0 } });
    expect(r.cost).toBe(0.0025);
    expect(r.pricingProvider).toBe('openai');
  });
});
