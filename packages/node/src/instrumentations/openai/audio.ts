import type { TokenUsage } from '@otel-llm-cost/pricing';
import type { LlmCallOutcome } from '../../core/llm-call.js';
import type { CallStreamState } from '../shared/stream.js';
import { count, samplingAttributes } from '../shared/usage.js';
import type { InputDetailsWire, RequestBody } from './types.js';
import { toTokenUsage } from './usage.js';

/**
 * audio.transcriptions / audio.translations (speech to text). Usage as the API reports it (openai 7
 * `Transcription.usage`, `TranscriptionVerbose`, `TranscriptionTextDoneEvent.usage`):
 * - token-billed models (gpt-4o-transcribe, gpt-4o-mini-transcribe): `usage: {type: 'tokens', input_tokens,
 *   input_token_details: {text_tokens, audio_tokens}, output_tokens}`; the audio part is in input_tokens;
 * - duration-billed models (whisper-1): `usage: {type: 'duration', seconds}`, the seconds billed; a verbose_json
 *   answer without that block (translations) still has `duration`, the input audio's length in seconds.
 * The text formats (text, srt, vtt) answer with a bare string: no usage, the call stays unpriced (`no_usage`).
 */

export function transcriptionAttributes(body: RequestBody) {
  return samplingAttributes(undefined, body.temperature, undefined);
}

interface TranscriptionUsageWire {
  type?: string;
  seconds?: number;
  input_tokens?: number;
  output_tokens?: number;
  total_tokens?: number;
  /** Spelled `input_token_details` here (the chat/responses usage says `input_tokens_details`). */
  input_token_details?: InputDetailsWire | null;
}

interface TranscriptionWire {
  type?: string;
  text?: string;
  delta?: string;
  duration?: number;
  usage?: TranscriptionUsageWire | null;
}

/** Seconds of input audio as usage (no tokens: both counts 0). */
function secondsUsage(seconds: unknown): TokenUsage | undefined {
  const s = count(seconds);
  return s === undefined ? undefined : { inputTokens: 0, outputTokens: 0, inputAudioSeconds: s };
}

function transcriptionUsage(resp: TranscriptionWire | undefined): TokenUsage | undefined {
  const u = resp?.usage;
  if (u && (u.type === 'duration' || (u.type === undefined && u.input_tokens === undefined))) {
    return secondsUsage(u.seconds) ?? secondsUsage(resp?.duration);
  }
  if (u) return toTokenUsage({ ...u, input_tokens_details: u.input_token_details });
  return secondsUsage(resp?.duration);
}

export function transcriptionOutcome(resp: TranscriptionWire | string): LlmCallOutcome {
  if (typeof resp === 'string') return { outputContent: resp };
  return { usage: transcriptionUsage(resp), outputContent: resp?.text };
}

/** A streamed transcription (gpt-4o transcribe models): `transcript.text.done` carries the text and the usage. */
export class TranscriptionStreamState implements CallStreamState<TranscriptionWire> {
  private done: TranscriptionWire | undefined;
  private text = '';

  onItem(event: TranscriptionWire): void {
    if (event?.type === 'transcript.text.delta' && typeof event.delta === 'string') this.text += event.delta;
    if (event?.type === 'transcript.text.done') this.done = event;
  }

  isContent(event: TranscriptionWire): boolean {
    return event?.type === 'transcript.text.delta';
  }

  outcome(partial: boolean): LlmCallOutcome {
    return {
      usage: transcriptionUsage(this.done),
      partial: partial || undefined,
      outputContent: this.done?.text ?? (this.text || undefined),
    };
  }
}
