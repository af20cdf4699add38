// STAND-IN for the OpenTelemetry Collector's `prometheus` exporter: an HTTP endpoint serving, in the Prometheus
// text format, the cumulative metrics that the Node package would send for the known calls, translated the way
// the exporter translates them (dots -> underscores, unit and `_total` suffixes, service.name -> job; checked
// against the real otelcol-llmcost exporter). It is not the real pipeline: the collector source
// (dashboards.collector-source.ts) runs the real collector binary when it has been built.
//
// One deliberate difference from a real app: every series is exposed at 0 before the first call (a real app's
// series appears with the value after its first call, and Prometheus' increase() cannot count that first value).
import { createServer, type Server } from 'node:http';
import { CumulativeState, type MetricsSource, type Point } from './dashboards.metrics-model.ts';

const UNIT_SUFFIX: Record<string, string> = { USD: '_USD', s: '_seconds' };
const SCOPE = { otel_scope_name: '@otel-llm-cost/node', otel_scope_version: '0.1.0' };

function promName(p: Point): string {
  return p.name.replace(/\./g, '_') + (UNIT_SUFFIX[p.unit] ?? '');
}

function labelText(p: Point, extra: Record<string, string> = {}): string {
  const labels: Record<string, string> = { job: p.resource['service.name'], ...SCOPE, ...extra };
  for (const [k, v] of Object.entries(p.attributes)) labels[k.replace(/\./g, '_')] = v;
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}="${labels[k]!.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
    .join(',');
}

export function exposition(points: Point[]): string {
  const byFamily = new Map<string, Point[]>();
  for (const p of points) byFamily.set(promName(p), [...(byFamily.get(promName(p)) ?? []), p]);
  const lines: string[] = [];
  for (const [family, ps] of byFamily) {
    const kind = ps[0]!.kind;
    if (kind === 'sum') {
      lines.push(`# TYPE ${family}_total counter`);
      for (const p of ps) lines.push(`${family}_total{${labelText(p)}} ${p.value}`);
      continue;
    }
    lines.push(`# TYPE ${family} histogram`);
    for (const p of ps) {
      let cumulative = 0;
      p.bounds!.forEach((b, i) => {
        cumulative += p.counts![i]!;
        lines.push(`${family}_bucket{${labelText(p, { le: String(b) })}} ${cumulative}`);
      });
      lines.push(`${family}_bucket{${labelText(p, { le: '+Inf' })}} ${p.count}`);
      lines.push(`${family}_sum{${labelText(p)}} ${p.sum}`);
      lines.push(`${family}_count{${labelText(p)}} ${p.count}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export async function startStandInExporter(): Promise<MetricsSource> {
  const state = new CumulativeState();
  const server: Server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(exposition(state.all()));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    target: `127.0.0.1:${port}`,
    description: 'stand-in exporter (Prometheus text served by the test, not the collector)',
    declare: async (calls) => {
      for (const c of calls) state.record(c, 0);
    },
    record: async (calls) => {
      for (const c of calls) state.record(c, 1);
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
