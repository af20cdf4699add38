/** The reconciliation report as a table for people and as JSON for machines. */
import { CAUSES, type Report, type Row, type Tokens } from './types.js';

const usd = (n: number) => (Math.abs(n) < 5e-7 ? '0.000000' : n.toFixed(6));
const signedUsd = (n: number) => (Math.abs(n) < 5e-7 ? '0.000000' : `${n > 0 ? '+' : ''}${n.toFixed(6)}`);
const percent = (p: number | null, ours: number) =>
  p === null
    ? ours === 0
      ? '0.00%'
      : 'n/a'
    : `${p > 0.005 ? '+' : ''}${Math.abs(p) < 0.005 ? '0.00' : p.toFixed(2)}%`;
const tokens = (t: Tokens) => `${t.input}/${t.output}`;

function flags(r: Row): string {
  const f = [...(r.batch ? ['batch'] : []), ...r.tiers];
  return f.length ? ` [${f.join(',')}]` : '';
}

export function formatReport(report: Report): string {
  const columns = [
    'day',
    'model',
    'billed USD',
    'ours USD',
    'diff USD',
    'diff %',
    'tokens billed in/out',
    'tokens ours in/out',
    'unpriced',
    'cause',
  ];
  const right = new Set([2, 3, 4, 5, 6, 7, 8]);
  const lines: string[][] = [];
  for (const day of report.days) {
    for (const r of report.rows.filter((x) => x.day === day.day)) {
      lines.push([
        r.day,
        `${r.model}${r.matched ? '' : ' (unmatched)'}${flags(r)}`,
        usd(r.billedUsd),
        usd(r.oursUsd),
        signedUsd(r.diffUsd),
        percent(r.diffPct, r.oursUsd),
        tokens(r.billedTokens),
        tokens(r.oursTokens),
        String(r.unpriced),
        r.cause ?? (r.gap ? '?' : ''),
      ]);
    }
    lines.push([
      day.day,
      'day total',
      usd(day.billedUsd),
      usd(day.oursUsd),
      signedUsd(day.diffUsd),
      percent(day.diffPct, day.oursUsd),
      '',
      '',
      '',
      day.withinTolerance ? 'ok' : `DRIFT > ${report.tolerancePct}%`,
    ]);
  }
  const t = report.totals;
  lines.push([
    'total',
    `${report.from}..${report.to}`,
    usd(t.billedUsd),
    usd(t.oursUsd),
    signedUsd(t.diffUsd),
    percent(t.diffPct, t.oursUsd),
    tokens(t.billedTokens),
    tokens(t.oursTokens),
    '',
    '',
  ]);
  const width = columns.map((c, i) => Math.max(c.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => (right.has(i) ? c.padStart(width[i]!) : c.padEnd(width[i]!)))
      .join('  ')
      .trimEnd();
  const out = [
    `llm-cost reconcile: ${report.provider}, ${report.from} to ${report.to} (UTC days), tolerance ${report.tolerancePct}%`,
    '',
    fmt(columns),
    fmt(width.map((w) => '-'.repeat(w))),
    ...lines.map(fmt),
  ];
  if (report.unmatched.length) {
    out.push('', 'billed, matching no model of ours:');
    for (const u of report.unmatched) {
      out.push(
        `  ${u.model}${u.nonModel ? ' (not a model call: kept out of the drift)' : ''}: ${usd(u.billedUsd)} USD on ${u.days.join(', ')}`,
      );
    }
  }
  const causes = Object.keys(report.causes) as (keyof typeof CAUSES)[];
  if (causes.length) {
    out.push('', 'causes:');
    for (const c of causes) out.push(`  ${c} (${report.causes[c]}): ${CAUSES[c]}`);
  }
  if (report.notes.length) {
    out.push('', 'notes:');
    for (const n of report.notes) out.push(`  - ${n}`);
  }
  const drifting = report.days.filter((d) => !d.withinTolerance).map((d) => d.day);
  out.push(
    '',
    drifting.length
      ? `drift above ${report.tolerancePct}% on ${drifting.join(', ')} (exit 1)`
      : `every day within ${report.tolerancePct}% (exit 0)`,
  );
  return out.join('\n');
}

/** The machine-readable report: rows, day totals, totals, cause counts and legend, unmatched billed models. */
export function reportJson(report: Report): string {
  const causes = Object.fromEntries(
    (Object.keys(report.causes) as (keyof typeof CAUSES)[]).map((c) => [
      c,
      { rows: report.causes[c], meaning: CAUSES[c] },
    ]),
  );
  return JSON.stringify({ ...report, causes }, null, 2);
}
