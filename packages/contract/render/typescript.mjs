// The Node package's copy: packages/node/src/core/contract.generated.ts.
import { COMMAND, q, SOURCE } from './common.mjs';

/** The stable semconv constant for an attribute name, as @opentelemetry/semantic-conventions exports it. */
const semconvConst = (name) => `ATTR_${name.toUpperCase().replace(/\./g, '_')}`;

export function typescript(contract) {
  const stable = contract.attributes.filter((a) => a.semconv === 'stable');
  const lines = [
    `// Generated from ${SOURCE} by ${COMMAND}. Do not edit: edit the contract and run the generator.`,
    '',
    `import { ${stable.map((a) => semconvConst(a.name)).join(', ')} } from '@opentelemetry/semantic-conventions';`,
    '',
    '/** Span attribute names (docs/telemetry.md). Stable semconv names come from @opentelemetry/semantic-conventions. */',
    'export const ATTR = {',
  ];
  for (const a of contract.attributes) {
    lines.push(`  /** ${a.doc.replace(/\*\//g, '* /')} */`);
    lines.push(`  ${a.id}: ${a.semconv === 'stable' ? semconvConst(a.name) : q(a.name)},`);
  }
  lines.push('} as const;', '');
  lines.push('/** OTLP metric names. */', 'export const METRIC = {');
  for (const m of contract.metrics) lines.push(`  ${m.id}: ${q(m.name)},`);
  lines.push('} as const;', '');
  lines.push('/** Unit, description and bucket advice of each metric, by METRIC id. */');
  lines.push('export const METRIC_SPECS = {');
  for (const m of contract.metrics) {
    const buckets = m.buckets ? `, buckets: [${m.buckets.join(', ')}]` : '';
    lines.push(`  ${m.id}: { unit: ${q(m.unit)}, description: ${q(m.description)}${buckets} },`);
  }
  lines.push('} as const;', '');
  lines.push(`/** The value a label takes once its cardinality cap is reached. */`);
  lines.push(`export const OVERFLOW_VALUE = ${q(contract.overflow_value)};`, '');
  lines.push(`/** llmcost.tokens' token types (cache_read, cache_creation, reasoning are parts of input, output). */`);
  const tokens = contract.metrics.find((m) => m.id === 'TOKENS');
  lines.push(`export const TOKEN_TYPES = ${q(tokens.token_types)} as const;`, '');
  lines.push('/** Every reason a call can be unpriced (llmcost.unpriced.reason). */');
  lines.push(`export const UNPRICED_REASONS = ${q(contract.unpriced_reasons.map((r) => r.name))} as const;`, '');
  lines.push('/** Every source of a cost (llmcost.cost.source). */');
  lines.push(`export const COST_SOURCES = ${q(contract.cost_sources.map((s) => s.name))} as const;`, '');
  lines.push(
    '/** Where other instrumentations put the same facts; in every list the first name present wins. */',
    `export const DIALECTS = ${JSON.stringify(contract.dialects, null, 2)} as const;`,
    '',
    '/** Which spans are model calls: the first rule whose every condition holds gives the role. */',
    'export const MODEL_CALLS = {',
    `  roles: ${JSON.stringify(contract.model_calls.roles, null, 4).replace(/\n}$/, '\n  }')},`,
    '  rules: [',
    ...contract.model_calls.rules.map((rule) => `    ${JSON.stringify(rule)},`),
    '  ],',
    '} as const;',
    '',
  );
  return lines.join('\n');
}
