import { describe, expect, it } from 'vitest';
import { readForeignCall, readPriceContext } from './attributes.js';

describe('price context of other instrumentations’ spans', () => {
  it('reads openai.response.service_tier, never a requested auto', () => {
    expect(readPriceContext({ 'openai.response.service_tier': 'priority' })).toEqual({ service_tier: 'priority' });
    expect(readPriceContext({ 'openai.response.service_tier': 'auto' })).toBeUndefined();
    expect(readPriceContext({ 'openai.request.service_tier': 'flex' })).toBeUndefined();
  });

  it('maps the Anthropic SDK’s anthropic.response.service_tier: batch is processing=batch', () => {
    expect(readPriceContext({ 'anthropic.response.service_tier': 'batch' })).toEqual({ processing: 'batch' });
    expect(readPriceContext({ 'anthropic.response.service_tier': 'priority' })).toEqual({ service_tier: 'priority' });
  });

  it('llmcost.price.context.* attributes win', () => {
    expect(
      readPriceContext({
        'openai.response.service_tier': 'default',
        'llmcost.price.context.service_tier': 'flex',
        'llmcost.price.context.processing': 'batch',
        'llmcost.price.context.': 'ignored',
        'llmcost.price.context.speed': 3,
      }),
    ).toEqual({ service_tier: 'flex', processing: 'batch' });
  });

  it('is part of the foreign call, with or without usage', () => {
    const attrs = { 'gen_ai.operation.name': 'chat', 'openai.response.service_tier': 'flex' };
    expect(readForeignCall(attrs).context).toEqual({ service_tier: 'flex' });
    expect(readForeignCall({ ...attrs, 'gen_ai.usage.input_tokens': 3 }).context).toEqual({ service_tier: 'flex' });
  });
});
