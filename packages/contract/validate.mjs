// Checks the contract's shape before anything is generated from it, so a mistake names its place.

const ROLES = ['call', 'summary', 'framework', 'other'];
const CONDITION_KINDS = ['in', 'suffix', 'present', 'scope_prefix', 'name_in'];

function fail(message) {
  throw new Error(`packages/contract/telemetry.yaml: ${message}`);
}

function unique(list, what, key) {
  const seen = new Set();
  for (const item of list) {
    const k = item[key];
    if (typeof k !== 'string' || k === '') fail(`${what}: an entry has no ${key}`);
    if (seen.has(k)) fail(`${what}: ${key} ${k} appears twice`);
    seen.add(k);
  }
  return seen;
}

/** Keys an entry may have: an unknown one is a typo, or a YAML flow mapping cut at an unquoted comma. */
const KEYS = {
  attributes: ['id', 'name', 'type', 'semconv', 'set_by', 'doc', 'prefix'],
  labels: ['id', 'attribute', 'prometheus', 'doc'],
  metrics: [
    'id',
    'name',
    'semconv',
    'instrument',
    'value_type',
    'unit',
    'description',
    'buckets',
    'prometheus',
    'labels',
    'labels_doc',
    'token_types',
    'only_labels',
    'from_spans',
  ],
  unpriced_reasons: ['name', 'given_by', 'doc'],
  cost_sources: ['name', 'doc'],
};

export function validateContract(c) {
  if (c?.version !== 1) fail(`version ${c?.version}, want 1`);
  for (const [section, keys] of Object.entries(KEYS)) {
    for (const entry of c[section] ?? fail(`${section} is missing`)) {
      for (const key of Object.keys(entry)) {
        if (!keys.includes(key)) {
          fail(`${section} ${entry.id ?? entry.name}: unknown key "${key}" (quote a value that has a comma)`);
        }
      }
    }
  }
  unique(c.attributes, 'attributes', 'id');
  unique(c.attributes, 'attributes', 'name');
  for (const a of c.attributes) {
    if (!a.doc) fail(`attribute ${a.id} has no doc`);
    if (a.semconv && !['stable', 'incubating'].includes(a.semconv)) fail(`attribute ${a.id}: semconv ${a.semconv}`);
  }
  const labels = unique(c.labels, 'labels', 'id');
  for (const id of [...c.resource_labels, ...c.common_labels, ...c.opt_in_labels])
    if (!labels.has(id)) fail(`unknown label ${id}`);
  if (c.resource_labels[0] !== 'service') fail('resource_labels must start with service (the `job` label)');
  unique(c.metrics, 'metrics', 'id');
  for (const m of c.metrics) {
    if (!['counter', 'gauge', 'histogram'].includes(m.instrument)) fail(`metric ${m.name}: instrument ${m.instrument}`);
    if (m.instrument === 'histogram' && !(m.buckets?.length && m.prometheus.endsWith('_bucket'))) {
      fail(`histogram ${m.name} needs buckets and a Prometheus _bucket name`);
    }
    for (const id of m.labels ?? []) if (!labels.has(id)) fail(`metric ${m.name}: unknown label ${id}`);
    for (const s of m.from_spans ?? []) {
      if (!s.when || !(s.sum || s.histogram)) fail(`metric ${m.name}: from_spans needs when and sum or histogram`);
      if (s.histogram && m.instrument !== 'histogram') fail(`metric ${m.name}: histogram value on a counter`);
      for (const id of Object.keys(s.label ?? {})) {
        if (!(m.labels ?? []).includes(id)) fail(`metric ${m.name}: fixed label ${id} is not one of its labels`);
      }
    }
  }
  unique(c.unpriced_reasons, 'unpriced_reasons', 'name');
  unique(c.cost_sources, 'cost_sources', 'name');
  for (const role of Object.keys(c.model_calls.roles)) if (!ROLES.includes(role)) fail(`unknown role ${role}`);
  c.model_calls.rules.forEach((rule, i) => {
    const at = `model_calls rule ${i} (${rule.dialect})`;
    if (!(rule.role in c.model_calls.roles)) fail(`${at}: unknown role ${rule.role}`);
    for (const cond of rule.when) {
      const kinds = CONDITION_KINDS.filter((k) => cond[k] !== undefined);
      if (kinds.length !== 1) fail(`${at}: a condition needs exactly one of ${CONDITION_KINDS.join(', ')}`);
      const needsAttribute = ['in', 'suffix', 'present'].includes(kinds[0]);
      if (needsAttribute !== (typeof cond.attribute === 'string')) fail(`${at}: ${kinds[0]} and attribute go together`);
    }
  });
}
