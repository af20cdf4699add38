// Prometheus metric and label names (generated/prometheus.ts: the dashboards and the CLI import them).
import { COMMAND, camel, pascal, SOURCE, sq } from './common.mjs';

export function prometheusNames(contract) {
  const lines = [
    `// Generated from ${SOURCE} by ${COMMAND}. Do not edit: edit the contract and run the generator.`,
    "// Prometheus names of the project's metrics and labels, as the collector's prometheus exporter serves them.",
    '',
    'export const metrics = {',
  ];
  for (const m of contract.metrics) {
    const key = camel(m.id);
    if (m.instrument === 'histogram') {
      const stem = m.prometheus.replace(/_bucket$/, '');
      for (const suffix of ['bucket', 'sum', 'count']) {
        lines.push(`  ${key}${pascal(suffix)}: ${sq(`${stem}_${suffix}`)},`);
      }
    } else lines.push(`  ${key}: ${sq(m.prometheus)},`);
  }
  lines.push('} as const;', '', '/** Prometheus labels of the LLM metrics. */', 'export const labels = {');
  for (const l of contract.labels) lines.push(`  ${l.id}: ${sq(l.prometheus)},`);
  lines.push('} as const;', '');
  return lines.join('\n');
}
