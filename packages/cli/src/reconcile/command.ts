/** `llm-cost reconcile`: the provider's bill against our telemetry, per UTC day and model; exit 0 / 1 (drift) / 2 (error). */
import { parseArgs } from 'node:util';
import { anthropicApi, anthropicBilling } from './anthropic-billing.js';
import { compare } from './compare.js';
import { daysBetween, today } from './days.js';
import type { HttpOptions } from './http.js';
import { openaiApi, openaiBilling } from './openai-billing.js';
import { ourSpend } from './our-spend.js';
import { pushDrift } from './push.js';
import { formatReport, reportJson } from './report.js';
import type { Provider, Report } from './types.js';

export const RECONCILE_USAGE = `usage: llm-cost reconcile --provider openai|anthropic [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                          [--prometheus URL] [--tolerance PCT] [--json] [--base-url URL] [--otlp URL]
  --from, --to    UTC days, both included (default: today)
  --prometheus    our side; defaults to $PROMETHEUS_URL or http://127.0.0.1:9090
  --tolerance     allowed drift of a day's total, % of the billed amount (default 1)
  --base-url      the provider API (default https://api.openai.com / https://api.anthropic.com,
                  or $LLMCOST_OPENAI_ADMIN_URL / $LLMCOST_ANTHROPIC_ADMIN_URL)
  --otlp          also send each day's drift as the gauge llmcost.reconciliation.drift (OTLP/HTTP JSON,
                  e.g. http://collector:4318), for the LLMCostReconciliationDrift alert
  admin keys      $OPENAI_ADMIN_KEY (sk-admin-...) / $ANTHROPIC_ADMIN_KEY (sk-ant-admin...)
  exit code       0: every day within the tolerance, 1: drift above it, 2: error`;

export interface ReconcileIo {
  env?: NodeJS.ProcessEnv;
  out?: (text: string) => void;
  err?: (text: string) => void;
  now?: () => Date;
  http?: HttpOptions;
}

export interface ReconcileOptions {
  provider: Provider;
  from: string;
  to: string;
  prometheus: string;
  tolerancePct: number;
  baseUrl?: string;
}

export async function reconcile(o: ReconcileOptions, io: ReconcileIo = {}): Promise<Report> {
  const env = io.env ?? process.env;
  const now = io.now?.() ?? new Date();
  const days = daysBetween(o.from, o.to);
  const notes: string[] = [];
  const nowSeconds = Math.floor(now.getTime() / 1000);
  // the key is checked (by its prefix) before any call; then the bill and our counters are read side by side
  const billing =
    o.provider === 'openai'
      ? openaiBilling(openaiApi(o.baseUrl, env), o.from, o.to, io.http)
      : anthropicBilling(anthropicApi(o.baseUrl, env), o.from, o.to, io.http);
  if (o.provider === 'anthropic')
    notes.push("Anthropic's usage report has no request counts: billed requests are not compared");
  const [billed, ours] = await Promise.all([billing, ourSpend(o.prometheus, o.provider, days, nowSeconds)]);
  if (o.to === today(now))
    notes.push(`${o.to} is today: the provider's report lags behind the calls, so today's gap is provisional`);
  return compare({
    provider: o.provider,
    from: o.from,
    to: o.to,
    days,
    tolerancePct: o.tolerancePct,
    billed,
    ours,
    notes,
  });
}

export async function runReconcile(argv: string[], io: ReconcileIo = {}): Promise<number> {
  const env = io.env ?? process.env;
  const out = io.out ?? ((t: string) => console.log(t));
  const err = io.err ?? ((t: string) => console.error(t));
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        provider: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        prometheus: { type: 'string' },
        tolerance: { type: 'string', default: '1' },
        json: { type: 'boolean', default: false },
        'base-url': { type: 'string' },
        otlp: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      out(RECONCILE_USAGE);
      return 0;
    }
    const provider = values.provider;
    if (provider !== 'openai' && provider !== 'anthropic') {
      throw new Error(`--provider ${provider ?? '(missing)'}: use --provider openai or --provider anthropic`);
    }
    const tolerancePct = Number(values.tolerance);
    if (!Number.isFinite(tolerancePct) || tolerancePct < 0) {
      throw new Error(`--tolerance ${values.tolerance}: a percentage such as 1 or 0.5`);
    }
    const now = io.now?.() ?? new Date();
    const to = values.to ?? today(now);
    const from = values.from ?? (values.to ? to : today(now));
    daysBetween(from, to);
    if (to > today(now)) throw new Error(`--to ${to} is in the future (today is ${today(now)} UTC)`);
    const report = await reconcile(
      {
        provider,
        from,
        to,
        tolerancePct,
        prometheus: values.prometheus ?? env.PROMETHEUS_URL ?? 'http://127.0.0.1:9090',
        baseUrl: values['base-url'],
      },
      io,
    );
    out(values.json ? reportJson(report) : formatReport(report));
    if (values.otlp) {
      const sent = await pushDrift(values.otlp, report, now);
      if (!values.json) out(`sent the drift of ${sent} day(s) to ${values.otlp} (llmcost.reconciliation.drift)`);
    }
    return report.ok ? 0 : 1;
  } catch (e) {
    err(`llm-cost reconcile: ${(e as Error).message}`);
    return 2;
  }
}
