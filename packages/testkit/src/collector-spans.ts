import { readFileSync } from 'node:fs';

export interface SpanOut {
  name: string;
  scope: string;
  attrs: Record<string, unknown>;
}

/** The spans of the collector's file exporter (one OTLP/JSON document per line), attributes as plain values. */
export function readSpans(file: string): SpanOut[] {
  const out: SpanOut[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    for (const rs of JSON.parse(line).resourceSpans ?? []) {
      for (const ss of rs.scopeSpans ?? []) {
        for (const s of ss.spans ?? []) {
          const attrs: Record<string, unknown> = {};
          for (const a of s.attributes ?? []) {
            const v = a.value;
            attrs[a.key] =
              v.doubleValue ?? (v.intValue !== undefined ? Number(v.intValue) : (v.stringValue ?? v.boolValue));
          }
          out.push({ name: s.name, scope: ss.scope?.name ?? '', attrs });
        }
      }
    }
  }
  return out;
}
