import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny OTLP/HTTP receiver for tests: decodes http/json export requests (so the real exporters are
 * exercised end to end) and records the path and content type of every request (protobuf included).
 */

// biome-ignore lint/suspicious/noExplicitAny: OTLP JSON is decoded loosely
type Json = any;

export interface CapturedSpan {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  status: { code?: number; message?: string };
  events: { name: string; attributes: Record<string, unknown> }[];
}

export interface CapturedPoint {
  name: string;
  unit: string;
  type: 'sum' | 'histogram' | 'gauge';
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  value?: number;
  count?: number;
  sum?: number;
  bounds?: number[];
  bucketCounts?: number[];
}

export interface OtlpReceiver {
  url: string;
  requests: { path: string; contentType: string | undefined; bytes: number; headers: Record<string, unknown> }[];
  spans: CapturedSpan[];
  /** Points of the most recent metrics export (metrics are cumulative, so the latest has everything). */
  latestPoints(): CapturedPoint[];
  /** Failing mode: answer every export with this status (e.g. 503). */
  failWith(status: number | undefined): void;
  reset(): void;
  close(): Promise<void>;
}

function anyValue(v: Json): unknown {
  if (!v || typeof v !== 'object') return undefined;
  if ('stringValue' in v) return v.stringValue;
  if ('boolValue' in v) return v.boolValue;
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return Number(v.doubleValue);
  if ('arrayValue' in v) return (v.arrayValue.values ?? []).map(anyValue);
  if ('kvlistValue' in v) return attrs(v.kvlistValue.values);
  return undefined;
}

export function attrs(list: Json[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of list ?? []) out[kv.key] = anyValue(kv.value);
  return out;
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of req) parts.push(p as Buffer);
  return Buffer.concat(parts);
}

function decodeSpans(doc: Json): CapturedSpan[] {
  const out: CapturedSpan[] = [];
  for (const rs of doc.resourceSpans ?? []) {
    const resource = attrs(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        out.push({
          name: s.name,
          kind: s.kind,
          traceId: s.traceId,
          spanId: s.spanId,
          parentSpanId: s.parentSpanId || undefined,
          attributes: attrs(s.attributes),
          resource,
          status: s.status ?? {},
          events: (s.events ?? []).map((e: Json) => ({ name: e.name, attributes: attrs(e.attributes) })),
        });
      }
    }
  }
  return out;
}

function decodeMetrics(doc: Json): CapturedPoint[] {
  const out: CapturedPoint[] = [];
  for (const rm of doc.resourceMetrics ?? []) {
    const resource = attrs(rm.resource?.attributes);
    for (const sm of rm.scopeMetrics ?? []) {
      for (const m of sm.metrics ?? []) {
        const base = { name: m.name, unit: m.unit, resource };
        for (const p of m.sum?.dataPoints ?? []) {
          out.push({ ...base, type: 'sum', attributes: attrs(p.attributes), value: Number(p.asDouble ?? p.asInt) });
        }
        for (const p of m.gauge?.dataPoints ?? []) {
          out.push({ ...base, type: 'gauge', attributes: attrs(p.attributes), value: Number(p.asDouble ?? p.asInt) });
        }
        for (const p of m.histogram?.dataPoints ?? []) {
          out.push({
            ...base,
            type: 'histogram',
            attributes: attrs(p.attributes),
            count: Number(p.count),
            sum: Number(p.sum),
            bounds: (p.explicitBounds ?? []).map(Number),
            bucketCounts: (p.bucketCounts ?? []).map(Number),
          });
        }
      }
    }
  }
  return out;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const requests: OtlpReceiver['requests'] = [];
  const spans: CapturedSpan[] = [];
  let latest: CapturedPoint[] = [];
  let failStatus: number | undefined;
  const server = createServer((req, res) => {
    body(req)
      .then((buf) => {
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        const contentType = req.headers['content-type'];
        requests.push({ path, contentType, bytes: buf.length, headers: req.headers });
        if (failStatus) {
          res.writeHead(failStatus).end();
          return;
        }
        if (contentType?.includes('json')) {
          const doc = JSON.parse(buf.toString('utf8'));
          if (path.endsWith('/v1/traces')) spans.push(...decodeSpans(doc));
          if (path.endsWith('/v1/metrics')) latest = decodeMetrics(doc);
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      })
      .catch(() => res.writeHead(400).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    spans,
    latestPoints: () => latest,
    failWith: (s) => {
      failStatus = s;
    },
    reset: () => {
      requests.length = 0;
      spans.length = 0;
      latest = [];
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
