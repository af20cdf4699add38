import type { LlmCall } from '../../core/llm-call.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../../core/names.js';
import { clientPrototype } from '../shared/client.js';
import { type CallPlan, LlmInstrumentation, type MethodSite } from '../shared/llm-instrumentation.js';
import { observePromise } from '../shared/result.js';
import { type CallStreamState, observeIterable } from '../shared/stream.js';
import { asyncInvokeOutcome, asyncInvokeStart } from './async-invoke.js';
import { captureTokenHeaders, headerTokenCounts } from './token-headers.js';
import type { BedrockInstrumentationConfig } from './types.js';
import {
  ConverseStreamState,
  converseAttributes,
  converseOutcome,
  type Input,
  InvokeStreamState,
  invokeAttributes,
  invokeOutcome,
  modelIdOf,
} from './usage.js';

export const SUPPORTED_VERSIONS = ['>=3.400.0 <4'];

type Kind = 'converse' | 'converseStream' | 'invoke' | 'invokeStream' | 'startAsyncInvoke';

/** Command class export -> kind. */
const COMMANDS: [string, Kind][] = [
  ['ConverseCommand', 'converse'],
  ['ConverseStreamCommand', 'converseStream'],
  ['InvokeModelCommand', 'invoke'],
  ['InvokeModelWithResponseStreamCommand', 'invokeStream'],
  ['StartAsyncInvokeCommand', 'startAsyncInvoke'],
];
// Not model calls, so no span (nor an unpriced count): CountTokens (free), GetAsyncInvoke and ListAsyncInvokes
// (reading a job's state is not billed; the job's cost belongs to its StartAsyncInvoke span).

interface BedrockPlan extends CallPlan {
  kind: Kind;
  /** StartAsyncInvoke: the request, whose duration is the billed usage. */
  input?: Input;
}

/**
 * Instruments `@aws-sdk/client-bedrock-runtime` (AWS SDK v3) at `BedrockRuntimeClient.prototype.send` for
 * Converse, ConverseStream, InvokeModel and InvokeModelWithResponseStream (Anthropic Messages and Nova bodies
 * with their usage blocks; Llama, Titan, Mistral and Cohere bodies, whose counts come from the body where it has
 * them, else from Bedrock's token headers / invocation metrics), and StartAsyncInvoke (async-invoke.ts). One
 * span per `send` (the SDK's retries are inside it).
 * Provider `aws.bedrock`: priced with Bedrock's prices (genai-prices provider `aws`), model = the modelId
 * (cross-region inference profile ids such as `us.` / `global.` kept, since they are priced apart).
 */
export type { BedrockInstrumentationConfig };

export class BedrockInstrumentation extends LlmInstrumentation<BedrockInstrumentationConfig, 'send', BedrockPlan> {
  /** Command classes of every patched module copy. */
  private readonly kinds = new Map<unknown, Kind>();

  constructor(config: BedrockInstrumentationConfig = {}) {
    super(`${PACKAGE_NAME}/bedrock`, PACKAGE_VERSION, config);
  }

  protected target() {
    return { module: '@aws-sdk/client-bedrock-runtime', versions: SUPPORTED_VERSIONS };
  }

  protected methodsOf(moduleExports: unknown): MethodSite<'send'>[] {
    const m = moduleExports as Record<string, unknown> | undefined;
    const commands = (m?.BedrockRuntimeClient ? m : (m?.default as Record<string, unknown> | undefined)) ?? {};
    const owner = clientPrototype(moduleExports, 'BedrockRuntimeClient');
    if (!commands.BedrockRuntimeClient || !owner || typeof owner.send !== 'function') {
      this._diag.debug('@aws-sdk/client-bedrock-runtime: BedrockRuntimeClient not found; not instrumented');
      return [];
    }
    for (const [name, kind] of COMMANDS) if (commands[name]) this.kinds.set(commands[name], kind);
    return [{ owner, name: 'send', spec: 'send' }];
  }

  protected callLabel(): string {
    return 'bedrock send';
  }

  protected planCall(_spec: 'send', self: unknown, args: unknown[]): BedrockPlan | undefined {
    const command = args[0];
    const ctor = (command as { constructor?: unknown } | undefined)?.constructor;
    const kind = ctor ? this.kinds.get(ctor) : undefined;
    // Callback style (send(command, cb)) and other commands pass straight through.
    if (!kind || typeof args[args.length - 1] === 'function') return undefined;
    const input = ((command as { input?: Input }).input ?? {}) as Input;
    if (kind === 'startAsyncInvoke') return { ...asyncInvokeStart(input), kind, input };
    const model = modelIdOf(input.modelId);
    if (kind === 'invoke') this.captureHeaders(self);
    const converse = kind === 'converse' || kind === 'converseStream';
    return {
      provider: 'aws.bedrock',
      operation: !converse && /embed/i.test(model ?? '') ? 'embeddings' : 'chat',
      requestModel: model,
      attributes: converse ? converseAttributes(input) : invokeAttributes(input),
      streaming: kind === 'converseStream' || kind === 'invokeStream',
      inputContent: converse ? input.messages : undefined,
      kind,
    };
  }

  /** Token headers are a fallback: failing to hook them loses only that, never the call's span. */
  private captureHeaders(client: unknown): void {
    try {
      captureTokenHeaders(client);
    } catch (error) {
      this.telemetry().runtime.warnings.internalError('bedrock token headers middleware', error);
    }
  }

  protected observeCall(_spec: 'send', call: LlmCall, result: unknown, plan: BedrockPlan): unknown {
    return observePromise(
      result as Promise<unknown>,
      call,
      (output) => this.observeOutput(call, output, plan),
      'bedrock send (result)',
    );
  }

  private observeOutput(call: LlmCall, output: unknown, { kind, requestModel: model, input }: BedrockPlan): void {
    const out = output as Input;
    if (kind === 'converse') {
      call.succeed(converseOutcome(out, model));
      return;
    }
    if (kind === 'invoke') {
      call.succeed(invokeOutcome(out, model, headerTokenCounts(out)));
      return;
    }
    if (kind === 'startAsyncInvoke') {
      call.succeed(asyncInvokeOutcome(out, model, input ?? {}));
      return;
    }
    const stream = (kind === 'converseStream' ? out?.stream : out?.body) as AsyncIterable<unknown> | undefined;
    if (!stream || typeof stream[Symbol.asyncIterator] !== 'function') {
      call.succeed({ responseModel: model });
      return;
    }
    const state: CallStreamState =
      kind === 'converseStream'
        ? new ConverseStreamState(model, out?.$metadata?.requestId)
        : new InvokeStreamState(model);
    observeIterable(stream, Symbol.asyncIterator, call, state);
  }
}
