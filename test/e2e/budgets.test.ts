// Budgets across instances, with real parts only: two processes of one service (test/e2e/apps/budget-app.mjs:
// init() with budgets in enforce mode, the real openai client against the local simulator) send their metrics
// through the real collector (sdk-metrics pipeline) to one real Prometheus, and read every instance's budget
// spend back from it. A customer over its daily budget through instance A is refused by instance B before any
// request leaves B, within the documented staleness (export + scrape + poll interval).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metrics } from '@otel-llm-cost/contract/prometheus';
import { type Simulator, startSimulator } from '@otel-llm-cost/llm-simulator';
import {
  type Collector,
  freePort,
  instantQuery,
  type RunningPrometheus,
  type Service,
  startCollector,
  startPrometheus,
  startService,
  waitFor,
} from '@otel-llm-cost/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// By hand from packages/pricing/data/genai-prices.json: gpt-4o input $2.50/M, output $10/M;
// 1000 in + 200 out = 0.0025 + 0.002 = 0.0045 USD per call. The budget: 0.004 USD per calendar day (UTC).
const CALL = { model: 'gpt-4o', usage: { inputTokens: 1000, outputTokens: 200 } };
const CALL_USD = 0.0045;
const LIMIT = 0.004;
const POLL_MS = 500;

describe('budgets shared by two instances through one Prometheus', () => {
  let workdir: string;
  let simulator: Simulator;
  let collector: Collector;
  let prom: RunningPrometheus;
  const apps: Record<'a' | 'b', { service: Service; url: string }> = {} as never;

  async function call(app: 'a' | 'b', customer: string) {
    simulator.script(CALL);
    const res = await fetch(`${apps[app].url}/call`, { method: 'POST', body: JSON.stringify({ customer }) });
    return (await res.json()) as { ok?: true; refused?: Record<string, unknown> };
  }

  /** The spend Prometheus holds for the budget, summed over the instances (what the apps read). */
  async function promSpend(): Promise<number> {
    const q = `sum(increase(${metrics.budgetSpend}{llmcost_budget_name="acme-day"}[1h]))`;
    const r = await instantQuery(prom.url, q, Date.now() / 1000);
    return r.length ? Number(r[0]!.value?.[1]) : 0;
  }

  beforeAll(async () => {
    workdir = mkdtempSync(join(tmpdir(), 'budgets-e2e-'));
    const budgets = join(workdir, 'budgets.yaml');
    writeFileSync(
      budgets,
      `budgets:
  - { name: acme-day, selector: { dimension: customer, value: acme }, period: calendar_day, limit_usd: ${LIMIT} }
`,
    );
    simulator = await startSimulator();
    collector = await startCollector({ workdir, pipeline: 'sdk-metrics' });
    prom = await startPrometheus({ targets: [collector.metricsTarget] });
    for (const name of ['a', 'b'] as const) {
      const port = await freePort();
      const service = startService(
        `budget-app-${name}`,
        process.execPath,
        [join(import.meta.dirname, 'apps', 'budget-app.mjs')],
        {
          workdir,
          env: {
            PORT: String(port),
            LLM_SIMULATOR_URL: simulator.url,
            OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpUrl,
            OTEL_RESOURCE_ATTRIBUTES: `service.instance.id=budget-app-${name}`,
            OTEL_METRIC_EXPORT_INTERVAL: '500',
            LLMCOST_BUDGETS: budgets,
            LLMCOST_BUDGETS_MODE: 'enforce',
            LLMCOST_BUDGETS_PROMETHEUS: prom.url,
            LLMCOST_BUDGETS_POLL_INTERVAL: String(POLL_MS),
          },
        },
      );
      const url = `http://127.0.0.1:${port}`;
      await waitFor(`budget-app-${name} to listen`, async () => {
        if (service.process.exitCode !== null) throw new Error(`budget-app-${name} exited:\n${service.tail()}`);
        return (await fetch(url, { method: 'HEAD' }).catch(() => undefined)) ? true : undefined;
      });
      apps[name] = { service, url };
    }
    // Both instances' budget counters start at 0 in Prometheus (so that increase() counts the first spend), with a
    // few samples each: increase() extrapolates past the last sample by up to 1.1 scrape intervals over the span the
    // samples cover, so with only a 0 and the first spend it can read almost twice the spend (seen: 2.001x).
    await waitFor('both instances budget series at 0, five samples each', async () => {
      const r = await instantQuery(
        prom.url,
        `count(count_over_time(${metrics.budgetSpend}{llmcost_budget_name="acme-day"}[1h]) >= 5)`,
        Date.now() / 1000,
      );
      return r.length && Number(r[0]!.value?.[1]) === 2 ? true : undefined;
    });
  }, 120_000);

  afterAll(async () => {
    for (const a of Object.values(apps)) await a.service.stop().catch(() => undefined);
    await prom?.stop().catch(() => undefined);
    await collector?.stop().catch(() => undefined);
    await simulator?.close().catch(() => undefined);
  });

  it('refuses on instance B what instance A spent, before any request leaves B; other customers go on', async () => {
    expect(await call('a', 'acme')).toEqual({ ok: true }); // 0.0045 USD through A
    expect(simulator.requests).toHaveLength(1);

    const started = Date.now();
    // A's spend reaches Prometheus (export 500 ms + scrape 1 s), then B's next read (500 ms) sees it.
    await waitFor("A's spend in Prometheus", async () => ((await promSpend()) >= LIMIT ? true : undefined));
    await new Promise((r) => setTimeout(r, 2 * POLL_MS));
    const out = await call('b', 'acme');
    expect(out.refused).toMatchObject({ status: 429, budget: 'acme-day', limitUsd: LIMIT, reason: 'exceeded' });
    // Prometheus' increase() extrapolates a little past the last sample: at least the one call, not much more.
    const spent = out.refused!.spentUsd as number;
    expect(spent).toBeGreaterThanOrEqual(CALL_USD - 1e-9);
    expect(spent).toBeLessThan(2 * CALL_USD);
    expect(simulator.requests).toHaveLength(1); // B sent nothing
    expect(Date.now() - started).toBeLessThan(15_000);

    // A refuses too (its own spend since its last read, or the read itself); globex has no budget.
    expect((await call('a', 'acme')).refused).toMatchObject({ budget: 'acme-day' });
    expect(await call('b', 'globex')).toEqual({ ok: true });
    expect(simulator.requests).toHaveLength(2);

    // The refusals are counted, per instance, in Prometheus.
    await waitFor('the refusals in Prometheus', async () => {
      const r = await instantQuery(
        prom.url,
        `sum(${metrics.budgetExceededRequests}{llmcost_budget_name="acme-day", llmcost_budget_action="refused"})`,
        Date.now() / 1000,
      );
      return r.length && Number(r[0]!.value?.[1]) === 2 ? true : undefined;
    });
  });
});
