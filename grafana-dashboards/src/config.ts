// The one configuration (the "mixin" way) from which the recording rules, the alerts and the dashboards are
// generated. Change a selector or a threshold here, run `npm run generate -w grafana-dashboards`, commit the output.

export interface BurnRateWindows {
  /** Burn-rate factor: 1 means "on pace to spend exactly the limit over one period". */
  factor: number;
  long: string;
  short: string;
}

export interface Config {
  /** Extra label matchers added to every query of a raw metric, e.g. `deployment_environment_name="prod"`. */
  selector: string;
  /** Base URL of docs/runbook.md; alerts link to `${runbookBaseUrl}#<alert name in lower case>`. */
  runbookBaseUrl: string;
  /** Evaluation interval of the generated rule groups; unset = Prometheus' global evaluation_interval. */
  ruleInterval?: string;
  anomaly: {
    /** Fire when the 1h spend rate of a service is this many times its 7-day average... */
    factor: number;
    /** ...and above this floor in USD per hour (small services spike in ratio all the time). */
    floorUsdPerHour: number;
    for: string;
  };
  requestCostSpike: {
    /** p99 of the per-request cost (5m window) of a (service, model) above this many USD. */
    p99Usd: number;
    for: string;
  };
  newModel: {
    /** A model counts as new if it was not seen in this window before now. */
    lookback: string;
    /** How long a new model keeps the alert firing. */
    recent: string;
  };
  unpriced: { window: string; for: string };
  /**
   * Per-user request rate: fire when one user makes more than `perMinute` LLM calls per minute (averaged over
   * `window`) for `for`. Needs `metrics.includeUserId` in the apps (user ids are metric labels only by opt-in).
   */
  userRequestRate: { perMinute: number; window: string; for: string };
  telemetryAbsent: { after: string; for: string; history: string };
  reconciliation: {
    /** Fire when a day's spend differs from the provider's bill by more than this share of the bill... */
    maxDrift: number;
    /** ...as last pushed by `llm-cost reconcile --otlp` within this window (a nightly job plus slack). */
    window: string;
  };
  /** Multi-window multi-burn-rate thresholds per budget period (SRE workbook style, adapted to spend). */
  burnRate: Record<'daily' | 'weekly' | 'monthly', { fast: BurnRateWindows; slow: BurnRateWindows }>;
  dashboards: {
    uidPrefix: string;
    tags: string[];
    refresh: string;
    /** Grafana dashboard JSON schema version written out; 39 is what Grafana 11.0 writes, Grafana 12 migrates up. */
    schemaVersion: number;
    /** The budgets dashboard colours a budget orange from this share of its limit (red from 1). */
    budgetWarningColorAt: number;
  };
}

export const config: Config = {
  selector: '',
  runbookBaseUrl: 'https://github.com/otel-llm-cost/otel-llm-cost/blob/main/docs/runbook.md',
  anomaly: { factor: 3, floorUsdPerHour: 1, for: '15m' },
  requestCostSpike: { p99Usd: 0.5, for: '10m' },
  newModel: { lookback: '7d', recent: '1h' },
  unpriced: { window: '15m', for: '5m' },
  userRequestRate: { perMinute: 60, window: '5m', for: '5m' },
  telemetryAbsent: { after: '15m', for: '5m', history: '6h' },
  reconciliation: { maxDrift: 0.01, window: '26h' },
  burnRate: {
    // Daily budgets: 12x over 1h = half the day's budget in one hour; 3x over 6h = 75% of it in six hours.
    daily: { fast: { factor: 12, long: '1h', short: '5m' }, slow: { factor: 3, long: '6h', short: '30m' } },
    // Weekly and monthly: the SRE workbook's 14.4x (1h/5m) and 6x (6h/30m).
    weekly: { fast: { factor: 14.4, long: '1h', short: '5m' }, slow: { factor: 6, long: '6h', short: '30m' } },
    monthly: { fast: { factor: 14.4, long: '1h', short: '5m' }, slow: { factor: 6, long: '6h', short: '30m' } },
  },
  dashboards: {
    uidPrefix: 'llmcost',
    tags: ['llm-cost', 'otel-llm-cost'],
    refresh: '1m',
    schemaVersion: 39,
    budgetWarningColorAt: 0.8,
  },
};

/** Joins label matchers, dropping empty ones: sel('a="1"', '', 'b=~"x"') -> '{a="1", b=~"x"}'; no matchers -> ''. */
export function sel(...matchers: string[]): string {
  const parts = matchers.map((m) => m.trim()).filter((m) => m.length > 0);
  return parts.length === 0 ? '' : `{${parts.join(', ')}}`;
}

/** The `interval` field of a generated rule group, if the config sets one. */
export function groupInterval(cfg: Config): { interval?: string } {
  return cfg.ruleInterval ? { interval: cfg.ruleInterval } : {};
}

export function runbookUrl(cfg: Config, alertName: string): string {
  return `${cfg.runbookBaseUrl}#${alertName.toLowerCase()}`;
}
