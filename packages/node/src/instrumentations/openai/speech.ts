import type { TokenUsage } from '@otel-llm-cost/pricing';
import type { LlmCall, LlmCallOutcome } from '../../core/llm-call.js';
import type { OpenAIUsageWire, RequestBody } from './types.js';
import { toTokenUsage } from './usage.js';

/**
 * audio.speech (text to speech). The method resolves to the binary Response the caller reads; it is never consumed
 * here. tts-1 / tts-1-hd are billed per character of `input`: we count them from the request, as Unicode code points
 * (OpenAI counts the characters of the text, and its 4096 "characters" limit is applied to the decoded string, not
 * to UTF-16 units: an emoji is one character, not two). gpt-4o-mini-tts is billed per token: the audio bytes carry
 * no usage, but a `stream_format: 'sse'` answer ends with `speech.audio.done` carrying `usage`, read from a clone of
 * the body. The characters are always reported; the price data decides what prices the call (a token-priced model
 * without reported tokens is unpriced, `unsupported_usage`).
 */

export function speechAttributes(_body: RequestBody) {
  return { 'gen_ai.output.type': 'speech' };
}

/** Characters of the text to speak, as Unicode code points. */
function characters(input: unknown): number | undefined {
  if (typeof input !== 'string') return undefined;
  let n = 0;
  for (const _ of input) n++;
  return n;
}

/** The usage of one speech call: the characters of its input, and the tokens `speech.audio.done` reported. */
export function speechOutcome(body: RequestBody, reported?: OpenAIUsageWire): LlmCallOutcome {
  const tokens = toTokenUsage(reported);
  const chars = characters(body?.input);
  if (!tokens && chars === undefined) return {};
  const usage: TokenUsage = tokens ?? { inputTokens: 0, outputTokens: 0 };
  // The output of a speech model is the audio it speaks.
  if (usage.outputTokens > 0 && usage.outputAudioTokens === undefined) usage.outputAudioTokens = usage.outputTokens;
  if (chars !== undefined) usage.inputCharacters = chars;
  return { usage };
}

interface ResponseLike {
  bodyUsed?: boolean;
  clone?: () => { body?: unknown };
}

interface SpeechEventWire {
  type?: string;
  usage?: OpenAIUsageWire;
}

/** The usage of the `speech.audio.done` event of an SSE body (web ReadableStream or Node stream), read to its end. */
async function doneUsage(stream: AsyncIterable<Uint8Array>): Promise<OpenAIUsageWire | undefined> {
  const decoder = new TextDecoder();
  let usage: OpenAIUsageWire | undefined;
  let tail = '';
  const read = (line: string) => {
    // Only the done event is parsed: the delta lines are base64 audio.
    if (!line.startsWith('data:') || !line.includes('speech.audio.done')) return;
    try {
      const event = JSON.parse(line.slice(5)) as SpeechEventWire;
      if (event?.type === 'speech.audio.done' && event.usage) usage = event.usage;
    } catch {
      // not JSON: not the event we look for
    }
  };
  for await (const chunk of stream) {
    const lines = (tail + decoder.decode(chunk, { stream: true })).split('\n');
    tail = lines.pop() ?? '';
    for (const line of lines) read(line.trimEnd());
  }
  read((tail + decoder.decode()).trimEnd());
  return usage;
}

/**
 * For an SSE speech answer: ends `call` when a clone of the body has been read (the caller's body stays unread and
 * whole). Returns false when this is not such an answer (the call is then ended from speechOutcome at once).
 */
export function observeSpeechEvents(call: LlmCall, data: unknown, body: RequestBody): boolean {
  const response = data as ResponseLike | undefined;
  if (body?.stream_format !== 'sse' || typeof response?.clone !== 'function' || response.bodyUsed) return false;
  const stream = response.clone().body as AsyncIterable<Uint8Array> | undefined;
  if (!stream || typeof stream[Symbol.asyncIterator] !== 'function') return false;
  doneUsage(stream).then(
    (usage) => call.succeed(speechOutcome(body, usage)),
    // The body failed or was cut mid-way: what was seen (the characters) is what the span has.
    () => call.succeed({ ...speechOutcome(body), partial: true }),
  );
  return true;
}
