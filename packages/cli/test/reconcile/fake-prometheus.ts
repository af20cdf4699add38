import type { Reply, Seen } from './server.js';

export interface Series {
  metric: Record<string, string>;
  /** [unix seconds, value] in time order. */
  samples: Array<[number, number]>;
}

/**
 * Answers /api/v1/query for `last_over_time(NAME{label="value"}[Ns])` at `time` from a table of raw samples,
 * the way Prometheus does: each matching series' last sample in (time - N, time], without the metric name.
 */
export function fakePrometheus(series: Series[]) {
  return (req: Seen): Reply | undefined => {
    if (req.path !== '/api/v1/query') return undefined;
    const q = req.query.get('query') ?? '';
    const m = /^last_over_time\(([a-zA-Z_:][a-zA-Z0-9_:]*)\{([a-z_]+)="([^"]*)"\}\[(\d+)s\]\)$/.exec(q);
    if (!m) return { status: 400, body: { status: 'error', errorType: 'bad_data', error: `unexpected query ${q}` } };
    const [, name, label, value, window] = m;
    const time = Number(req.query.get('time'));
    const result = [];
    for (const s of series) {
      if (s.metric.__name__ !== name || s.metric[label!] !== value) continue;
      const inWindow = s.samples.filter(([t]) => t > time - Number(window) && t <= time);
      const last = inWindow[inWindow.length - 1];
      if (!last) continue;
      const { __name__: _, ...labels } = s.metric;
      result.push({ metric: labels, value: [time, String(last[1])] });
    }
    return { body: { status: 'success', data: { resultType: 'vector', result } } };
  };
}
