import { context } from '@opentelemetry/api';
import { type InstrumentationConfig, isWrapped } from '@opentelemetry/instrumentation';
import { AttributionError } from '../../attribution/strict.js';
import { type LlmCall, type LlmCallOutcome, startLlmCall } from '../../core/llm-call.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../../core/names.js';
import { internalError } from '../../core/warn.js';
import { LlmInstrumentation } from '../shared/llm-instrumentation.js';
import {
  type ConverseStreamEventWire,
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

export type BedrockInstrumentationConfig = InstrumentationConfig;

type Kind = 'converse' | 'converseStream' | 'invoke' | 'invokeStream';

/** Command class export -> kind. */
const COMMANDS: [string, Kind][] = [
  ['ConverseCommand', 'converse'],
  ['ConverseStreamCommand', 'converseStream'],
  ['InvokeModelCommand', 'invoke'],
  ['InvokeModelWithResponseStreamCommand', 'invokeStream'],
];

type SendFn = (this: unknown, command: unknown, ...rest: unknown[]) => unknown;

interface IteratorLike {
  next: (...args: unknown[]) => Promise<IteratorResult<unknown>>;
  return?: (value?: unknown) => Promise<IteratorResult<unknown>>;
  throw?: (error?: unknown) => Promise<IteratorResult<unknown>>;
}

/**
 * Observes an event stream (an AsyncIterable the SDK deserializes lazily) without replacing it: the
 * iterator it hands out is observed in place (items, end, errors, early return).
 */
function observeEventStream(
  stream: AsyncIterable<unknown>,
  onItem: (item: unknown) => void,
  onEnd: (how: 'complete' | 'abandoned' | 'error', error?: unknown) => void,
): void {
  const iterate = stream[Symbol.asyncIterator];
  let ended = false;
  const end = (how: 'complete' | 'abandoned' | 'error', error?: unknown) => {
    if (ended) return;
    ended = true;
    try {
      onEnd(how, error);
    } catch (e) {
      internalError('ending a Bedrock stream observation', e);
    }
  };
  let observed = false;
  (stream as { [Symbol.asyncIterator]: () => AsyncIterator<unknown> })[Symbol.asyncIterator] = function (
    this: unknown,
  ) {
    const it = iterate.call(this) as unknown as IteratorLike;
    if (observed) return it as unknown as AsyncIterator<unknown>;
    observed = true;
    const next = it.next.bind(it);
    const ret = it.return?.bind(it);
    const thr = it.throw?.bind(it);
    it.next = async (...args: unknown[]) => {
      let r: IteratorResult<unknown>;
      try {
        r = await next(...args);
      } catch (error) {
        end('error', error);
        throw error;
      }
      if (r.done) end('complete');
      else {
        try {
          onItem(r.value);
        } catch (e) {
          internalError('observing a Bedrock stream event', e);
        }
      }
      return r;
    };
    if (ret) {
      it.return = async (value?: unknown) => {
        end('abandoned');
        return ret(value);
      };
    }
    if (thr) {
      it.throw = async (error?: unknown) => {
        end('error', error);
        return thr(error);
      };
    }
    return it as unknown as AsyncIterator<unknown>;
  };
}

/**
 * Instruments `@aws-sdk/client-bedrock-runtime` (AWS SDK v3) at `BedrockRuntimeClient.prototype.send` for
 * Converse, ConverseStream, InvokeModel and InvokeModelWithResponseStream (Anthropic Messages bodies; also
 * Nova, Llama/Mistral and Titan embedding bodies). One span per `send` (the SDK's retries are inside it).
 * Provider `aws.bedrock`: priced with Bedrock's prices (genai-prices provider `aws`), model = the modelId
 * (cross-region inference profile ids such as `us.` / `global.` kept, since they are priced apart).
 */
export class BedrockInstrumentation extends LlmInstrumentation<BedrockInstrumentationConfig> {
  /** Command classes of every patched module copy. */
  private readonly kinds = new Map<unknown, Kind>();

  constructor(config: BedrockInstrumentationConfig = {}) {
    super(`${PACKAGE_NAME}/bedrock`, PACKAGE_VERSION, config);
  }

  protected target() {
    return { module: '@aws-sdk/client-bedrock-runtime', versions: SUPPORTED_VERSIONS };
  }

  private exportsOf(moduleExports: unknown): Record<string, unknown> | undefined {
    const m = moduleExports as Record<string, unknown> | undefined;
    return (m?.BedrockRuntimeClient ? m : (m?.default as Record<string, unknown> | undefined)) ?? undefined;
  }

  protected patchModule(moduleExports: unknown): void {
    try {
      const m = this.exportsOf(moduleExports);
      const proto = (m?.BedrockRuntimeClient as { prototype?: Record<string, unknown> } | undefined)?.prototype;
      if (!m || !proto || typeof proto.send !== 'function') {
        this._diag.debug('@aws-sdk/client-bedrock-runtime: BedrockRuntimeClient not found; not instrumented');
        return;
      }
      for (const [name, kind] of COMMANDS) if (m[name]) this.kinds.set(m[name], kind);
      if (Object.hasOwn(proto, 'send') && isWrapped(proto.send)) return;
      this._wrap(proto, 'send', (original) => this.wrapSend(original as SendFn));
    } catch (error) {
      internalError('patching @aws-sdk/client-bedrock-runtime', error);
    }
  }

  protected unpatchModule(moduleExports: unknown): void {
    const proto = (
      this.exportsOf(moduleExports)?.BedrockRuntimeClient as { prototype?: Record<string, unknown> } | undefined
    )?.prototype;
    if (proto && Object.hasOwn(proto, 'send') && isWrapped(proto.send)) this._unwrap(proto, 'send');
  }

  private kindOf(command: unknown): Kind | undefined {
    const ctor = (command as { constructor?: unknown } | undefined)?.constructor;
    return ctor ? this.kinds.get(ctor) : undefined;
  }

  private wrapSend(original: SendFn): SendFn {
    const instrumentation = this;
    return function instrumentedSend(this: unknown, command: unknown, ...rest: unknown[]) {
      const kind = instrumentation.kindOf(command);
      // Callback style (send(command, cb)) and other commands pass straight through.
      if (!kind || typeof rest[rest.length - 1] === 'function') return original.call(this, command, ...rest);
      let call: LlmCall;
      let model: string | undefined;
      try {
        const input = ((command as { input?: Input }).input ?? {}) as Input;
        model = modelIdOf(input.modelId);
        const converse = kind === 'converse' || kind === 'converseStream';
        call = startLlmCall(instrumentation.telemetry(), {
          provider: 'aws.bedrock',
          operation: !converse && /embed/i.test(model ?? '') ? 'embeddings' : 'chat',
          requestModel: model,
          attributes: converse ? converseAttributes(input) : invokeAttributes(input),
          streaming: kind === 'converseStream' || kind === 'invokeStream',
          inputContent: converse ? input.messages : undefined,
        });
      } catch (error) {
        if (error instanceof AttributionError) throw error;
        internalError('bedrock send (before the call)', error);
        return original.call(this, command, ...rest);
      }
      let result: Promise<unknown>;
      try {
        result = context.with(call.context, () => original.call(this, command, ...rest)) as Promise<unknown>;
      } catch (error) {
        call.fail(error);
        throw error;
      }
      return result.then(
        (output) => {
          try {
            instrumentation.observe(kind, call, output, model);
          } catch (error) {
            internalError('bedrock send (result)', error);
          }
          return output;
        },
        (error: unknown) => {
          call.fail(error);
          throw error;
        },
      );
    };
  }

  private observe(kind: Kind, call: LlmCall, output: unknown, model: string | undefined): void {
    const out = output as Input;
    if (kind === 'converse') {
      call.succeed(converseOutcome(out, model));
      return;
    }
    if (kind === 'invoke') {
      call.succeed(invokeOutcome(out, model));
      return;
    }
    const stream = (kind === 'converseStream' ? out?.stream : out?.body) as AsyncIterable<unknown> | undefined;
    if (!stream || typeof stream[Symbol.asyncIterator] !== 'function') {
      call.succeed({ responseModel: model });
      return;
    }
    let onItem: (item: unknown) => void;
    let outcome: (abandoned: boolean) => LlmCallOutcome;
    if (kind === 'converseStream') {
      const state = new ConverseStreamState(model, out?.$metadata?.requestId);
      onItem = (e) => {
        if ((e as ConverseStreamEventWire)?.contentBlockDelta) call.firstChunk();
        state.onEvent(e as ConverseStreamEventWire);
      };
      outcome = (a) => state.outcome(a);
    } else {
      const state = new InvokeStreamState(model);
      onItem = (e) => {
        call.firstChunk();
        state.onChunk(e as { chunk?: { bytes?: Uint8Array } });
      };
      outcome = (a) => state.outcome(a);
    }
    observeEventStream(stream, onItem, (how, error) => {
      if (how === 'error') call.fail(error, outcome(true));
      else call.succeed(outcome(how === 'abandoned'));
    });
  }
}
