#!/usr/bin/env node
// Writes every copy of the telemetry contract (telemetry.yaml) where its readers need it:
//   node packages/contract/generate.mjs           write them
//   node packages/contract/generate.mjs --check   exit 1 naming each file that differs (CI)
// Whole generated files carry a "Generated from" header; in hand-written files the generated part sits
// between "generated from packages/contract/telemetry.yaml" and "end generated" markers. The renderers are
// in render/, one per kind of reader.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { signalToMetrics } from './render/collector-config.mjs';
import { COMMAND, SOURCE } from './render/common.mjs';
import {
  attributesTable,
  dialectsTable,
  labelsTable,
  metricsTable,
  readmeMetricsTable,
  reasonsTable,
} from './render/docs.mjs';
import { go, modelCallsJson } from './render/go.mjs';
import { otlpNames } from './render/otlp.mjs';
import { prometheusNames } from './render/prometheus.mjs';
import { typescript } from './render/typescript.mjs';
import { validateContract } from './validate.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

const contract = parse(readFileSync(join(here, 'telemetry.yaml'), 'utf8'));
validateContract(contract);

/** Replaces the part between the markers of `name` in a hand-written file. */
function spliceMarked(text, file, name, body, comment) {
  const [open, close] = comment;
  const begin = `${open} generated from ${SOURCE} (${name}) by ${COMMAND}; do not edit${close}`;
  const end = `${open} end generated (${name})${close}`;
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  if (i < 0 || j < i)
    throw new Error(`${file}: the markers of "${name}" are missing: put\n${begin}\n${end}\nwhere it goes`);
  return `${text.slice(0, i + begin.length)}\n${body}\n${text.slice(j)}`;
}

const MD = ['<!--', ' -->'];
const YAML = ['#', ''];

const outputs = [
  { file: 'packages/node/src/core/contract.generated.ts', whole: typescript },
  { file: 'packages/collector-processor/contract_generated.go', whole: go },
  { file: 'packages/collector-processor/internal/modelcalls/model-calls.json', whole: modelCallsJson },
  { file: 'packages/contract/generated/prometheus.ts', whole: prometheusNames },
  { file: 'packages/contract/generated/otlp.ts', whole: otlpNames },
  { file: 'collector-config/config.traces-only.yaml', parts: [['signal_to_metrics', signalToMetrics, YAML]] },
  {
    file: 'docs/telemetry.md',
    parts: [
      ['attributes', attributesTable, MD],
      ['labels', labelsTable, MD],
      ['metrics', metricsTable, MD],
      ['reasons', reasonsTable, MD],
      ['dialects', dialectsTable, MD],
    ],
  },
  { file: 'README.md', parts: [['metrics', readmeMetricsTable, MD]] },
  { file: 'packages/collector-processor/README.md', parts: [['dialects', dialectsTable, MD]] },
];

const check = process.argv.includes('--check');
const drifted = [];
for (const o of outputs) {
  const path = join(root, o.file);
  const current = (() => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  })();
  let next;
  if (o.whole) next = o.whole(contract);
  else {
    if (current === undefined) throw new Error(`${o.file} does not exist`);
    next = current;
    for (const [name, fn, comment] of o.parts) next = spliceMarked(next, o.file, name, fn(contract), comment);
  }
  if (next === current) continue;
  if (check) drifted.push(o.file);
  else {
    writeFileSync(path, next);
    console.log(`wrote ${relative(root, path)}`);
  }
}
if (check) {
  if (drifted.length) {
    console.error(
      `These files differ from ${SOURCE}:\n  ${drifted.join('\n  ')}\n` +
        `Edit the contract (not the copies), run \`${COMMAND}\` and commit the result.`,
    );
    process.exit(1);
  }
  console.log(`every generated file matches ${SOURCE} (${outputs.length} files)`);
}
