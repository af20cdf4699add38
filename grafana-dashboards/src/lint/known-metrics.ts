// The metric names a dashboard may query: the "Prometheus name" column of the metrics table in
// docs/telemetry.md (a histogram's `_bucket` implies its `_sum` and `_count`) and the recording rules this
// package generates.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export function telemetryMetricNames(telemetryMd: string): Set<string> {
  const names = new Set<string>();
  const metricsSection = telemetryMd.split(/^## Metrics/m)[1]?.split(/^## /m)[0] ?? '';
  let column = -1;
  for (const line of metricsSection.split('\n')) {
    if (!line.startsWith('|')) continue;
    const cells = line.split('|').map((c) => c.trim());
    if (column < 0) {
      column = cells.indexOf('Prometheus name');
      continue;
    }
    const m = /^`([A-Za-z0-9_]+(?:\/_[a-z]+)*)`$/.exec(cells[column] ?? '');
    if (!m) continue;
    const [first, ...suffixes] = m[1]!.split('/');
    names.add(first!);
    const stem = first!.replace(/_(bucket|sum|count|total)$/, '');
    for (const s of suffixes) names.add(stem + s);
    if (first!.endsWith('_bucket')) {
      names.add(`${stem}_sum`);
      names.add(`${stem}_count`);
    }
  }
  return names;
}

export function recordedNames(ruleFileTexts: string[]): Set<string> {
  const names = new Set<string>();
  for (const text of ruleFileTexts) {
    const doc = parse(text) as { groups?: Array<{ rules?: Array<{ record?: string }> }> };
    for (const g of doc.groups ?? []) for (const r of g.rules ?? []) if (r.record) names.add(r.record);
  }
  return names;
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}
