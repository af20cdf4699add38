// The cumulative OpenTelemetry metrics that the Node package records for a list of known calls (docs/telemetry.md:
// instruments, units, attributes, bucket boundaries), as instrument-level points. The stand-in exporter renders
// them in the Prometheus text format; the collector source sends them as OTLP to the real collector.
import type { KnownCall } from './dashboards.traffic.ts';

export const REQUEST_COST_BUCKETS = [1e-6, 5e-6, 1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];
export const DURATION_BUCKETS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];
export const TOKEN_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];

export interface Resource {
  'service.name': string;
  'deployment.environment.name': string;
  'service.version': string;
}

export interface Point {
  name: string;
  unit: string;
  kind: 'sum' | 'histogram';
  resource: Resource;
  attributes: Record<string, string>;
  /** sum */
  value: number;
  /** histogram: explicit bounds, per-bucket (not cumulative) counts, sum and count */
  bounds?: number[];
  counts?: number[];
  sum?: number;
  count?: number;
}

function attributes(c: KnownCall): Record<string, string> {
  const a: Record<string, string> = {
    'gen_ai.provider.name': c.provider,
    'gen_ai.operation.name': 'chat',
    'gen_ai.request.model': c.model,
    // The SDK records the environment and the service version as metric attributes too (docs/telemetry.md).
    'deployment.environment.name': c.environment,
    'service.version': c.serviceVersion,
    'app.version': c.appVersion,
  };
  if (c.feature) a['app.feature'] = c.feature;
  if (c.team) a['app.team'] = c.team;
  if (c.customer) a['app.customer.id'] = c.customer;
  if (c.route) a['llmcost.route'] = c.route;
  return a;
}

export class CumulativeState {
  private points = new Map<string, Point>();

  private point(
    name: string,
    unit: string,
    kind: Point['kind'],
    c: KnownCall,
    attrs: Record<string, string>,
    bounds?: number[],
  ): Point {
    const resource: Resource = {
      'service.name': c.job,
      'deployment.environment.name': c.environment,
      'service.version': c.serviceVersion,
    };
    const key = JSON.stringify([name, resource, Object.entries(attrs).sort()]);
    let p = this.points.get(key);
    if (!p) {
      p = { name, unit, kind, resource, attributes: attrs, value: 0 };
      if (bounds) Object.assign(p, { bounds, counts: new Array(bounds.length + 1).fill(0), sum: 0, count: 0 });
      this.points.set(key, p);
    }
    return p;
  }

  private add(name: string, unit: string, c: KnownCall, attrs: Record<string, string>, v: number): void {
    this.point(name, unit, 'sum', c, attrs).value += v;
  }

  private observe(
    name: string,
    unit: string,
    bounds: number[],
    c: KnownCall,
    attrs: Record<string, string>,
    v: number,
    n: 0 | 1,
  ): void {
    const p = this.point(name, unit, 'histogram', c, attrs, bounds);
    const i = bounds.findIndex((b) => v <= b);
    p.counts![i === -1 ? bounds.length : i]! += n;
    p.sum! += n * v;
    p.count! += n;
  }

  /** Records a call; with `times = 0` only creates its points at 0. */
  record(c: KnownCall, times: 0 | 1): void {
    const a = attributes(c);
    const da = c.errorType ? { ...a, 'error.type': c.errorType } : a;
    this.observe('gen_ai.client.operation.duration', 's', DURATION_BUCKETS, c, da, c.durationSeconds, times);
    if (c.errorType) return;
    if (c.costUsd !== undefined) {
      this.add('llmcost.cost', 'USD', c, { ...a, 'llmcost.cost.source': 'pricing_data' }, times * c.costUsd);
      if (c.billedUsd !== undefined)
        this.add('llmcost.billed', 'USD', c, { ...a, 'llmcost.cost.source': 'pricing_data' }, times * c.billedUsd);
      this.observe('llmcost.request.cost', 'USD', REQUEST_COST_BUCKETS, c, a, c.costUsd, times);
    } else {
      this.add(
        'llmcost.unpriced.requests',
        '{request}',
        c,
        { ...a, 'llmcost.unpriced.reason': c.unpricedReason ?? 'unknown_model' },
        times,
      );
    }
    const tokens: Array<[string, number | undefined]> = [
      ['input', c.inputTokens],
      ['output', c.outputTokens],
      ['cache_read', c.cacheReadTokens],
    ];
    for (const [type, n] of tokens) {
      if (n !== undefined) this.add('llmcost.tokens', '{token}', c, { ...a, 'llmcost.token.type': type }, times * n);
    }
    for (const [type, n] of [
      ['input', c.inputTokens],
      ['output', c.outputTokens],
    ] as const) {
      this.observe(
        'gen_ai.client.token.usage',
        '{token}',
        TOKEN_BUCKETS,
        c,
        { ...a, 'gen_ai.token.type': type },
        n,
        times,
      );
    }
    if (c.cacheSavingsUsd !== undefined) this.add('llmcost.cache.savings', 'USD', c, a, times * c.cacheSavingsUsd);
  }

  all(): Point[] {
    return [...this.points.values()];
  }
}

/** What a scrape target needs to offer the test: an address to scrape, and a way to make the known calls. */
export interface MetricsSource {
  /** host:port serving /metrics */
  target: string;
  /** Shown in test names and logs: say plainly what produces the metrics. */
  description: string;
  /** Creates every series of these calls at 0, before any traffic. */
  declare(calls: KnownCall[]): Promise<void>;
  record(calls: KnownCall[]): Promise<void>;
  close(): Promise<void>;
}
