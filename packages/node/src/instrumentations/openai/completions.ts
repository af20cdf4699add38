import type { LlmCallOutcome } from '../../core/llm-call.js';
import { ChatStreamState, chatOutcome } from './chat.js';
import type { ChatCompletionWire } from './types.js';

/**
 * The legacy Completions API (completions.create: gpt-3.5-turbo-instruct, davinci-002, babbage-002). Its usage is
 * the chat usage (openai 7 `Completion.usage: CompletionUsage`), its choices carry `text` instead of a message; a
 * stream has usage only with `stream_options.include_usage` (asked for as for chat, see CHAT.prepare).
 */

const textOf = (choice: unknown): unknown => (choice as { text?: unknown } | undefined)?.text;

export function completionOutcome(resp: ChatCompletionWire, captureContent = true): LlmCallOutcome {
  return {
    ...chatOutcome(resp, false),
    outputContent: captureContent && Array.isArray(resp?.choices) ? resp.choices.map(textOf) : undefined,
  };
}

/** A completion stream: the chat stream state, with the text of `choices[].text`. */
export class CompletionStreamState extends ChatStreamState {
  private completion = '';

  override onItem(chunk: ChatCompletionWire): void {
    super.onItem(chunk);
    // The text is kept only when it is recorded, as in the chat stream state.
    if (!this.captureContent || !Array.isArray(chunk?.choices)) return;
    for (const choice of chunk.choices) {
      const text = textOf(choice);
      if (typeof text === 'string') this.completion += text;
    }
  }

  override outcome(partial: boolean): LlmCallOutcome {
    return { ...super.outcome(partial), outputContent: this.completion || undefined };
  }
}
