// `llm-cost spend --billed` against a real Prometheus (started by @otel-llm-cost/testkit on a free loopback port),
// scraping the cost and billed counters of known calls, served by the test in the Prometheus text format under
// the names and labels the collector's prometheus exporter gives them (from the telemetry contract).
//
// The known calls, priced by hand from genai-prices' data, billed by hand under a markup of
//   acme x1.3; globex on plan pro: x1.1 + $1 per million input tokens + $5 per million output; umbrella: no rule.
// - gpt-4o, 1000 in / 200 out: cost 1000 * 2.5/1e6 + 200 * 10/1e6 = 0.0045; billed for acme 0.0045 * 1.3 = 0.00585
// - gpt-4o-mini, 1000 in / 200 out: cost 1000 * 0.15/1e6 + 200 * 0.6/1e6 = 0.00027;
//   billed for globex 0.00027 * 1.1 + 1000 * 1/1e6 + 200 * 5/1e6 = 0.000297 + 0.001 + 0.001 = 0.002297
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { labels as l, metrics as m } from '@otel-llm-cost/contract/prometheus';
import {
  findPrometheus,
  instantQuery,
  missingToolPolicy,
  REPO_ROOT,
  type RunningPrometheus,
  startPrometheus,
  waitFor,
} from '@otel-llm-cost/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billedPromQL, marginPromQL, spend } from '../src/index.js';

const policy = missingToolPolicy('prometheus', findPrometheus());

interface Series {
  customer: string;
  feature: string;
  model: string;
  calls: number;
  costEach: number;
  /** undefined: the customer has no markup rule, so the SDK records no billed counter for it */
  billedEach?: number;
}

const known: Series[] = [
  { customer: 'acme', feature: 'chat', model: 'gpt-4o', calls: 2, costEach: 0.0045, billedEach: 0.00585 },
  { customer: 'acme', feature: 'search', model: 'gpt-4o', calls: 1, costEach: 0.0045, billedEach: 0.00585 },
  { customer: 'globex', feature: 'search', model: 'gpt-4o-mini', calls: 2, costEach: 0.00027, billedEach: 0.002297 },
  { customer: 'umbrella', feature: 'chat', model: 'gpt-4o', calls: 1, costEach: 0.0045 },
];

function exposition(): string {
  const lines = [`# TYPE ${m.cost} counter`];
  const labelText = (s: Series) =>
    `${l.service}="api",${l.provider}="openai",${l.operation}="chat",${l.model}="${s.model}",` +
    `${l.customer}="${s.customer}",${l.feature}="${s.feature}",${l.costSource}="pricing_data"`;
  for (const s of known) lines.push(`${m.cost}{${labelText(s)}} ${s.calls * s.costEach}`);
  lines.push(`# TYPE ${m.billed} counter`);
  for (const s of known) {
    if (s.billedEach !== undefined) lines.push(`${m.billed}{${labelText(s)}} ${s.calls * s.billedEach}`);
  }
  return `${lines.join('\n')}\n`;
}

describe.skipIf(policy.skip)(
  `llm-cost spend --billed against a real Prometheus${policy.skip ? ` (skipped: ${policy.reason})` : ''}`,
  () => {
    let server: Server;
    let prom: RunningPrometheus;

    beforeAll(async () => {
      server = createServer((_, res) =>
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(exposition()),
      );
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      prom = await startPrometheus({ targets: [`127.0.0.1:${port}`], scrapeIntervalSeconds: 1 });
      await waitFor('the counters to be scraped', async () => {
        const r = await instantQuery(prom.url, `count(${m.billed})`, Date.now() / 1000);
        return Number(r[0]?.value?.[1]) === 3 ? true : undefined;
      });
    });

    afterAll(async () => {
      await prom?.stop();
      await new Promise((r) => server?.close(r));
    });

    it('by customer: spend, billed and margin side by side; no billed figure where no rule applied', async () => {
      const rows = await spend(prom.url, { by: 'customer', range: 'all' }, { billed: true });
      expect(rows.map((r) => r.value)).toEqual(['acme', 'umbrella', 'globex']);
      const [acme, umbrella, globex] = rows;
      // acme: 3 calls of gpt-4o
      expect(acme!.usd).toBeCloseTo(0.0135, 12);
      expect(acme!.billedUsd).toBeCloseTo(0.01755, 12);
      expect(acme!.marginUsd).toBeCloseTo(0.00405, 12);
      expect(umbrella!.usd).toBeCloseTo(0.0045, 12);
      expect(umbrella!.billedUsd).toBeUndefined();
      expect(umbrella!.marginUsd).toBeUndefined();
      // globex: 2 calls of gpt-4o-mini
      expect(globex!.usd).toBeCloseTo(0.00054, 12);
      expect(globex!.billedUsd).toBeCloseTo(0.004594, 12);
      expect(globex!.marginUsd).toBeCloseTo(0.004054, 12);
    });

    it("by feature: the margin subtracts only the billed calls' cost, not that of calls without a rule", async () => {
      const rows = await spend(prom.url, { by: 'feature', range: 'all' }, { billed: true });
      const chat = rows.find((r) => r.value === 'chat')!;
      const search = rows.find((r) => r.value === 'search')!;
      // chat: acme 2 x gpt-4o (billed) + umbrella 1 x gpt-4o (not billed)
      expect(chat.usd).toBeCloseTo(0.0135, 12);
      expect(chat.billedUsd).toBeCloseTo(0.0117, 12);
      // 0.0117 - 2 * 0.0045, not 0.0117 - 0.0135
      expect(chat.marginUsd).toBeCloseTo(0.0027, 12);
      // search: acme 1 x gpt-4o + globex 2 x gpt-4o-mini, all billed
      expect(search.usd).toBeCloseTo(0.00504, 12);
      expect(search.billedUsd).toBeCloseTo(0.010444, 12);
      expect(search.marginUsd).toBeCloseTo(0.005404, 12);
    });

    it('the command prints the billed and margin columns', async () => {
      const cli = join(REPO_ROOT, 'packages/cli/src/cli.ts');
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', cli, 'spend', '--billed', '--by', 'customer', '--range', 'all', '--prometheus', prom.url],
        { cwd: REPO_ROOT },
      );
      expect(stdout.split('\n').filter(Boolean)).toEqual([
        'customer     spend (USD)    billed (USD)    margin (USD)   share',
        '--------  --------------  --------------  --------------  ------',
        'acme           $0.013500       $0.017550       $0.004050   72.8%',
        'umbrella       $0.004500               -               -   24.3%',
        'globex         $0.000540       $0.004594       $0.004054    2.9%',
        'total          $0.018540       $0.022144       $0.008104        ',
      ]);
    });
  },
);

describe('billed queries', () => {
  it('read the billed counter, and subtract the cost series by series', () => {
    expect(billedPromQL({ by: 'customer', range: '30d' })).toBe(
      'sum by (app_customer_id) (increase(llmcost_billed_USD_total{}[30d]))',
    );
    expect(marginPromQL({ by: 'customer', range: '30d', where: { team: 'search' } })).toBe(
      'sum by (app_customer_id) (increase(llmcost_billed_USD_total{app_team="search"}[30d]) - ' +
        'increase(llmcost_cost_USD_total{app_team="search"}[30d]))',
    );
  });
});
