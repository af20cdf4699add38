// The demo: one command shows the whole product. Starts the LLM simulator, the collector and Prometheus on
// loopback, runs the sample Express app with init(), drives traffic for several customers, features and
// teams, then prints where the money went, read back from Prometheus.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { formatTable, queryPrometheus, runReconcile, spend } from '@otel-llm-cost/cli';
import { committedRuleFiles, rulesDir } from '@otel-llm-cost/grafana-dashboards/rule-files';
import { REPO_ROOT, readSpans, waitFor } from '@otel-llm-cost/testkit';
import { type DemoStack, startDemoStack } from './demo-stack.ts';
import { drive, visits } from './traffic.ts';
import { ROUTE_MODELS } from './usage.ts';

const step = (text: string) => console.log(`\x1b[1m==>\x1b[0m ${text}`);
let stack: DemoStack | undefined;
async function stopAll(code: number): Promise<never> {
  await stack?.stop();
  process.exit(code);
}
process.once('SIGINT', () => {
  console.log('\nstopping everything the demo started...');
  void stopAll(130);
});

async function main(): Promise<void> {
  const workdir = join(REPO_ROOT, '.demo', new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(workdir, { recursive: true });
  if (process.env.OPENAI_API_KEY && process.env.ANTHROPIC_API_KEY)
    step('API keys are set: the app calls the real OpenAI and Anthropic APIs');
  stack = await startDemoStack({ workdir, ruleFiles: committedRuleFiles(), log: step });

  const list = visits(6);
  step(`driving ${list.length} requests from 3 customers across 5 features`);
  const { ok, failed } = await drive(stack.appUrl, list);
  console.log(
    `    ${ok} answered, ${failed} failed (the provider rejected those calls on purpose: failed calls show too)`,
  );

  step('waiting for the cost metrics to reach Prometheus');
  // One per LLM call the routes make (the simulator's request log would miss calls to the real providers).
  const calls = list.reduce((n, v) => n + ROUTE_MODELS[v.path]!.length, 0);
  await stack.waitForCalls(calls);

  console.log('\nWhere the money went (llmcost_cost_USD_total, since the app started):');
  for (const by of ['feature', 'customer', 'team', 'model'] as const) {
    // By customer also what they were billed under the app's markup, and the margin (llm-cost spend --billed).
    const opts = { billed: by === 'customer' };
    console.log(`\n${formatTable(by, await spend(stack.prometheus.url, { by, range: 'all' }, opts), opts)}`);
  }
  const prom = stack.prometheus.url;
  const unpriced = await queryPrometheus(
    prom,
    'sum by (gen_ai_request_model, llmcost_unpriced_reason) (llmcost_unpriced_requests_total)',
  );
  console.log('\nCalls with no known price (never counted as $0; add them to a price overrides file):');
  for (const s of unpriced) {
    console.log(`  ${s.metric.gen_ai_request_model}: ${s.value[1]} calls (${s.metric.llmcost_unpriced_reason})`);
  }
  console.log('\nWhich prices priced the calls (llmcost.price_data.version and llmcost.price.variant on the spans):');
  // The collector's file exporter writes spans in batches: wait until every call's span is there.
  const llmSpans = () => {
    try {
      return readSpans(stack!.collector.tracesFile).filter((s) => s.attrs['gen_ai.request.model'] !== undefined);
    } catch {
      return [];
    }
  };
  await waitFor(
    "the spans of every call in the collector's file",
    async () => (llmSpans().length >= calls ? true : undefined),
    20_000,
  ).catch(() => undefined);
  const priced = new Map<string, number>();
  for (const s of llmSpans()) {
    if (s.attrs['gen_ai.usage.cost'] === undefined) continue;
    const variant = s.attrs['llmcost.price.variant'];
    const key = `${s.attrs['gen_ai.request.model']}: ${s.attrs['llmcost.price_data.version']}${variant ? `, ${variant}` : ''}`;
    priced.set(key, (priced.get(key) ?? 0) + 1);
  }
  for (const [key, n] of [...priced].sort()) console.log(`  ${key} (${n} calls)`);
  console.log(
    "  (genai-prices@X: the bundled release; live@<time>: genai-prices' published document, fetched then. Offline,\n" +
      '   the app warns once in its log that the live document could not be fetched, and the bundled data prices.)',
  );
  if (!process.env.OPENAI_API_KEY) {
    // The simulator is also the providers' billing side: it bills what it served at its own price list.
    console.log("\nReconciliation with the providers' bill (llm-cost reconcile, against the simulator's admin API):");
    const env = { OPENAI_ADMIN_KEY: 'sk-admin-demo', ANTHROPIC_ADMIN_KEY: 'sk-ant-admin01-demo' };
    for (const provider of ['openai', 'anthropic'] as const) {
      console.log('');
      await runReconcile(['--provider', provider, '--prometheus', prom, '--base-url', stack.simulator.url], { env });
    }
  }
  console.log(`
Prometheus UI:      ${prom}/graph?g0.expr=${encodeURIComponent('sum by (app_feature) (llmcost_cost_USD_total)')}
Alerts and rules:   ${prom}/alerts   (from ${rulesDir})
Grafana dashboards: import ${join(REPO_ROOT, 'grafana-dashboards', 'generated')}/*.json, data source: this Prometheus
Same tables later:  npx llm-cost spend --by feature --range all --prometheus ${prom}
Reconcile later:    OPENAI_ADMIN_KEY=sk-admin-demo npx llm-cost reconcile --provider openai --prometheus ${prom} --base-url ${stack.simulator.url}
Spans (priced):     ${stack.collector.tracesFile}
Logs:               ${workdir}`);

  if (process.stdin.isTTY && !process.env.CI) {
    console.log('\nEverything keeps running so you can explore; press Ctrl-C to stop.');
    await new Promise(() => undefined);
  }
  await stopAll(0);
}

main().catch(async (err: Error) => {
  console.error(`\ndemo failed: ${err.message}`);
  await stopAll(1);
});
