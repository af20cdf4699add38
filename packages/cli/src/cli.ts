#!/usr/bin/env node
// llm-cost spend --by feature [--by team ...] [--range 24h|all] [--where customer=acme] [--billed] [--prometheus URL] [--json]
// llm-cost reconcile --provider openai|anthropic --from YYYY-MM-DD --to YYYY-MM-DD [--prometheus URL] [--tolerance 1] [--json]
import { parseArgs } from 'node:util';
import { RECONCILE_USAGE, runReconcile } from './reconcile/command.js';
import { billedPromQL, DIMENSIONS, type Dimension, formatTable, marginPromQL, spend, spendPromQL } from './spend.js';

const USAGE = `usage: llm-cost spend [--by DIM ...] [--range 24h|7d|all] [--where DIM=VALUE ...] [--billed] [--prometheus URL] [--json]
  DIM: ${Object.keys(DIMENSIONS).join(', ')}
  --billed adds what the calls were billed under your markup (pricing.markup, docs/markup.md) and the
           margin: billed minus the cost of the billed calls ('-' where no markup rule applied)
  --prometheus defaults to $PROMETHEUS_URL or http://127.0.0.1:9090

${RECONCILE_USAGE}`;

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'reconcile') return runReconcile(argv.slice(1));
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      by: { type: 'string', multiple: true },
      range: { type: 'string', default: '24h' },
      where: { type: 'string', multiple: true },
      prometheus: { type: 'string', default: process.env.PROMETHEUS_URL ?? 'http://127.0.0.1:9090' },
      json: { type: 'boolean', default: false },
      billed: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals[0] !== 'spend') {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const where: Record<string, string> = {};
  for (const w of values.where ?? []) {
    const i = w.indexOf('=');
    if (i < 1) throw new Error(`--where ${w}: expected DIM=VALUE, e.g. --where customer=acme`);
    where[w.slice(0, i)] = w.slice(i + 1);
  }
  const dims = (values.by ?? ['feature', 'customer', 'team', 'model']) as Dimension[];
  const out: Record<string, unknown> = {};
  for (const by of dims) {
    const query = { by, range: values.range!, where };
    const opts = { billed: values.billed };
    const rows = await spend(values.prometheus!, query, opts);
    const billed = values.billed ? { billedPromql: billedPromQL(query), marginPromql: marginPromQL(query) } : {};
    if (values.json) out[by] = { promql: spendPromQL(query), ...billed, rows };
    else console.log(`\n${formatTable(by, rows, opts)}`);
  }
  if (values.json) console.log(JSON.stringify(out, null, 2));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`llm-cost: ${err.message}`);
    process.exit(1);
  },
);
