import { isWrapped } from '@opentelemetry/instrumentation';
import type { LlmCall } from '../../core/llm-call.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../../core/names.js';
import { clientPrototype, serverOf } from '../shared/client.js';
import { type CallPlan, LlmInstrumentation, type MethodSite } from '../shared/llm-instrumentation.js';
import { observeResult } from '../shared/result.js';
import { isStream } from '../shared/stainless.js';
import { observeIterable } from '../shared/stream.js';
import { observeBatchResults } from './batches.js';
import {
  CompletionStreamState,
  type CompletionWire,
  completionOutcome,
  completionRequestAttributes,
} from './completions.js';
import { observeTracedRequest } from './traced.js';
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

/** Where `create` lives on the Anthropic class: messages, beta messages, legacy text completions (< 1.0). */
const PATHS: string[][] = [['Messages'], ['Beta', 'Messages'], ['Completions']];

/** Where `results` lives: Message Batches and beta Message Batches. */
const BATCH_PATHS: string[][] = [
  ['Messages', 'Batches'],
  ['Beta', 'Messages', 'Batches'],
];

const isCompletions = (path: string[]) => path[0] === 'Completions';

type Method = (this: unknown, ...args: unknown[]) => unknown;

/** A method observed without a call span of its own (batch results, the SDK's traced requests). */
interface ObservedSite {
  owner: Record<string, unknown>;
  name: string;
  wrap: (original: Method) => Method;
}

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
 * create), the beta messages API and the legacy `completions.create`, at the resource-method level (so SDK
 * retries are one call). The span, attributes and cost are those LlmCostForeignSpanProcessor gives the SDK's
 * own span in newer versions.
 *
 * In every version: `messages.batches.results()` (and beta) gets one deferred span per succeeded result
 * (batches.ts). For clients that trace themselves: the server-tool usage their own span lacks is added to it
 * (traced.ts).
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

  protected callLabel(path: string[]): string {
    return isCompletions(path) ? 'anthropic completions.create' : 'anthropic messages.create';
  }

  protected planCall(path: string[], self: unknown, args: unknown[]): CallPlan | undefined {
    const client = (self as { _client?: ClientLike } | undefined)?._client;
    if (clientTracesItself(client)) return undefined;
    const body = args[0] as RequestBody;
    if (isCompletions(path)) {
      return {
        provider: providerOf(client),
        operation: 'text_completion',
        requestModel: typeof body?.model === 'string' ? body.model : undefined,
        ...serverOf(client?.baseURL),
        attributes: completionRequestAttributes(body ?? {}),
        streaming: body?.stream === true,
        inputContent: body?.prompt,
      };
    }
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

  protected observeCall(path: string[], call: LlmCall, result: unknown): unknown {
    const completions = isCompletions(path);
    const onData = (data: unknown) => {
      if (isStream(data))
        observeIterable(
          data,
          'iterator',
          call,
          completions ? new CompletionStreamState() : new MessageStreamState(),
          data,
        );
      else
        call.succeed(
          completions ? completionOutcome(data as CompletionWire) : messageOutcome(data as AnthropicMessageWire),
        );
      return data;
    };
    return observeResult(result, call, onData, `${this.callLabel(path)} (result)`);
  }

  /** The methods observed without a call span: batch results, and the request method of self-tracing clients. */
  private observedSites(moduleExports: unknown): ObservedSite[] {
    const sites: ObservedSite[] = [];
    for (const path of BATCH_PATHS) {
      const owner = clientPrototype(moduleExports, 'Anthropic', path);
      if (owner && Object.hasOwn(owner, 'results') && typeof owner.results === 'function')
        sites.push({ owner, name: 'results', wrap: (original) => this.wrapResults(original) });
    }
    const base = clientPrototype(moduleExports, 'BaseAnthropic');
    if (base && Object.hasOwn(base, 'post') && typeof base.post === 'function')
      sites.push({ owner: base, name: 'post', wrap: (original) => this.wrapPost(original) });
    return sites;
  }

  /** `results(batchId, ...)`: the caller gets the SDK's promise; its decoder's lines are recorded as read. */
  private wrapResults(original: Method): Method {
    const instrumentation = this;
    return function results(this: unknown, ...args: unknown[]) {
      const result = original.apply(this, args);
      const telemetry = instrumentation.telemetry();
      try {
        const client = (this as { _client?: ClientLike } | undefined)?._client;
        if (typeof args[0] === 'string') {
          const source = { provider: providerOf(client), batchId: args[0], ...serverOf(client?.baseURL) };
          observeBatchResults(result, telemetry, source, telemetry.runtime.warnings);
        }
      } catch (error) {
        telemetry.runtime.warnings.internalError('anthropic messages.batches.results', error);
      }
      return result;
    };
  }

  /** `post(path, options)`: for a request the SDK traces itself, its span gets the server-tool usage. */
  private wrapPost(original: Method): Method {
    const instrumentation = this;
    return function post(this: unknown, ...args: unknown[]) {
      const result = original.apply(this, args);
      const warnings = instrumentation.telemetry().runtime.warnings;
      try {
        return observeTracedRequest(args[1], result, warnings);
      } catch (error) {
        warnings.internalError('anthropic request (SDK span)', error);
        return result;
      }
    };
  }

  protected override patchModule(moduleExports: unknown): void {
    super.patchModule(moduleExports);
    let sites: ObservedSite[];
    try {
      sites = this.observedSites(moduleExports);
    } catch (error) {
      this.telemetry().runtime.warnings.internalError('patching @anthropic-ai/sdk', error);
      return;
    }
    for (const site of sites) {
      try {
        if (Object.hasOwn(site.owner, site.name) && isWrapped(site.owner[site.name])) continue;
        this._wrap(site.owner, site.name, (original) => site.wrap(original as Method));
      } catch (error) {
        this.telemetry().runtime.warnings.internalError(`patching anthropic ${site.name}`, error);
      }
    }
  }

  protected override unpatchModule(moduleExports: unknown): void {
    super.unpatchModule(moduleExports);
    for (const site of this.observedSites(moduleExports)) {
      if (Object.hasOwn(site.owner, site.name) && isWrapped(site.owner[site.name])) this._unwrap(site.owner, site.name);
    }
  }
}
