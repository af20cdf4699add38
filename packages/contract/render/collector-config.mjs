// The traces-only collector config's signal_to_metrics connector (metrics derived from priced spans).
import { bound, indexes, q } from './common.mjs';

export function signalToMetrics(contract) {
  const { attrById, labelById } = indexes(contract);
  const common = contract.common_labels.map((id) => labelById.get(id).attribute);
  // service.name becomes `job`; service.namespace is kept for the exporter's job name; the rest become labels.
  const [service, ...resourceLabels] = contract.resource_labels.map((id) => labelById.get(id).attribute);
  const resource = [service, 'service.namespace', ...resourceLabels];
  const out = [
    'connectors:',
    '  # Every condition also skips spans that are not model calls (llmcost.model_call = false: outer spans whose',
    '  # usage sums their children) and spans our SDK already metered (llmcost.sdk.metrics = true), so a call is',
    '  # derived once.',
    '  signal_to_metrics:',
    '    error_mode: ignore',
    '    spans:',
  ];
  const guard = (skipInvalid) =>
    [
      `span.attributes[${q(attrById.get('SDK_METRICS').name)}] != true`,
      ...(skipInvalid ? [`span.attributes[${q(attrById.get('UNPRICED_REASON').name)}] != "invalid_usage"`] : []),
      `span.attributes[${q(attrById.get('MODEL_CALL').name)}] != false`,
    ].join(' and ');
  for (const m of contract.metrics) {
    for (const s of m.from_spans ?? []) {
      out.push(`    - name: ${m.name}`);
      out.push(`      description: ${q(m.description)}`);
      out.push(`      unit: ${q(m.unit)}`);
      out.push(`      # service.name -> job; ${resourceLabels.join(', ')} -> labels, by transform/environment.`);
      out.push('      include_resource_attributes:');
      for (const k of resource) out.push(`        - key: ${k}`);
      out.push('      attributes:');
      for (const key of common) out.push(`        - key: ${key}`, '          optional: true');
      for (const id of m.labels ?? []) {
        const key = labelById.get(id).attribute;
        const fixed = s.label?.[id];
        out.push(`        - key: ${key}`, fixed ? `          default_value: ${fixed}` : '          optional: true');
      }
      out.push('      conditions:');
      out.push(`        - ${s.when} and ${guard(s.skip_invalid_usage !== false)}`);
      if (s.sum) out.push('      sum:', `        value: ${s.sum}`, '        monotonic: true');
      else
        out.push(
          '      histogram:',
          `        buckets: [${m.buckets.map(bound).join(', ')}]`,
          `        value: ${s.histogram}`,
        );
    }
  }
  return out.join('\n');
}
