// Small, deliberately conservative PromQL text helpers for the dashboard linter (not a parser: they only need to
// find metric names, variables and range windows in the queries this package writes).

const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'and',
  'or',
  'unless',
  'inf',
  'nan',
  // aggregation operators, which may be followed by a grouping clause instead of "("
  'sum',
  'min',
  'max',
  'avg',
  'count',
  'group',
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'quantile',
  'count_values',
]);

/** Removes string literals, label matcher blocks and grouping label lists, which hold label names, not metrics. */
function stripNonMetrics(expr: string): string {
  return expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '$1')
    .replace(/\[[^\]]*\]/g, '');
}

/** Metric names referenced by a query: identifiers that are not functions, keywords, numbers or variables. */
export function metricNames(expr: string): string[] {
  const text = stripNonMetrics(expr);
  const out = new Set<string>();
  for (const match of text.matchAll(/(^|[^$\w:])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)) {
    const name = match[2]!;
    if (match[3] !== undefined) continue; // a function call
    if (KEYWORDS.has(name.toLowerCase())) continue;
    out.add(name);
  }
  return [...out];
}

/** Grafana variables referenced as $name, ${name} or ${name:format} or [[name]]. */
export function variableRefs(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/\$\{(\w+)(?::[^}]*)?\}|\$(\w+)|\[\[(\w+)\]\]/g)) out.add((m[1] ?? m[2] ?? m[3])!);
  return [...out];
}

/** Range windows of range-vector functions, e.g. rate(x[5m]) -> [{fn: 'rate', window: '5m'}]. */
export function rangeWindows(expr: string): Array<{ fn: string; window: string }> {
  const out: Array<{ fn: string; window: string }> = [];
  for (const m of expr.matchAll(/\b(\w+)\(/g)) {
    const fn = m[1]!;
    let depth = 0;
    for (let i = m.index + m[0].length - 1; i < expr.length; i++) {
      const c = expr[i];
      if (c === '(') depth++;
      else if (c === ')') {
        depth--;
        if (depth === 0) break;
      } else if (c === '[' && depth === 1) {
        const end = expr.indexOf(']', i);
        out.push({ fn, window: expr.slice(i + 1, end) });
        break;
      }
    }
  }
  return out;
}
