import { context } from '@opentelemetry/api';
import { type InstrumentationConfig, isWrapped } from '@opentelemetry/instrumentation';
import { AttributionError } from '../../attribution/strict.js';
import { type LlmCall, startLlmCall } from '../../core/llm-call.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../../core/names.js';
import { internalError } from '../../core/warn.js';
import { LlmInstrumentation } from '../shared/llm-instrumentation.js';
import { isStream, observeResult, observeStream } from '../shared/stainless.js';
import {
  type AnthropicMessageWire,
  type AnthropicStreamEventWire,
  MessageStreamState,
  messageOutcome,
  type RequestBody,
  requestAttributes,
} from './usage.js';

/**
 * Every version that has `messages.create`. Versions that trace themselves (0.134.0 and later, 1.x: a
 * client with a tracer) are not wrapped at call time: their own span is priced by LlmCostForeignSpanProcessor.
 */
export const SUPPORTED_VERSIONS = ['>=0.20.0 <3'];

export type AnthropicInstrumentationConfig = InstrumentationConfig;

/** Where `create` lives on the Anthropic class: messages and beta messages. */
const PATHS: string[][] = [['Messages'], ['Beta', 'Messages']];

type CreateFn = (this: unknown, body: RequestBody, ...rest: unknown[]) => unknown;

interface ClientLike {
  baseURL?: unknown;
  /** Set (to a tracer or undefined) by SDK versions that trace themselves. */
  _tracer?: unknown;
  constructor?: { name?: string };
}

/** True when this client emits its own span for the call (SDK 0.134+ with tracing on): we then add none. */
export function clientTracesItself(client: ClientLike | undefined): boolean {
  return !!client && '_tracer' in client && client._tracer !== undefined && client._tracer !== null;
}

function providerOf(client: ClientLike | undefined): string {
  const name = client?.constructor?.name ?? '';
  if (/bedrock/i.test(name)) return 'aws.bedrock';
  if (/vertex/i.test(name)) return 'gcp.vertex_ai';
  return 'anthropic';
}

function server(baseURL: unknown): { serverAddress?: string; serverPort?: number } {
  if (typeof baseURL !== 'string') return {};
  try {
    const url = new URL(baseURL);
    return {
      serverAddress: url.hostname,
      serverPort: url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443,
    };
  } catch {
    return {};
  }
}

/**
 * Instruments `@anthropic-ai/sdk` versions that do not trace themselves (< 0.134, or a client built with
 * `openTelemetry: false`): `messages.create` (plain and `stream: true`), `messages.stream()` (which calls
 * create) and the beta messages API, at the resource-method level (so SDK retries are one call). The span,
 * attributes and cost are those LlmCostForeignSpanProcessor gives the SDK's own span in newer versions.
 */
export class AnthropicInstrumentation extends LlmInstrumentation<AnthropicInstrumentationConfig> {
  constructor(config: AnthropicInstrumentationConfig = {}) {
    super(`${PACKAGE_NAME}/anthropic`, PACKAGE_VERSION, config);
  }

  protected target() {
    return { module: '@anthropic-ai/sdk', versions: SUPPORTED_VERSIONS };
  }

  private prototypeFor(moduleExports: unknown, path: string[]): Record<string, unknown> | undefined {
    const m = moduleExports as Record<string, unknown> | undefined;
    const root = (m?.Anthropic ?? (m?.default as Record<string, unknown> | undefined)?.Anthropic ?? m?.default ?? m) as
      | Record<string, unknown>
      | undefined;
    let target: unknown = root;
    for (const key of path) target = (target as Record<string, unknown> | undefined)?.[key];
    const proto = (target as { prototype?: Record<string, unknown> } | undefined)?.prototype;
    return proto && typeof proto.create === 'function' ? proto : undefined;
  }

  protected patchModule(moduleExports: unknown): void {
    for (const path of PATHS) {
      try {
        const proto = this.prototypeFor(moduleExports, path);
        if (!proto || isWrapped(proto.create)) continue;
        this._wrap(proto, 'create', (original) => this.wrapCreate(original as CreateFn));
      } catch (error) {
        internalError(`patching @anthropic-ai/sdk ${path.join('.')}`, error);
      }
    }
  }

  protected unpatchModule(moduleExports: unknown): void {
    for (const path of PATHS) {
      const proto = this.prototypeFor(moduleExports, path);
      if (proto && isWrapped(proto.create)) this._unwrap(proto, 'create');
    }
  }

  private wrapCreate(original: CreateFn): CreateFn {
    const instrumentation = this;
    return function instrumentedCreate(this: unknown, body: RequestBody, ...rest: unknown[]) {
      const client = (this as { _client?: ClientLike } | undefined)?._client;
      if (clientTracesItself(client)) return original.call(this, body, ...rest);
      let call: LlmCall;
      try {
        call = startLlmCall(instrumentation.telemetry(), {
          provider: providerOf(client),
          operation: 'chat',
          requestModel: typeof body?.model === 'string' ? body.model : undefined,
          ...server(client?.baseURL),
          attributes: requestAttributes(body ?? {}),
          streaming: body?.stream === true,
          inputContent: body?.system !== undefined ? { system: body.system, messages: body?.messages } : body?.messages,
        });
      } catch (error) {
        if (error instanceof AttributionError) throw error;
        internalError('anthropic messages.create (before the call)', error);
        return original.call(this, body, ...rest);
      }
      let result: unknown;
      try {
        result = context.with(call.context, () => original.call(this, body, ...rest));
      } catch (error) {
        call.fail(error);
        throw error;
      }
      try {
        return instrumentation.observe(call, result);
      } catch (error) {
        internalError('anthropic messages.create (observing the result)', error);
        return result;
      }
    };
  }

  private observe(call: LlmCall, result: unknown): unknown {
    const onData = (data: unknown) => {
      if (isStream(data)) {
        const state = new MessageStreamState();
        observeStream(data, {
          onItem(event) {
            if ((event as AnthropicStreamEventWire)?.type === 'content_block_delta') call.firstChunk();
            state.onEvent(event as AnthropicStreamEventWire);
          },
          onEnd(how, error) {
            if (how === 'error') call.fail(error, state.outcome(true));
            else call.succeed(state.outcome(how === 'abandoned'));
          },
        });
      } else {
        call.succeed(messageOutcome(data as AnthropicMessageWire));
      }
      return data;
    };
    return observeResult(result, call, onData, 'anthropic messages.create (result)');
  }
}
