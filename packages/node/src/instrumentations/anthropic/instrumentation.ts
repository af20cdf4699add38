import type { LlmCall } from '../../core/llm-call.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../../core/names.js';
import { clientPrototype, serverOf } from '../shared/client.js';
import { type CallPlan, LlmInstrumentation, type MethodSite } from '../shared/llm-instrumentation.js';
import { observeResult } from '../shared/result.js';
import { isStream } from '../shared/stainless.js';
import { observeIterable } from '../shared/stream.js';
import type { AnthropicInstrumentationConfig } from './types.js';
import {
  type AnthropicMessageWire,
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

/** Where `create` lives on the Anthropic class: messages and beta messages. */
const PATHS: string[][] = [['Messages'], ['Beta', 'Messages']];

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

/**
 * Instruments `@anthropic-ai/sdk` versions that do not trace themselves (< 0.134, or a client built with
 * `openTelemetry: false`): `messages.create` (plain and `stream: true`), `messages.stream()` (which calls
 * create) and the beta messages API, at the resource-method level (so SDK retries are one call). The span,
 * attributes and cost are those LlmCostForeignSpanProcessor gives the SDK's own span in newer versions.
 */
export type { AnthropicInstrumentationConfig };

export class AnthropicInstrumentation extends LlmInstrumentation<AnthropicInstrumentationConfig, string[]> {
  constructor(config: AnthropicInstrumentationConfig = {}) {
    super(`${PACKAGE_NAME}/anthropic`, PACKAGE_VERSION, config);
  }

  protected target() {
    return { module: '@anthropic-ai/sdk', versions: SUPPORTED_VERSIONS };
  }

  protected methodsOf(moduleExports: unknown): MethodSite<string[]>[] {
    const sites: MethodSite<string[]>[] = [];
    for (const path of PATHS) {
      const owner = clientPrototype(moduleExports, 'Anthropic', path);
      if (owner && typeof owner.create === 'function') sites.push({ owner, name: 'create', spec: path });
    }
    return sites;
  }

  protected callLabel(): string {
    return 'anthropic messages.create';
  }

  protected planCall(_path: string[], self: unknown, args: unknown[]): CallPlan | undefined {
    const client = (self as { _client?: ClientLike } | undefined)?._client;
    if (clientTracesItself(client)) return undefined;
    const body = args[0] as RequestBody;
    return {
      provider: providerOf(client),
      operation: 'chat',
      requestModel: typeof body?.model === 'string' ? body.model : undefined,
      ...serverOf(client?.baseURL),
      attributes: requestAttributes(body ?? {}),
      streaming: body?.stream === true,
      inputContent: body?.system !== undefined ? { system: body.system, messages: body?.messages } : body?.messages,
    };
  }

  protected observeCall(_path: string[], call: LlmCall, result: unknown): unknown {
    const onData = (data: unknown) => {
      if (isStream(data)) observeIterable(data, 'iterator', call, new MessageStreamState(), data);
      else call.succeed(messageOutcome(data as AnthropicMessageWire));
      return data;
    };
    return observeResult(result, call, onData, 'anthropic messages.create (result)');
  }
}
