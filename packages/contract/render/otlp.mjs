// OTLP attribute and metric names (generated/otlp.ts) for the parts that send telemetry without the Node
// package: `llm-cost reconcile --otlp`. The Node package has its own generated copy (contract.generated.ts).
import { COMMAND, SOURCE, sq } from './common.mjs';

export function otlpNames(contract) {
  const lines = [
    `// Generated from ${SOURCE} by ${COMMAND}. Do not edit: edit the contract and run the generator.`,
    '// OTLP names of the span and metric attributes and of the metrics.',
    '',
    'export const ATTR = {',
    ...contract.attributes.map((a) => `  ${a.id}: ${sq(a.name)},`),
    '} as const;',
    '',
    'export const METRIC = {',
    ...contract.metrics.map((m) => `  ${m.id}: ${sq(m.name)},`),
    '} as const;',
    '',
    '/** Unit of each metric, by METRIC id. */',
    'export const UNIT = {',
    ...contract.metrics.map((m) => `  ${m.id}: ${sq(m.unit)},`),
    '} as const;',
    '',
  ];
  return lines.join('\n');
}
