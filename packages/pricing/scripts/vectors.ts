/**
 * Builds the shared test vectors: inputs across many providers and usage shapes, with what this package
 * answers. The Go collector processor must answer the same (packages/collector-processor vectors test);
 * test/vectors.test.ts fails when this package and the committed file disagree.
 */
import data from '../data/genai-prices.json' with { type: 'json' };
import aliasFile from '../data/provider-aliases.json' with { type: 'json' };
import { createPricer, PRICE_DATA_VERSION, type PriceRequest, type TokenUsage } from '../src/index.js';

export interface VectorCase {
  name: string;
  input: {
    provider?: string;
    model?: string;
    request_model?: string;
    usage: Record<string, number>;
    time: string;
  };
  expected: Record<string, unknown>;
}

const SHAPES: [string, TokenUsage][] = [
  ['plain', { inputTokens: 1234, outputTokens: 567 }],
  ['cache-read', { inputTokens: 10_000, cacheReadTokens: 4000, outputTokens: 2000 }],
  [
    'cache-write-5m-1h',
    {
      inputTokens: 30_500,
      cacheReadTokens: 20_000,
      cacheWriteTokens: 10_000,
      cacheWrite1hTokens: 4000,
      outputTokens: 800,
    },
  ],
  ['reasoning', { inputTokens: 3000, outputTokens: 9000, reasoningTokens: 8000 }],
  ['over-200k', { inputTokens: 250_000, cacheReadTokens: 50_000, outputTokens: 7000, reasoningTokens: 5000 }],
  ['exactly-200k', { inputTokens: 200_000, outputTokens: 1 }],
  ['million', { inputTokens: 1_000_000, outputTokens: 1_000_000 }],
];
const TIMES = ['2025-03-01T20:00:00Z', '2026-11-20T10:00:00Z', '2027-02-01T02:30:00Z'];

type Model = { id: string; prices: unknown; match: unknown };
type ProviderData = { id: string; models: Model[] };

function semconvName(providerId: string): string {
  const entry = Object.entries(aliasFile.aliases).find(([, id]) => id === providerId);
  return entry ? entry[0] : providerId;
}

/** A name the model's own match logic accepts (its id usually; else an `equals`/`starts_with` value). */
function sampleName(m: Model): string {
  const json = JSON.stringify(m.match);
  const equals = /"equals":"([^"]+)"/.exec(json) ?? /"starts_with":"([^"]+)"/.exec(json);
  return equals ? equals[1]! : m.id;
}

function interest(m: Model): number {
  const json = JSON.stringify(m.prices);
  return (
    (Array.isArray(m.prices) ? 4 : 0) +
    (json.includes('tiers') ? 4 : 0) +
    (json.includes('cache_write') ? 2 : 0) +
    (json.includes('cache_read') ? 1 : 0)
  );
}

function toWire(u: TokenUsage): Record<string, number> {
  const w: Record<string, number> = { input_tokens: u.inputTokens, output_tokens: u.outputTokens };
  if (u.cacheReadTokens) w.cache_read_tokens = u.cacheReadTokens;
  if (u.cacheWriteTokens) w.cache_write_tokens = u.cacheWriteTokens;
  if (u.cacheWrite1hTokens) w.cache_write_1h_tokens = u.cacheWrite1hTokens;
  if (u.reasoningTokens) w.reasoning_tokens = u.reasoningTokens;
  return w;
}

export function buildVectors(): { source: string; cases: VectorCase[] } {
  const pricer = createPricer();
  const cases: VectorCase[] = [];
  const add = (name: string, req: PriceRequest & { time: Date }) => {
    const r = pricer.price(req);
    const expected = r.priced
      ? {
          priced: true,
          cost: r.cost,
          input_cost: r.inputCost,
          output_cost: r.outputCost,
          cache_savings: r.cacheSavings,
          pricing_provider: r.pricingProvider,
          pricing_model: r.pricingModel,
          source: r.source,
        }
      : { priced: false, reason: r.reason };
    const input: VectorCase['input'] = { usage: toWire(req.usage), time: req.time.toISOString() };
    if (req.provider !== undefined) input.provider = req.provider;
    if (req.model !== undefined) input.model = req.model;
    if (req.requestModel !== undefined) input.request_model = req.requestModel;
    cases.push({ name, input, expected });
  };

  let n = 0;
  for (const provider of data.providers as unknown as ProviderData[]) {
    const picked = [...provider.models]
      .sort((a, b) => interest(b) - interest(a) || a.id.localeCompare(b.id))
      .slice(0, 4);
    for (const model of picked) {
      const times = Array.isArray(model.prices) ? TIMES : [TIMES[1]!];
      for (const time of times) {
        for (let k = 0; k < 2; k++) {
          const [shape, usage] = SHAPES[n++ % SHAPES.length]!;
          const name = sampleName(model);
          add(`${provider.id}/${name} ${shape} @${time}`, {
            provider: semconvName(provider.id),
            model: name,
            usage,
            time: new Date(time),
          });
        }
      }
    }
  }

  const t = new Date(TIMES[1]!);
  const u = SHAPES[1]![1];
  add('prefix selects provider: openai/gpt-4o without provider', { model: 'openai/gpt-4o', usage: u, time: t });
  add('prefix on openrouter stays openrouter', {
    provider: 'openrouter',
    model: 'anthropic/claude-sonnet-4',
    usage: u,
    time: t,
  });
  add('model-based match without provider: claude', { model: 'claude-3-5-haiku-20241022', usage: u, time: t });
  add('unknown provider name falls back to model match', {
    provider: 'my-gateway',
    model: 'gpt-4o-mini',
    usage: u,
    time: t,
  });
  add('request model when response model unknown', {
    provider: 'openai',
    model: 'prod-deployment-7',
    requestModel: 'gpt-4.1',
    usage: u,
    time: t,
  });
  add('azure.ai.openai gpt-4o', { provider: 'azure.ai.openai', model: 'gpt-4o', usage: u, time: t });
  add('aws.bedrock claude on bedrock prices', {
    provider: 'aws.bedrock',
    model: 'global.anthropic.claude-sonnet-4-20250514-v1:0',
    usage: u,
    time: t,
  });
  add('gen_ai.system style name gemini', {
    provider: 'gemini',
    model: 'gemini-2.5-pro',
    usage: SHAPES[4]![1],
    time: t,
  });
  add('case and spaces', { provider: ' OpenAI ', model: ' GPT-4o ', usage: u, time: t });
  add('unknown model', { provider: 'openai', model: 'gpt-99-turbo', usage: u, time: t });
  add('unknown model, unknown provider', { provider: 'nobody', model: 'mystery-1', usage: u, time: t });
  add('no model', { provider: 'openai', usage: u, time: t });
  add('cache reads exceed input', {
    provider: 'openai',
    model: 'gpt-4o',
    usage: { inputTokens: 10, cacheReadTokens: 20, outputTokens: 1 },
    time: t,
  });
  add('reasoning exceeds output', {
    provider: 'openai',
    model: 'o3',
    usage: { inputTokens: 10, outputTokens: 1, reasoningTokens: 2 },
    time: t,
  });
  add('1h writes exceed writes', {
    provider: 'anthropic',
    model: 'claude-sonnet-4-0',
    usage: { inputTokens: 10, cacheWriteTokens: 1, cacheWrite1hTokens: 2, outputTokens: 1 },
    time: t,
  });
  add('priced per audio hour only: tokens cannot price it', {
    provider: 'openai',
    model: 'whisper-1',
    usage: u,
    time: t,
  });
  add('a free model (no prices at all) costs 0', {
    provider: 'openai',
    model: 'omni-moderation-latest',
    usage: u,
    time: t,
  });
  add('zero usage', { provider: 'openai', model: 'gpt-4o', usage: { inputTokens: 0, outputTokens: 0 }, time: t });
  for (const [hour, label] of [
    ['10:00', 'peak'],
    ['20:00', 'off-peak'],
    ['00:29', 'just before 00:30'],
    ['00:30', 'at 00:30'],
  ] as const) {
    add(`deepseek-chat ${label}`, {
      provider: 'deepseek',
      model: 'deepseek-chat',
      usage: u,
      time: new Date(`2026-11-20T${hour}:00Z`),
    });
  }
  return { source: PRICE_DATA_VERSION, cases };
}
