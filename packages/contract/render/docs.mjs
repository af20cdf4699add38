// The tables of docs/telemetry.md, README.md and the collector processor's README.
import { bound, indexes } from './common.mjs';

const cell = (s) => String(s).replace(/\|/g, '\\|');

export function attributesTable(contract) {
  const rows = ['| attribute | type | set by | meaning |', '|---|---|---|---|'];
  for (const a of contract.attributes) {
    const name = a.prefix ? `${a.name}<key>` : a.name;
    const semconv = a.semconv ? ` (semconv, ${a.semconv})` : '';
    rows.push(`| \`${name}\` | ${a.type} | ${cell(a.set_by ?? '')} | ${cell(a.doc)}${semconv} |`);
  }
  return rows.join('\n');
}

function metricName(m) {
  return m.instrument === 'histogram' ? `${m.prometheus}/_sum/_count` : m.prometheus;
}

export function metricsTable(contract) {
  const { labelById } = indexes(contract);
  const rows = [
    '| OTLP name | instrument | unit | Prometheus name | extra labels | meaning |',
    '|---|---|---|---|---|---|',
  ];
  for (const m of contract.metrics) {
    const instrument =
      m.instrument === 'histogram'
        ? `histogram${m.semconv ? ' (semconv)' : ''}, buckets ${m.buckets.map(bound).join(',')}`
        : `${m.instrument} (${m.value_type})`;
    const extra = [
      ...(m.labels ?? []).map((id) => {
        const l = labelById.get(id);
        const fixed = id === 'tokenType' ? ` = ${m.token_types.map((t) => `\`${t}\``).join(', ')}` : '';
        return `\`${l.prometheus}\`${fixed}`;
      }),
      ...(m.labels_doc ? [`(${m.labels_doc})`] : []),
    ].join(' ');
    rows.push(
      `| \`${m.name}\` | ${instrument} | \`${m.unit}\` | \`${metricName(m)}\` | ${cell(extra)} | ${cell(m.description)} |`,
    );
  }
  return rows.join('\n');
}

export function labelsTable(contract) {
  const rows = ['| label | OTLP attribute | Prometheus label | on |', '|---|---|---|---|'];
  for (const l of contract.labels) {
    const on =
      contract.common_labels.includes(l.id) || contract.resource_labels.includes(l.id)
        ? 'every LLM metric'
        : contract.opt_in_labels.includes(l.id)
          ? 'opt-in'
          : contract.metrics
              .filter((m) => (m.labels ?? []).includes(l.id))
              .map((m) => `\`${m.name}\``)
              .join(', ');
    rows.push(`| ${l.id} | \`${l.attribute}\` | \`${l.prometheus}\` | ${on}${l.doc ? `; ${cell(l.doc)}` : ''} |`);
  }
  return rows.join('\n');
}

export function reasonsTable(contract) {
  const rows = ['| `llmcost.unpriced.reason` | given by | meaning |', '|---|---|---|'];
  for (const r of contract.unpriced_reasons) rows.push(`| \`${r.name}\` | ${r.given_by} | ${cell(r.doc)} |`);
  rows.push('', '| `llmcost.cost.source` | meaning |', '|---|---|');
  for (const s of contract.cost_sources) rows.push(`| \`${s.name}\` | ${cell(s.doc)} |`);
  return rows.join('\n');
}

export function dialectsTable(contract) {
  const d = contract.dialects;
  const names = (list) => list.map((n) => `\`${n}\``).join(', ');
  const rows = ['| fact | names read, first present wins |', '|---|---|'];
  rows.push(`| provider | ${names(d.provider)}; Vercel \`${d.vercel_provider}\` |`);
  rows.push(`| request model | ${names(d.request_model)} |`);
  rows.push(`| response model | ${names(d.response_model)} |`);
  rows.push(`| input / output totals | ${d.totals.map((t) => `\`${t.input}\` / \`${t.output}\``).join('; ')} |`);
  for (const [key, label] of [
    ['cache_read', 'cache reads'],
    ['cache_write', 'cache writes'],
    ['cache_write_1h', 'cache writes with 1h TTL (part of cache writes)'],
    ['reasoning', 'reasoning'],
    ['audio_input', 'audio input (part of input)'],
    ['image_input', 'image input (part of input)'],
    ['video_input', 'video input (part of input)'],
    ['cache_read_audio', 'cached audio input (part of cache reads and audio input)'],
    ['audio_output', 'audio output (part of output)'],
    ['image_output', 'image output (part of output)'],
    ['cost', 'a cost (then a span that is no model call is marked so)'],
  ]) {
    rows.push(`| ${label} | ${names(d[key])} |`);
    if (key === 'cache_write_1h')
      rows.push(`| cache writes, when only the 5m part is given (5m + 1h) | \`${d.cache_write_5m}\` |`);
  }
  return rows.join('\n');
}

export function readmeMetricsTable(contract) {
  const { labelById } = indexes(contract);
  const rows = ['| OTLP metric | Prometheus | labels |', '|---|---|---|'];
  for (const m of contract.metrics) {
    const extra = (m.labels ?? []).map((id) => `\`${labelById.get(id).prometheus}\``);
    const labels = [...(m.only_labels ? [] : ['labels below']), ...extra].join(', ');
    const note = m.labels_doc ? ` (${m.labels_doc})` : '';
    rows.push(`| \`${m.name}\` (${m.instrument}, \`${m.unit}\`) | \`${m.prometheus}\` | ${cell(labels + note)} |`);
  }
  const common = [...contract.resource_labels, ...contract.common_labels].map(
    (id) => `\`${labelById.get(id).prometheus}\``,
  );
  rows.push('', `Labels: ${common.join(', ')}.`);
  return rows.join('\n');
}
