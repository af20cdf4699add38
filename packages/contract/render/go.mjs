// The collector processor's copies: contract_generated.go and internal/modelcalls/model-calls.json.
import { spawnSync } from 'node:child_process';
import { COMMAND, pascal, q, SOURCE } from './common.mjs';

function gofmt(source, file) {
  const r = spawnSync('gofmt', [], { input: source, encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`gofmt failed on ${file}: ${r.error?.message ?? r.stderr}. Install Go (gofmt on PATH).`);
  }
  return r.stdout;
}

export function go(contract) {
  const d = contract.dialects;
  const strings = (list) => `[]string{${list.map(q).join(', ')}}`;
  const lines = [
    `// Code generated from ${SOURCE} by ${COMMAND}; DO NOT EDIT.`,
    '',
    'package llmcostprocessor // import "github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor"',
    '',
    '// Span attribute names (docs/telemetry.md).',
    'const (',
  ];
  for (const a of contract.attributes) lines.push(`\tattr${pascal(a.id)} = ${q(a.name)}`);
  lines.push(')', '');
  lines.push('// Every unpriced reason (llmcost.unpriced.reason) and cost source (llmcost.cost.source).');
  lines.push('var (');
  lines.push(`\tunpricedReasons = ${strings(contract.unpriced_reasons.map((r) => r.name))}`);
  lines.push(`\tcostSources = ${strings(contract.cost_sources.map((s) => s.name))}`);
  lines.push(')', '');
  lines.push('// Where other instrumentations put the same facts; in every list the first name present wins.');
  lines.push('var (');
  lines.push(`\tproviderAttrs = ${strings(d.provider)}`);
  lines.push(`\tvercelProviderAttr = ${q(d.vercel_provider)}`);
  lines.push(`\trequestModelAttrs = ${strings(d.request_model)}`);
  lines.push(`\tresponseModelAttrs = ${strings(d.response_model)}`);
  lines.push('\t// (input, output) total pairs, one per instrumentation family: the first pair present wins.');
  lines.push('\ttotalAttrs = []struct{ source, input, output string }{');
  for (const t of d.totals) lines.push(`\t\t{${q(t.family)}, ${q(t.input)}, ${q(t.output)}},`);
  lines.push('\t}');
  const lists = [
    ['cacheReadAttrs', d.cache_read],
    ['cacheWriteAttrs', d.cache_write],
    ['cacheWrite1hAttrs', d.cache_write_1h],
    ['reasoningAttrs', d.reasoning],
    ['inputAudioAttrs', d.audio_input],
    ['inputImageAttrs', d.image_input],
    ['inputVideoAttrs', d.video_input],
    ['cacheAudioAttrs', d.cache_read_audio],
    ['outputAudioAttrs', d.audio_output],
    ['outputImageAttrs', d.image_output],
    ['costAttrs', d.cost],
  ];
  for (const [name, list] of lists) lines.push(`\t${name} = ${strings(list)}`);
  lines.push(`\tcacheWrite5mAttr = ${q(d.cache_write_5m)}`);
  lines.push(`\tsemconvCostAmountAttr = ${q(d.reported_cost_amount)}`);
  lines.push(`\tsemconvCostCurrencyAttr = ${q(d.reported_cost_currency)}`);
  lines.push(`\tsemconvCostSourceAttr = ${q(d.reported_cost_source)}`);
  lines.push(`\topenInferenceCostAttr = ${q(d.reported_cost_total)}`);
  lines.push('\t// Vercel AI SDK provider ids (ai.model.provider, or its prefix before a dot) -> semconv names.');
  lines.push('\tvercelProviders = map[string]string{');
  for (const [k, v] of Object.entries(d.vercel_providers)) lines.push(`\t\t${q(k)}: ${q(v)},`);
  lines.push('\t}');
  lines.push('\t// Older or vendor-specific provider names -> semconv names.');
  lines.push('\tproviderNames = map[string]string{');
  for (const [k, v] of Object.entries(d.provider_names)) lines.push(`\t\t${q(k)}: ${q(v)},`);
  lines.push('\t}');
  lines.push('\t// What normalizeProvider gives for names real instrumentations write (tests check them).');
  lines.push('\tproviderExamples = map[string]string{');
  for (const [k, v] of Object.entries(d.provider_examples)) lines.push(`\t\t${q(k)}: ${q(v)},`);
  lines.push('\t}');
  lines.push(`\t// Provider names whose dots are part of the name (aws.bedrock, gcp.gemini, azure.ai.openai).`);
  lines.push(`\tdottedProviderPrefixes = ${strings(d.dotted_provider_prefixes)}`);
  lines.push(')', '');
  return gofmt(lines.join('\n'), 'contract_generated.go');
}

/** The model-call table the Go processor embeds (go:embed cannot reach outside its module). */
export function modelCallsJson(contract) {
  const doc = {
    generated_from: `${SOURCE} (model_calls) by ${COMMAND}; do not edit`,
    version: 1,
    roles: contract.model_calls.roles,
    rules: contract.model_calls.rules,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
