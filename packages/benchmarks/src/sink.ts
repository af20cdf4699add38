// A discarding OTLP/HTTP endpoint for the scenarios whose instrumentation insists on its own exporter
// (openlit.init()) and for our init() beside it. Runs in the parent process, so that receiving costs the
// measured child nothing but the send. It keeps only the latest trace body (parsed on request, for the
// correctness check) and the names of metrics it has seen.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import type { SpanSummary } from './pipeline.js';

interface OtlpAnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: OtlpAnyValue[] };
}
interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}
interface OtlpTraces {
  resourceSpans?: { scopeSpans?: { spans?: { name: string; attributes?: OtlpKeyValue[] }[] }[] }[];
}
interface OtlpMetrics {
  resourceMetrics?: { scopeMetrics?: { metrics?: { name: string }[] }[] }[];
}

function value(v: OtlpAnyValue | undefined): AttributeValue | undefined {
  if (!v) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map((x) => String(value(x)));
  return undefined;
}

export function spansFromOtlpJson(body: string): SpanSummary[] {
  const json = JSON.parse(body) as OtlpTraces;
  const out: SpanSummary[] = [];
  for (const rs of json.resourceSpans ?? []) {
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        const attributes: Attributes = {};
        for (const kv of span.attributes ?? []) {
          const v = value(kv.value);
          if (v !== undefined) attributes[kv.key] = v;
        }
        out.push({ name: span.name, attributes });
      }
    }
  }
  return out;
}

export interface OtlpSink {
  url: string;
  /** The spans of the latest trace export (JSON only; a protobuf body yields none). */
  lastSpans(): SpanSummary[];
  metricNames(): string[];
  /** Forget what was received (between scenarios). */
  reset(): void;
  /** Bodies received so far. */
  requests(): number;
  close(): Promise<void>;
}

export async function startOtlpSink(): Promise<OtlpSink> {
  let lastTraces: { body: string; json: boolean } | undefined;
  let metricNames = new Set<string>();
  let requests = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests++;
      const json = (req.headers['content-type'] ?? '').includes('json');
      const body = Buffer.concat(chunks).toString('utf8');
      if (req.url?.endsWith('/v1/traces')) lastTraces = { body, json };
      else if (req.url?.endsWith('/v1/metrics') && json) {
        try {
          const m = JSON.parse(body) as OtlpMetrics;
          for (const rm of m.resourceMetrics ?? [])
            for (const sm of rm.scopeMetrics ?? []) for (const x of sm.metrics ?? []) metricNames.add(x.name);
        } catch {
          // not ours to judge
        }
      }
      res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
      res.end(json ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    lastSpans: () => (lastTraces?.json ? spansFromOtlpJson(lastTraces.body) : []),
    metricNames: () => [...metricNames].sort(),
    reset() {
      lastTraces = undefined;
      metricNames = new Set();
      requests = 0;
    },
    requests: () => requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
