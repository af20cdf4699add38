// Proof of the dashboards against a real Prometheus: Prometheus (Debian's 2.42, started here on a free loopback
// port with its own storage and the generated rule files) scrapes a target that serves the metrics of known LLM
// calls; then every panel query of every dashboard runs through the HTTP API with its variables resolved from
// the data, must return data, and the totals must be the known costs.
//
// Two scrape targets, each a MetricsSource:
// - the stand-in exporter (dashboards.stand-in-exporter.ts): Prometheus text served by the test itself;
// - the real otelcol-llmcost collector (dashboards.collector-source.ts), when collector-config/build.sh has built
//   it: the known calls go in as OTLP/HTTP (posted by the test, standing in for the Node package) and come out of
//   the collector's prometheus exporter.
// For the full pipeline, add a MetricsSource whose record() makes the calls through the Node package against the
// LLM simulator, exporting to the collector; nothing else here changes.
import { type Expectation, type RunReport, runAllPanelQueries } from '@otel-llm-cost/grafana-dashboards/proof';
import { committedRuleFiles } from '@otel-llm-cost/grafana-dashboards/rule-files';
import {
  findPrometheus,
  instantQuery,
  missingToolPolicy,
  type RunningPrometheus,
  startPrometheus,
  waitFor,
} from '@otel-llm-cost/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectorBinary, startCollectorSource } from './dashboards.collector-source.ts';
import type { MetricsSource } from './dashboards.metrics-model.ts';
import { startStandInExporter } from './dashboards.stand-in-exporter.ts';
import { allCalls, batches, type KnownCall, sumBy, totalCost } from './dashboards.traffic.ts';

const policy = missingToolPolicy('prometheus', findPrometheus());
const collector = collectorBinary();
const collectorPolicy = missingToolPolicy('otelcol-llmcost (build it with collector-config/build.sh)', collector);
const ruleFiles = committedRuleFiles();

interface LoadedRule {
  group: string;
  name: string;
  health: string;
  lastError?: string;
  lastEvaluation: string;
}

async function loadedRules(prom: string): Promise<LoadedRule[]> {
  const res = await fetch(`${prom}/api/v1/rules`);
  const body = (await res.json()) as { data: { groups: Array<{ name: string; rules: Omit<LoadedRule, 'group'>[] }> } };
  return body.data.groups.flatMap((g) => g.rules.map((r) => ({ group: g.name, ...r })));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const num = (s: { value?: [number, string] } | undefined) => Number(s?.value?.[1]);

const budgets: Record<string, (c: KnownCall) => boolean> = {
  'search-team-daily': (c) => c.team === 'search',
  'chat-feature-weekly': (c) => c.feature === 'chat',
  'acme-customer-monthly': (c) => c.customer === 'acme',
  'checkout-api-daily': (c) => c.job === 'checkout-api',
  'globex-customer-calendar-day': (c) => c.customer === 'globex',
  // User and attribute budgets read llmcost.budget.spend, which only the SDK's budget enforcer records: none here.
  'free-plan-calendar-month': () => false,
  'user-u42-calendar-week': () => false,
};

function expectations(): Expectation[] {
  const O = 'LLM cost overview';
  const A = 'LLM cost attribution drill-down';
  const B = 'LLM cost budgets';
  const chat = allCalls.filter((c) => c.feature === 'chat');
  const chatCost = chat.reduce((s, c) => s + (c.costUsd ?? 0), 0);
  const spent = Object.fromEntries(
    Object.entries(budgets).map(([name, f]) => [name, allCalls.filter(f).reduce((s, c) => s + (c.costUsd ?? 0), 0)]),
  );
  return [
    { dashboard: O, panel: 'Spend in range', value: totalCost },
    { dashboard: O, panel: 'LLM calls in range', value: allCalls.length },
    {
      dashboard: O,
      panel: 'Unpriced calls in range',
      value: allCalls.filter((c) => c.costUsd === undefined && !c.errorType).length,
    },
    {
      dashboard: O,
      panel: 'Cache savings in range',
      value: allCalls.reduce((s, c) => s + (c.cacheSavingsUsd ?? 0), 0),
    },
    {
      dashboard: O,
      panel: 'Top customers in range',
      byLabel: { label: 'app_customer_id', values: sumBy(allCalls, (c) => c.customer) },
    },
    {
      dashboard: O,
      panel: 'Spend by model in range',
      byLabel: { label: 'gen_ai_request_model', values: sumBy(allCalls, (c) => c.model) },
    },
    {
      dashboard: O,
      panel: 'Spend by version in range',
      byLabel: { label: 'app_version', values: sumBy(allCalls, (c) => c.appVersion) },
    },
    { dashboard: A, panel: 'Spend in range', value: chatCost },
    { dashboard: A, panel: 'Share of total spend', value: chatCost / totalCost },
    {
      dashboard: A,
      panel: 'Most expensive routes in range',
      byLabel: { label: 'llmcost_route', values: sumBy(chat, (c) => c.route) },
    },
    {
      dashboard: A,
      panel: 'Spend by model in range',
      byLabel: { label: 'gen_ai_request_model', values: sumBy(chat, (c) => c.model) },
    },
    // The markup: chat's billed calls are acme's 3 x gpt-4o (0.01625 billed, 0.0125 cost) and globex's 2 x
    // gpt-4o-mini (0.00387 billed, 0.00045 cost); its unpriced calls are billed nothing.
    { dashboard: A, panel: 'Billed in range', value: 3 * 0.01625 + 2 * 0.00387 },
    { dashboard: A, panel: 'Margin in range', value: 3 * (0.01625 - 0.0125) + 2 * (0.00387 - 0.00045) },
    {
      dashboard: A,
      panel: 'Margin by customer in range',
      refId: 'A',
      byLabel: {
        label: 'app_customer_id',
        values: sumBy(
          chat,
          (c) => c.customer,
          (c) => c.billedUsd,
        ),
      },
    },
    {
      dashboard: A,
      panel: 'Margin by customer in range',
      refId: 'B',
      byLabel: { label: 'app_customer_id', values: sumBy(chat, (c) => c.customer) },
    },
    {
      dashboard: A,
      panel: 'Margin by customer in range',
      refId: 'C',
      byLabel: { label: 'app_customer_id', values: { acme: 3 * (0.01625 - 0.0125), globex: 2 * (0.00387 - 0.00045) } },
    },
    {
      dashboard: B,
      panel: 'Budgets in USD',
      refId: 'B',
      byLabel: {
        label: 'budget',
        values: {
          'search-team-daily': 50,
          'chat-feature-weekly': 300,
          'acme-customer-monthly': 1000,
          'checkout-api-daily': 20,
          'globex-customer-calendar-day': 25,
          'free-plan-calendar-month': 100,
          'user-u42-calendar-week': 5,
        },
      },
    },
    // Budget spend comes from a recording rule, evaluated between scrapes: increase() extrapolates the last
    // scrape interval over a data span of ~20 scrapes, so allow 10%.
    {
      dashboard: B,
      panel: 'Budgets in USD',
      refId: 'A',
      byLabel: { label: 'budget', values: spent },
      tolerance: { relative: 0.1 },
    },
  ];
}

function proveDashboards(
  title: string,
  skip: { skip: boolean; reason: string },
  makeSource: () => Promise<MetricsSource>,
): void {
  describe.skipIf(skip.skip)(`${title}${skip.skip ? ` (skipped: ${skip.reason})` : ''}`, () => {
    let exporter: MetricsSource;
    let prom: RunningPrometheus;
    let report: RunReport;
    let filtered: RunReport;
    let start = 0;
    let end = 0;

    beforeAll(async () => {
      exporter = await makeSource();
      await exporter.declare(allCalls);
      start = Math.floor(Date.now() / 1000) - 1;
      prom = await startPrometheus({
        targets: [exporter.target],
        ruleFiles,
        scrapeIntervalSeconds: 1,
        evaluationIntervalSeconds: 1,
      });
      // Every series seen at 0 at least twice before any traffic.
      await waitFor('the zero state to be scraped twice', async () => {
        const r = await instantQuery(prom.url, 'min(count_over_time(llmcost_cost_USD_total[1m]))', Date.now() / 1000);
        return num(r[0]) >= 2 ? true : undefined;
      });
      let expected = 0;
      for (const batch of batches) {
        await exporter.record(batch);
        expected += batch.reduce((s, c) => s + (c.costUsd ?? 0), 0);
        const want = expected;
        await waitFor(`Prometheus to scrape ${want} USD`, async () => {
          const r = await instantQuery(prom.url, 'sum(llmcost_cost_USD_total)', Date.now() / 1000);
          return Math.abs(num(r[0]) - want) < 1e-9 ? true : undefined;
        });
        await sleep(3 * 1000 * prom.scrapeIntervalSeconds);
      }
      // A flat tail of scrapes after the last call, and every rule evaluated again since.
      await sleep(10 * 1000 * prom.scrapeIntervalSeconds);
      const tail = Date.now();
      await waitFor('every rule to be evaluated after the traffic', async () => {
        const rules = await loadedRules(prom.url);
        return rules.length > 0 && rules.every((r) => Date.parse(r.lastEvaluation) > tail) ? true : undefined;
      });
      const last = await instantQuery(prom.url, 'max(timestamp(llmcost_cost_USD_total))', Date.now() / 1000);
      end = num(last[0]);
      report = await runAllPanelQueries(prom.url, {
        start,
        time: end,
        rateInterval: `${4 * prom.scrapeIntervalSeconds}s`,
        expectations: expectations(),
      });
      // The same dashboards with the filters set to real values instead of All.
      const search = allCalls.filter((c) => c.team === 'search' && c.environment === 'prod');
      filtered = await runAllPanelQueries(prom.url, {
        start,
        time: end,
        rateInterval: `${4 * prom.scrapeIntervalSeconds}s`,
        variables: { team: 'search', environment: 'prod' },
        expectations: [
          {
            dashboard: 'LLM cost overview',
            panel: 'Spend in range',
            value: search.reduce((s, c) => s + (c.costUsd ?? 0), 0),
          },
          {
            dashboard: 'LLM cost overview',
            panel: 'Spend by model in range',
            byLabel: { label: 'gen_ai_request_model', values: sumBy(search, (c) => c.model) },
          },
        ],
      });
    });

    afterAll(async () => {
      await prom?.stop();
      await exporter?.close();
    });

    it('runs every panel query of the three dashboards', () => {
      const dashboards = new Set(report.results.map((r) => r.dashboard));
      expect([...dashboards].sort()).toEqual([
        'LLM cost attribution drill-down',
        'LLM cost budgets',
        'LLM cost overview',
      ]);
      expect(report.results.length).toBeGreaterThan(30);
      const spend = report.results.find((r) => r.dashboard === 'LLM cost overview' && r.panel === 'Spend in range');
      console.log(
        `dashboards e2e (${exporter.description}): ${report.results.length} panel queries over ${Math.round(end - start)}s of data; ` +
          `"Spend in range" shows ${spend?.samples[0]?.value?.[1]} USD, known total ${totalCost} USD`,
      );
    });

    it('every panel query returns data and the totals equal the known costs', () => {
      expect(report.failures, `${report.failures.length} problems:\n${report.failures.join('\n')}`).toEqual([]);
    });

    it('with filters set (team=search, environment=prod) every query returns data and the totals follow', () => {
      expect(filtered.variables['LLM cost overview']).toMatchObject({ team: 'search', environment: 'prod' });
      expect(filtered.failures, `${filtered.failures.length} problems:\n${filtered.failures.join('\n')}`).toEqual([]);
    });

    it('reports a total that differs from the known cost (the check is not vacuous)', async () => {
      const wrong = await runAllPanelQueries(prom.url, {
        start,
        time: end,
        rateInterval: `${4 * prom.scrapeIntervalSeconds}s`,
        dashboards: [],
        expectations: [{ dashboard: 'LLM cost overview', panel: 'Spend in range', value: totalCost + 0.01 }],
      });
      expect(wrong.failures).toEqual([
        'expectation for LLM cost overview / Spend in range / A: no such panel query (or it failed)',
      ]);
      const off = await runAllPanelQueries(prom.url, {
        start,
        time: end,
        rateInterval: `${4 * prom.scrapeIntervalSeconds}s`,
        expectations: [{ dashboard: 'LLM cost overview', panel: 'Spend in range', value: totalCost + 0.01 }],
      });
      expect(off.failures.join('\n')).toMatch(
        /LLM cost overview \/ Spend in range \/ A .*: shows [0-9.e-]+, expected [0-9.e-]+$/,
      );
    });

    it('resolves the drill-down to a real feature', () => {
      expect(report.variables['LLM cost attribution drill-down']).toMatchObject({
        dimension: 'app_feature',
        value: 'chat',
      });
    });

    it('loads and evaluates every generated rule without error', async () => {
      const rules = await loadedRules(prom.url);
      expect(rules.length).toBeGreaterThan(40);
      const bad = rules
        .filter((r) => r.health !== 'ok')
        .map((r) => `${r.group}/${r.name}: ${r.health} ${r.lastError ?? ''}`);
      expect(bad).toEqual([]);
    });

    it('raises exactly the alerts the traffic calls for: an unpriced model, an expensive request', async () => {
      // Both are pending (their `for` is minutes); nothing else: no budget is near its limit, there is no
      // history for the anomaly and new-model alerts, and the telemetry is fresh.
      const res = await fetch(`${prom.url}/api/v1/alerts`);
      const body = (await res.json()) as { data: { alerts: Array<{ labels: Record<string, string>; state: string }> } };
      const active = body.data.alerts
        .map((a) => `${a.labels.alertname} ${a.labels.job}/${a.labels.gen_ai_request_model} ${a.state}`)
        .sort();
      expect(active).toEqual([
        'LLMCostRequestCostSpike batch/gpt-4o pending',
        'LLMCostUnpricedModelInUse checkout-api/gpt-9-preview pending',
      ]);
    });
  });
}

proveDashboards('dashboards against a real Prometheus, fed by the stand-in exporter', policy, startStandInExporter);
proveDashboards(
  'dashboards against a real Prometheus, fed through the real collector',
  policy.skip ? policy : collectorPolicy,
  () => startCollectorSource(),
);
