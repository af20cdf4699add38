// Helpers of the fleet test (fleet.test.ts): a Prometheus that receives remote write, raw samples and their
// resets-aware totals, and OTLP/JSON spans shaped as OpenInference writes them in a Python service.
import { readFileSync } from 'node:fs';
import { instantQuery, type RunningPrometheus, type Sample, startPrometheus } from '@otel-llm-cost/testkit';

/** Prometheus as a remote-write store: scrapes nothing, only receives. */
export function startRemoteWriteStore(): Promise<RunningPrometheus> {
  return startPrometheus({ targets: [], remoteWriteReceiver: true });
}

/** Every raw sample of the matching series in the last `windowSeconds` (an instant query of a range selector). */
export async function rawSeries(prom: string, selector: string, windowSeconds: number): Promise<Sample[]> {
  return instantQuery(prom, `${selector}[${windowSeconds}s]`, Date.now() / 1000);
}

/**
 * What a counter counted over its whole life, counter resets included, without extrapolation: its first value
 * (every series here starts at 0 within the test), plus each rise, plus the whole value after each reset (a
 * restarted gateway's derived counter starts again from 0 in the same series). This is increase() over a
 * window that covers the series, minus Prometheus' extrapolation to the window's edges, which would make the
 * figure inexact.
 */
export function lifetimeTotal(values: Array<[number, string]>): number {
  let total = 0;
  let prev = 0;
  for (const [, raw] of values) {
    const v = Number(raw);
    total += v >= prev ? v - prev : v;
    prev = v;
  }
  return total;
}

/** How many counter resets the series went through. */
export function resets(values: Array<[number, string]>): number {
  let n = 0;
  for (let i = 1; i < values.length; i++) if (Number(values[i]![1]) < Number(values[i - 1]![1])) n++;
  return n;
}

/** One LLM call of a Python service traced by OpenInference (openinference-instrumentation-openai). */
export interface PyCall {
  service: string;
  model: string;
  prompt: number;
  completion: number;
  feature: string;
  customer: string;
}

const str = (key: string, v: string) => ({ key, value: { stringValue: v } });
const int = (key: string, v: number) => ({ key, value: { intValue: String(v) } });
let spanCounter = 0;
const runTag = (Date.now() % 0xffffffff).toString(16).padStart(8, '0');

/** OTLP/JSON of the calls of one service: each call its own trace (an LLM span), with unique random-ish ids. */
export function openInferenceTraces(service: string, calls: PyCall[]): unknown {
  const now = BigInt(Date.now()) * 1_000_000n;
  const spans = calls.map((c) => {
    spanCounter++;
    const n = spanCounter.toString(16).padStart(16, '0');
    return {
      // Spread over the hash ring like real random trace ids: the counter in the high bits, mixed.
      traceId: `${mix(spanCounter)}${runTag}${n.slice(8)}`,
      spanId: n,
      name: 'ChatCompletion',
      kind: 3,
      startTimeUnixNano: String(now - 400_000_000n),
      endTimeUnixNano: String(now),
      attributes: [
        str('openinference.span.kind', 'LLM'),
        str('llm.provider', 'openai'),
        str('llm.system', 'openai'),
        str('llm.model_name', c.model),
        int('llm.token_count.prompt', c.prompt),
        int('llm.token_count.completion', c.completion),
        int('llm.token_count.total', c.prompt + c.completion),
        str('app.feature', c.feature),
        str('app.customer.id', c.customer),
        str('app.team', 'py'),
      ],
    };
  });
  return {
    resourceSpans: [
      {
        resource: {
          attributes: [
            str('service.name', service),
            str('deployment.environment.name', 'fleet'),
            str('telemetry.sdk.language', 'python'),
          ],
        },
        scopeSpans: [{ scope: { name: 'openinference.instrumentation.openai' }, spans }],
      },
    ],
  };
}

/** 16 hex digits from a counter (splitmix-style), so consecutive traces hash to different gateways. */
function mix(i: number): string {
  let x = BigInt(i) * 0x9e3779b97f4a7c15n;
  x &= (1n << 64n) - 1n;
  x ^= x >> 31n;
  x = (x * 0xbf58476d1ce4e5b9n) & ((1n << 64n) - 1n);
  x ^= x >> 27n;
  return x.toString(16).padStart(16, '0');
}

/** Span ids of the spans in a collector's file exporter output, with the service and whether the SDK metered it. */
export interface FileSpan {
  spanId: string;
  service: string;
  sdkMetered: boolean;
  model?: string;
}

interface OtlpJsonAttribute {
  key: string;
  value: { stringValue?: string; boolValue?: boolean; doubleValue?: number; intValue?: string };
}
interface OtlpJsonTraces {
  resourceSpans?: Array<{
    resource?: { attributes?: OtlpJsonAttribute[] };
    scopeSpans?: Array<{ spans?: Array<{ spanId: string; attributes?: OtlpJsonAttribute[] }> }>;
  }>;
}

/** The LLM spans of the collectors' file exporter outputs; a batch cut short by kill -9 is counted, not parsed. */
export function readFileSpans(files: string[]): {
  spans: Array<FileSpan & { file: string; cost?: number }>;
  brokenLines: number;
} {
  const spans: Array<FileSpan & { file: string; cost?: number }> = [];
  let brokenLines = 0;
  for (const file of files) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      let doc: OtlpJsonTraces | undefined;
      try {
        doc = JSON.parse(line);
      } catch {
        // kill -9 mid-write leaves a line without its end; the restarted replica's first batch then follows
        // on the same line. Count the cut one, keep the batch after it.
        brokenLines++;
        const next = line.indexOf('{"resourceSpans"', 1);
        if (next > 0) {
          try {
            doc = JSON.parse(line.slice(next));
          } catch {
            // cut short as well
          }
        }
      }
      if (!doc) continue;
      for (const rs of doc.resourceSpans ?? []) {
        const service = rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value?.stringValue ?? '';
        for (const ss of rs.scopeSpans ?? []) {
          for (const s of ss.spans ?? []) {
            const attr = (k: string) => s.attributes?.find((a) => a.key === k)?.value;
            const model = attr('gen_ai.request.model')?.stringValue ?? attr('llm.model_name')?.stringValue;
            if (!model) continue;
            spans.push({
              file,
              spanId: s.spanId,
              service,
              model,
              sdkMetered: attr('llmcost.sdk.metrics')?.boolValue === true,
              cost: attr('gen_ai.usage.cost')?.doubleValue,
            });
          }
        }
      }
    }
  }
  return { spans, brokenLines };
}
