import { afterEach, describe, expect, it } from 'vitest';
import { runReconcile } from '../../src/reconcile/command.js';
import { fakePrometheus, type Series } from './fake-prometheus.js';
import { type Reply, type Seen, startServer } from './server.js';

const D1 = Date.parse('2026-11-29T00:00:00Z') / 1000;
const D2 = D1 + 86400;
const NOW = new Date('2026-12-01T10:00:00Z');
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

const labels = { gen_ai_provider_name: 'openai', gen_ai_request_model: 'gpt-4o', job: 'api' };
const ours: Series[] = [
  {
    metric: { __name__: 'llmcost_cost_USD_total', ...labels, llmcost_cost_source: 'pricing_data' },
    samples: [
      [D1 - 60, 3],
      [D2 - 15, 4],
    ],
  },
  {
    metric: { __name__: 'llmcost_tokens_total', ...labels, llmcost_token_type: 'input' },
    samples: [[D2 - 15, 200_000]],
  },
  {
    metric: { __name__: 'llmcost_tokens_total', ...labels, llmcost_token_type: 'output' },
    samples: [[D2 - 15, 50_000]],
  },
  { metric: { __name__: 'llmcost_request_cost_USD_count', ...labels }, samples: [[D2 - 15, 30]] },
];

/** The OpenAI admin API (gpt-4o billed as its snapshot, plus `extra` line items) and Prometheus on one local port. */
async function stack(
  extra: Array<{ item: string; usd: number; model?: string; input?: number; output?: number }> = [],
) {
  const prom = fakePrometheus(ours);
  const bucket = (results: unknown[]) => ({ object: 'bucket', start_time: D1, end_time: D2, results });
  const page = (data: unknown[]) => ({ object: 'page', data, has_more: false, next_page: null });
  const s = await startServer((req: Seen): Reply => {
    const p = prom(req);
    if (p) return p;
    if (req.headers.authorization !== 'Bearer sk-admin-test') {
      return { status: 401, body: { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } } };
    }
    if (req.path === '/v1/organization/costs') {
      const lines = [
        { item: 'gpt-4o-2024-08-06, input', usd: 0.5 },
        { item: 'gpt-4o-2024-08-06, output', usd: 0.5 },
        ...extra,
      ];
      return {
        body: page([
          bucket(
            lines.map((l) => ({
              object: 'organization.costs.result',
              amount: { value: l.usd, currency: 'usd' },
              line_item: l.item,
              project_id: 'proj_1',
            })),
          ),
        ]),
      };
    }
    if (req.path === '/v1/organization/usage/completions') {
      const models = [{ model: 'gpt-4o-2024-08-06', input: 200_000, output: 50_000 }, ...extra.filter((e) => e.model)];
      return {
        body: page([
          bucket(
            models.map((m) => ({
              object: 'organization.usage.completions.result',
              model: m.model,
              input_tokens: m.input,
              output_tokens: m.output,
              input_cached_tokens: 0,
              num_model_requests: 30,
              batch: false,
              service_tier: 'default',
              project_id: 'proj_1',
            })),
          ),
        ]),
      };
    }
    if (req.path === '/v1/organization/usage/embeddings') return { body: page([bucket([])]) };
    return { status: 404, body: { error: { message: 'not found' } } };
  });
  close = s.close;
  return s;
}

async function run(args: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runReconcile(args, {
    env,
    now: () => NOW,
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    http: { attempts: 2, sleep: async () => {} },
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('llm-cost reconcile', () => {
  it('exits 0 when the bill and our counters agree, and prints the table', async () => {
    const s = await stack();
    const r = await run(['--provider', 'openai', '--from', '2026-11-29', '--to', '2026-11-29', '--prometheus', s.url], {
      OPENAI_ADMIN_KEY: 'sk-admin-test',
      LLMCOST_OPENAI_ADMIN_URL: s.url,
    });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /2026-11-29 {2}gpt-4o +1\.000000 +1\.000000 +0\.000000 +0\.00% +200000\/50000 +200000\/50000 +0/,
    );
    expect(r.out).toContain('every day within 1% (exit 0)');
  });

  it('exits 1 on drift above the tolerance, and --json names the cause and the unmatched model', async () => {
    const s = await stack([
      {
        item: 'gpt-4o-mini-2024-07-18, input',
        usd: 0.15,
        model: 'gpt-4o-mini-2024-07-18',
        input: 1_000_000,
        output: 250_000,
      },
      { item: 'gpt-4o-mini-2024-07-18, output', usd: 0.15 },
    ]);
    const r = await run(
      ['--provider', 'openai', '--to', '2026-11-29', '--json', '--base-url', s.url, '--prometheus', s.url],
      {
        OPENAI_ADMIN_KEY: 'sk-admin-test',
      },
    );
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    expect(report.days).toEqual([
      {
        day: '2026-11-29',
        billedUsd: 1.3,
        oursUsd: 1,
        diffUsd: expect.closeTo(-0.3, 10),
        diffPct: expect.closeTo(-23.0769, 3),
        withinTolerance: false,
        nonModelBilledUsd: 0,
      },
    ]);
    expect(report.rows.find((x: { model: string }) => x.model === 'gpt-4o-mini-2024-07-18')).toMatchObject({
      matched: false,
      cause: 'uninstrumented',
    });
    expect(report.unmatched.map((u: { model: string }) => u.model)).toEqual(['gpt-4o-mini-2024-07-18']);
    expect(report.causes.uninstrumented.rows).toBe(1);
    // a tolerance wide enough passes the same day
    const wide = await run(
      ['--provider', 'openai', '--to', '2026-11-29', '--tolerance', '25', '--base-url', s.url, '--prometheus', s.url],
      {
        OPENAI_ADMIN_KEY: 'sk-admin-test',
      },
    );
    expect(wide.code).toBe(0);
  });

  it('exits 2 with the problem and the fix: a standard key, a refused key, Prometheus down, bad options', async () => {
    const s = await stack();
    const args = ['--provider', 'openai', '--from', '2026-11-29', '--base-url', s.url, '--prometheus', s.url];
    const standard = await run(args, { OPENAI_ADMIN_KEY: 'sk-proj-abc' });
    expect(standard.code).toBe(2);
    expect(standard.err).toMatch(
      /OPENAI_ADMIN_KEY holds a standard API key \(sk-proj-\.\.\.\).*\n {2}fix: .*sk-admin-/s,
    );
    expect(s.seen).toHaveLength(0); // refused before any call
    const refused = await run(args, { OPENAI_ADMIN_KEY: 'sk-admin-wrong' });
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/OpenAI refused the key in OPENAI_ADMIN_KEY \(HTTP 401: Incorrect API key provided\)/);
    const down = await run([...args.slice(0, -2), '--prometheus', 'http://127.0.0.1:1'], {
      OPENAI_ADMIN_KEY: 'sk-admin-test',
    });
    expect(down.code).toBe(2);
    expect(down.err).toMatch(/cannot reach Prometheus at http:\/\/127\.0\.0\.1:1.*--prometheus URL/s);
    expect((await run(['--provider', 'gemini'], {})).err).toMatch(/use --provider openai or --provider anthropic/);
    expect((await run(['--provider', 'openai', '--from', '2026-11-31'], {})).err).toMatch(/"2026-11-31" is not a day/);
    expect((await run(['--provider', 'openai', '--to', '2026-12-02'], {})).err).toMatch(
      /--to 2026-12-02 is in the future/,
    );
    expect((await run(['--provider', 'openai', '--tolerance', 'x'], {})).code).toBe(2);
  });
});

describe('llm-cost reconcile --otlp', () => {
  it('a collector that is down is a clear error (exit 2), after the report was printed', async () => {
    const s = await stack();
    // A port that was just free: nothing listens there.
    const { createServer } = await import('node:net');
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const r = await run(
      ['--provider', 'openai', '--to', '2026-11-29', '--prometheus', s.url, '--otlp', `http://127.0.0.1:${port}`],
      { OPENAI_ADMIN_KEY: 'sk-admin-test', LLMCOST_OPENAI_ADMIN_URL: s.url },
    );
    expect(r.out).toContain('every day within 1% (exit 0)');
    expect(r.code).toBe(2);
    expect(r.err).toContain(`could not send the drift to http://127.0.0.1:${port}/v1/metrics`);
    expect(r.err).toContain('fix: point --otlp at a collector OTLP/HTTP receiver');
  });
});
