import { describe, expect, it } from 'vitest';
import { detectProvider } from './provider.js';
import { servedTier, tierOutcome, toTokenUsage } from './usage.js';

describe('detectProvider', () => {
  it.each([
    ['https://api.openai.com/v1', 'openai'],
    ['https://my-res.openai.azure.com/openai', 'azure.ai.openai'],
    ['https://openrouter.ai/api/v1', 'openrouter'],
    ['https://api.groq.com/openai/v1', 'groq'],
    ['https://api.deepseek.com', 'deepseek'],
    ['https://api.mistral.ai/v1', 'mistral_ai'],
    ['https://api.together.xyz/v1', 'together'],
    ['https://api.x.ai/v1', 'x_ai'],
    ['http://10.0.0.7:8000/v1', 'openai'],
  ])('%s -> %s', (url, provider) => {
    expect(detectProvider(url).provider).toBe(provider);
  });

  it('lets a base-URL prefix or a host force the provider', () => {
    expect(detectProvider('http://127.0.0.1:4000/v1', { 'http://127.0.0.1:4000/v1/': 'groq' }).provider).toBe('groq');
    expect(detectProvider('http://gw.internal:8080/v1', { 'gw.internal:8080': 'openrouter' }).provider).toBe(
      'openrouter',
    );
    expect(detectProvider('http://gw.internal:8080/v1', { 'other:1': 'groq' }).provider).toBe('openai');
  });

  it('reports server address and port', () => {
    expect(detectProvider('https://api.openai.com/v1')).toEqual({
      provider: 'openai',
      serverAddress: 'api.openai.com',
      serverPort: 443,
    });
  });
});

describe('toTokenUsage', () => {
  it('copies subsets without adding them (cached in prompt, reasoning in completion)', () => {
    expect(
      toTokenUsage({
        prompt_tokens: 100,
        completion_tokens: 50,
        prompt_tokens_details: { cached_tokens: 30 },
        completion_tokens_details: { reasoning_tokens: 20 },
      }),
    ).toEqual({ inputTokens: 100, outputTokens: 50, cacheReadTokens: 30, reasoningTokens: 20 });
    expect(
      toTokenUsage({
        input_tokens: 10,
        output_tokens: 5,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens_details: { reasoning_tokens: 3 },
      }),
    ).toEqual({ inputTokens: 10, outputTokens: 5, reasoningTokens: 3 });
  });

  it('returns undefined for missing or malformed usage', () => {
    expect(toTokenUsage(undefined)).toBeUndefined();
    expect(toTokenUsage(null)).toBeUndefined();
    expect(toTokenUsage({ completion_tokens: 5 })).toBeUndefined();
  });

  it('copies the modality parts (included in their totals), capped at the totals', () => {
    expect(
      toTokenUsage({
        prompt_tokens: 100,
        completion_tokens: 50,
        prompt_tokens_details: {
          cached_tokens: 30,
          audio_tokens: 40,
          image_tokens: 0,
          cached_tokens_details: { audio_tokens: 35 },
        },
        completion_tokens_details: { audio_tokens: 60, reasoning_tokens: 0 },
      }),
    ).toEqual({
      inputTokens: 100,
      outputTokens: 50,
      cacheReadTokens: 30,
      inputAudioTokens: 40,
      // cached audio is part of both the cache reads and the audio input
      cacheReadAudioTokens: 30,
      outputAudioTokens: 50,
    });
    expect(
      toTokenUsage({
        input_tokens: 100,
        output_tokens: 900,
        input_tokens_details: { text_tokens: 40, image_tokens: 60 },
        output_tokens_details: { image_tokens: 880, text_tokens: 20 },
      }),
    ).toEqual({ inputTokens: 100, outputTokens: 900, inputImageTokens: 60, outputImageTokens: 880 });
  });
});

describe('served service tier', () => {
  it('is what the response says, never a requested auto', () => {
    expect(servedTier('priority')).toBe('priority');
    expect(servedTier('default')).toBe('default');
    expect(servedTier('auto')).toBeUndefined();
    expect(servedTier('')).toBeUndefined();
    expect(servedTier(null)).toBeUndefined();
    expect(tierOutcome('flex')).toEqual({
      priceContext: { service_tier: 'flex' },
      attributes: { 'openai.response.service_tier': 'flex' },
    });
    expect(tierOutcome('auto')).toEqual({});
  });
});
