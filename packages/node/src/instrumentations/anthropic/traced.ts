import type { Span } from '@opentelemetry/api';
import { ATTR } from '../../core/names.js';
import type { Warnings } from '../../core/warn.js';
import { type ApiPromiseLike, isApiPromise, isStream } from '../shared/stainless.js';
import { watchItems } from './items.js';
import { type AnthropicStreamEventWire, type AnthropicUsageWire, toTokenUsage } from './usage.js';

/**
 * What the SDK's own `anthropic.messages.create` span (1.x, 0.134+) does not carry: the server-tool usage
 * (`usage.server_tool_use.web_search_requests`, billed per search). We add no span: the count is set on the
 * SDK's span as `llmcost.usage.web_searches` before the SDK ends it, and LlmCostForeignSpanProcessor prices it
 * with the tokens.
 *
 * The SDK hands each traced request its call span in the request options (`__span`, SDK-internal, 1.x), and ends
 * it after the whole parse chain of the APIPromise (for a stream: when the stream ends). A transform added to
 * the request's APIPromise (`_thenUnwrap`) therefore sees the parsed Message, or the Stream, while the span still
 * records. A request without `__span` (a client that does not trace itself) is left as it is: our own span
 * reads the same usage.
 */

interface TracedRequestOptions {
  __span?: { name?: unknown; span?: Span } | null;
}

/** Sets the web search count of a Messages usage on the span (nothing when there were none). */
function setWebSearches(span: Span, usage: AnthropicUsageWire | null | undefined): void {
  const searches = toTokenUsage(usage)?.webSearches;
  if (searches) span.setAttribute(ATTR.WEB_SEARCHES, searches);
}

/**
 * `client.post(path, options)` of a client that traces itself returned `result`: for a messages.create call,
 * the same kind of APIPromise, whose parsed result also records the server-tool usage on the SDK's span.
 */
export function observeTracedRequest(options: unknown, result: unknown, warnings: Warnings): unknown {
  const call = (options as TracedRequestOptions | undefined)?.__span;
  const span = call?.span;
  if (call?.name !== 'anthropic.messages.create' || !span || !isApiPromise(result)) return result;
  return (result as ApiPromiseLike<unknown>)._thenUnwrap((data: unknown) => {
    try {
      if (isStream(data)) {
        watchItems<AnthropicStreamEventWire>(
          data,
          'iterator',
          (event) => {
            // message_delta has the final (cumulative) usage, message_start the first.
            if (event?.type === 'message_delta') setWebSearches(span, event.usage);
            else if (event?.type === 'message_start') setWebSearches(span, event.message?.usage);
          },
          warnings,
        );
      } else {
        setWebSearches(span, (data as { usage?: AnthropicUsageWire } | undefined)?.usage);
      }
    } catch (error) {
      warnings.internalError('anthropic messages.create (SDK span)', error);
    }
    return data;
  });
}
