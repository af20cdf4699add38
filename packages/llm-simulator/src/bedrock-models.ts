import { usageOf } from './provider.ts';
import type { ScriptedReply } from './types.ts';

/**
 * InvokeModel / InvokeModelWithResponseStream bodies of the model families whose body has no usage block, in
 * each family's own format (AWS Bedrock user guide, "Inference request parameters and response fields for
 * foundation models"):
 * - Meta Llama: `{ generation, prompt_token_count, generation_token_count, stop_reason }`; stream chunks carry
 *   `prompt_token_count` in the first chunk (null after) and a running `generation_token_count`.
 * - Amazon Titan Text: `{ inputTextTokenCount, results: [{ tokenCount, outputText, completionReason }] }`; stream
 *   chunks `{ outputText, index, totalOutputTextTokenCount, completionReason, inputTextTokenCount }`.
 *   Titan Embeddings: `{ embedding, inputTextTokenCount }`.
 * - Mistral: `{ outputs: [{ text, stop_reason }] }` (prompt requests), `{ choices: [{ index, message, stop_reason }] }`
 *   (chat requests with `messages`); no token counts.
 * - Cohere: Command R `{ response_id, text, generation_id, chat_history, finish_reason }` (requests with `message`),
 *   Command `{ id, prompt, generations: [{ id, text, finish_reason }] }`, Embed `{ id, texts, embeddings,
 *   response_type }`; no token counts.
 * For every family Bedrock also sends `x-amzn-bedrock-input-token-count` / `x-amzn-bedrock-output-token-count`
 * headers (InvokeModel) and `amazon-bedrock-invocationMetrics` in the last stream chunk (added by bedrock.ts).
 * Families have no prompt cache here: SimUsage inputTokens / outputTokens are the counts.
 */

export interface ModelReply {
  body: unknown;
  inputTokens: number;
  outputTokens: number;
}

export interface ModelStream {
  /** One event per content chunk. */
  chunks: unknown[];
  /** The closing event (finish reason); bedrock.ts adds the invocation metrics to it. */
  last: Record<string, unknown>;
  inputTokens: number;
  outputTokens: number;
}

type Family = 'llama' | 'titan-text' | 'titan-embed' | 'mistral' | 'cohere' | 'cohere-embed';

function familyOf(modelId: string): Family | undefined {
  const id = modelId.toLowerCase();
  if (id.includes('meta.llama')) return 'llama';
  if (id.includes('amazon.titan-embed')) return 'titan-embed';
  if (id.includes('amazon.titan-text') || id.includes('amazon.titan-tg1')) return 'titan-text';
  if (id.includes('mistral.')) return 'mistral';
  if (id.includes('cohere.embed')) return 'cohere-embed';
  if (id.includes('cohere.command')) return 'cohere';
  return undefined;
}

function chunksOf(reply: ScriptedReply): string[] {
  if (Array.isArray(reply.content)) return reply.content;
  return [reply.content ?? 'Hello from the simulator.'];
}

/** Output tokens counted up to chunk i (of n), the last one reaching the total. */
function runningCount(total: number, i: number, n: number): number {
  return Math.floor((total * (i + 1)) / n);
}

// biome-ignore lint/suspicious/noExplicitAny: request bodies are arbitrary JSON
type Body = Record<string, any> | undefined;

const FINISH: Record<Family, string> = {
  llama: 'stop',
  'titan-text': 'FINISH',
  'titan-embed': '',
  mistral: 'stop',
  cohere: 'COMPLETE',
  'cohere-embed': '',
};

/** The InvokeModel response body for this model, or undefined for a family this simulator does not speak. */
export function modelReply(
  modelId: string,
  request: Body,
  reply: ScriptedReply,
  id: () => string,
): ModelReply | undefined {
  const family = familyOf(modelId);
  if (!family) return undefined;
  const u = usageOf(reply);
  const text = chunksOf(reply).join('');
  const finish = reply.finishReason ?? FINISH[family];
  const counts = { inputTokens: u.inputTokens, outputTokens: family.endsWith('embed') ? 0 : u.outputTokens };
  switch (family) {
    case 'llama':
      return {
        ...counts,
        body: {
          generation: text,
          prompt_token_count: u.inputTokens,
          generation_token_count: u.outputTokens,
          stop_reason: finish,
        },
      };
    case 'titan-text':
      return {
        ...counts,
        body: {
          inputTextTokenCount: u.inputTokens,
          results: [{ tokenCount: u.outputTokens, outputText: text, completionReason: finish }],
        },
      };
    case 'titan-embed':
      return { ...counts, body: { embedding: [0.1, 0.2, 0.3], inputTextTokenCount: u.inputTokens } };
    case 'mistral':
      return {
        ...counts,
        body: Array.isArray(request?.messages)
          ? { choices: [{ index: 0, message: { role: 'assistant', content: text }, stop_reason: finish }] }
          : { outputs: [{ text, stop_reason: finish }] },
      };
    case 'cohere':
      return {
        ...counts,
        body:
          typeof request?.message === 'string'
            ? {
                response_id: id(),
                text,
                generation_id: id(),
                chat_history: [
                  { role: 'USER', message: request.message },
                  { role: 'CHATBOT', message: text },
                ],
                finish_reason: finish,
              }
            : { id: id(), prompt: request?.prompt, generations: [{ id: id(), text, finish_reason: finish }] },
      };
    case 'cohere-embed': {
      const texts: unknown[] = Array.isArray(request?.texts) ? request.texts : [];
      return {
        ...counts,
        body: { id: id(), texts, embeddings: texts.map(() => [0.1, 0.2, 0.3]), response_type: 'embeddings_floats' },
      };
    }
  }
}

/** The InvokeModelWithResponseStream events for this model, or undefined for a family that does not stream here. */
export function modelStream(
  modelId: string,
  request: Body,
  reply: ScriptedReply,
  id: () => string,
): ModelStream | undefined {
  const family = familyOf(modelId);
  if (!family || family.endsWith('embed')) return undefined;
  const u = usageOf(reply);
  const texts = chunksOf(reply);
  const n = texts.length;
  const finish = reply.finishReason ?? FINISH[family];
  const base = { inputTokens: u.inputTokens, outputTokens: u.outputTokens };
  switch (family) {
    case 'llama':
      return {
        ...base,
        chunks: texts.map((generation, i) => ({
          generation,
          prompt_token_count: i === 0 ? u.inputTokens : null,
          generation_token_count: runningCount(u.outputTokens, i, n),
          stop_reason: null,
        })),
        last: { generation: '', prompt_token_count: null, generation_token_count: u.outputTokens, stop_reason: finish },
      };
    case 'titan-text':
      return {
        ...base,
        chunks: texts.map((outputText, i) => ({
          outputText,
          index: 0,
          totalOutputTextTokenCount: runningCount(u.outputTokens, i, n),
          completionReason: null,
          inputTextTokenCount: i === 0 ? u.inputTokens : null,
        })),
        last: {
          outputText: '',
          index: 0,
          totalOutputTextTokenCount: u.outputTokens,
          completionReason: finish,
          inputTextTokenCount: null,
        },
      };
    case 'mistral': {
      const chat = Array.isArray(request?.messages);
      const event = (text: string, stop: string | null) =>
        chat
          ? { choices: [{ index: 0, message: { role: 'assistant', content: text }, stop_reason: stop }] }
          : { outputs: [{ text, stop_reason: stop }] };
      return { ...base, chunks: texts.map((t) => event(t, null)), last: event('', finish) };
    }
    case 'cohere':
      return {
        ...base,
        chunks: texts.map((text) => ({ is_finished: false, event_type: 'text-generation', text })),
        last: {
          is_finished: true,
          event_type: 'stream-end',
          finish_reason: finish,
          response: { response_id: id(), text: texts.join(''), generation_id: id(), finish_reason: finish },
        },
      };
  }
  return undefined;
}
