import { randomUUID } from 'node:crypto';
import type { Attributes, AttributeValue, Counter, Meter } from '@opentelemetry/api';
import { ATTR, METRIC, METRIC_SPECS } from '../core/names.js';
import type { Warnings } from '../core/warn.js';
import { BudgetExceededError } from './error.js';
import { type CalendarPeriod, calendarOf } from './periods.js';
import { BUDGET_PERIODS, type Budget } from './schema.js';
import { budgetSpendQuery, readBudgetSpend } from './source.js';
import { CalendarSpend, type LocalSpend, RollingSpend } from './spend.js';

export type BudgetsMode = 'enforce' | 'warn';

export interface BudgetEnforcementOptions {
  /**
   * Prometheus base URL to read the spend of every instance from (else LLMCOST_BUDGETS_PROMETHEUS). Without
   * one, each instance checks only its own spend (kept in memory; it starts at 0 when the process starts).
   */
  prometheusUrl?: string;
  /** How often spend is read from Prometheus, ms (else LLMCOST_BUDGETS_POLL_INTERVAL; default 15000). */
  pollIntervalMs?: number;
  /** Prometheus unreachable: `open` (default: calls go through, warned and counted) or `closed` (refused). */
  failMode?: 'open' | 'closed';
  /** Fail-closed: the last good read may be this old before spend counts as unknown, ms (default 3 polls). */
  maxStalenessMs?: number;
  /** Timeout of one Prometheus query, ms (default 2000). */
  timeoutMs?: number;
  /** service.name, for `dimension: service` budgets (init() passes its own; else OTEL_SERVICE_NAME). */
  serviceName?: string;
  /** The clock (ms since the epoch); for tests. */
  now?: () => number;
}

/** One budget and what is known of its spend. */
export class BudgetState {
  readonly calendar: CalendarPeriod | undefined;
  readonly local: LocalSpend;
  /** Spend of every other instance at the last read (Prometheus), and the calendar period it belongs to. */
  remote = 0;
  remoteStart = Number.NaN;
  /** Metric attributes, built once. */
  readonly spendAttributes: Attributes;
  readonly warnedAttributes: Attributes;
  readonly refusedAttributes: Attributes;

  constructor(
    readonly budget: Budget,
    environment: string | undefined,
    /** This process's id on its spend series (it reads the other instances' spend, and counts its own itself). */
    recorder: string,
  ) {
    this.calendar = calendarOf(budget);
    this.local = this.calendar
      ? new CalendarSpend(this.calendar)
      : new RollingSpend(BUDGET_PERIODS[budget.period].seconds * 1000);
    const base: Attributes = { [ATTR.BUDGET_NAME]: budget.name };
    if (environment) base[ATTR.ENVIRONMENT] = environment;
    this.spendAttributes = { ...base, [ATTR.BUDGET_RECORDER]: recorder };
    this.warnedAttributes = { ...base, [ATTR.BUDGET_ACTION]: 'warned' };
    this.refusedAttributes = { ...base, [ATTR.BUDGET_ACTION]: 'refused' };
  }

  /**
   * Spend in the current period: the other instances' at the last read (if it is of this period) plus all of
   * this instance's own, kept here for the whole period or window (never read back: it counts at once).
   */
  spent(now: number): number {
    const remote = this.calendar && this.calendar.at(now).start !== this.remoteStart ? 0 : this.remote;
    return remote + this.local.total(now);
  }

  /** Seconds of spend the next read asks Prometheus for: the rolling window, or the time since the period start. */
  rangeSeconds(now: number): number {
    if (!this.calendar) return BUDGET_PERIODS[this.budget.period].seconds;
    return Math.ceil((now - this.calendar.at(now).start) / 1000);
  }

  /**
   * When the period resets: calendar periods at their end. Rolling windows: without Prometheus, when enough of
   * this instance's spend ages out; with it, an estimate that assumes the spend was spread evenly over the window.
   */
  resetsAt(now: number, spent: number, remoteKnown: boolean): Date {
    const over = spent - this.budget.limitUsd;
    if (this.calendar) return new Date(this.calendar.at(now).end);
    if (!remoteKnown) return new Date(this.local.agesOutAt(now, over));
    const windowMs = BUDGET_PERIODS[this.budget.period].seconds * 1000;
    return new Date(now + Math.ceil((windowMs * Math.max(over, 0)) / Math.max(spent, Number.MIN_VALUE)));
  }
}

interface Instruments {
  spend: Counter;
  exceeded: Counter;
  readFailures: Counter;
}

/**
 * Budgets checked before each LLM call. The spend of a budget is what every instance recorded under it
 * (`llmcost.budget.spend`, read from Prometheus every poll interval) plus what this instance spent since the
 * last read: the check itself is a lookup and a sum, never a network round trip.
 */
export class BudgetEnforcer {
  private readonly states: BudgetState[];
  /** attribute key -> value -> the budgets that select it. */
  private readonly index = new Map<string, Map<string, BudgetState[]>>();
  /** Budgets of this service (dimension service): they hold every call. */
  private readonly always: BudgetState[] = [];
  private readonly now: () => number;
  private instruments: Instruments | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private reading: Promise<void> | undefined;
  /** Clock time of the last successful read (undefined: none yet). */
  private lastRead: number | undefined;
  /** `llmcost.budget.recorder` of this process's spend series. */
  private readonly recorder: string;

  constructor(
    budgets: Budget[],
    readonly mode: BudgetsMode,
    private readonly options: BudgetEnforcementOptions,
    /** The attribution key of each named dimension (the runtime's keys). */
    keys: { user: string; customer: string; feature: string; team: string },
    private readonly environment: string | undefined,
    private readonly warnings: Warnings,
  ) {
    this.now = options.now ?? Date.now;
    const recorder = randomUUID();
    this.states = budgets.map((b) => new BudgetState(b, environment, recorder));
    this.recorder = recorder;
    const service = options.serviceName ?? process.env.OTEL_SERVICE_NAME;
    for (const state of this.states) {
      const b = state.budget;
      if (b.dimension === 'service') {
        if (b.value === service) this.always.push(state);
        continue;
      }
      const key = b.dimension === 'attribute' ? b.attribute! : keys[b.dimension];
      let byValue = this.index.get(key);
      if (!byValue) {
        byValue = new Map();
        this.index.set(key, byValue);
      }
      const list = byValue.get(b.value);
      if (list) list.push(state);
      else byValue.set(b.value, [state]);
    }
  }

  /** The attribution keys budgets select on (they must be inherited from parent spans like the dimensions). */
  static attributeKeys(budgets: readonly Budget[]): string[] {
    return budgets.flatMap((b) => (b.dimension === 'attribute' ? [b.attribute!] : []));
  }

  get budgets(): readonly Budget[] {
    return this.states.map((s) => s.budget);
  }

  private get prometheusUrl(): string | undefined {
    return this.options.prometheusUrl;
  }

  /**
   * Creates the budget metrics on `meter` (every budget's spend counter starts at 0, so that Prometheus'
   * increase() counts its first spend) and starts reading Prometheus. Idempotent; the check calls it on first
   * use with the global meter when nothing did before.
   */
  start(meter: Meter): void {
    if (this.instruments) return;
    const counter = (id: 'BUDGET_SPEND' | 'BUDGET_EXCEEDED_REQUESTS' | 'BUDGET_READ_FAILURES') =>
      meter.createCounter(METRIC[id], { unit: METRIC_SPECS[id].unit, description: METRIC_SPECS[id].description });
    this.instruments = {
      spend: counter('BUDGET_SPEND'),
      exceeded: counter('BUDGET_EXCEEDED_REQUESTS'),
      readFailures: counter('BUDGET_READ_FAILURES'),
    };
    for (const state of this.states) this.instruments.spend.add(0, state.spendAttributes);
    if (!this.prometheusUrl) return;
    void this.read();
    this.timer = setInterval(() => void this.read(), this.options.pollIntervalMs ?? 15_000);
    this.timer.unref?.();
  }

  get started(): boolean {
    return this.instruments !== undefined;
  }

  /** The budgets a call with this attribution falls under (undefined: none). */
  match(attribution: Record<string, AttributeValue>): BudgetState[] | undefined {
    let out: BudgetState[] | undefined = this.always.length > 0 ? this.always : undefined;
    for (const [key, byValue] of this.index) {
      const v = attribution[key];
      if (v === undefined) continue;
      const list = byValue.get(typeof v === 'string' ? v : String(v));
      if (list) out = out ? out.concat(list) : list;
    }
    return out;
  }

  /**
   * The check of one call about to be made: the first of its budgets that is spent (or, fail-closed, whose
   * spend cannot be known), as the error enforce mode throws; undefined when the call may go. Counts the call
   * in `llmcost.budget.exceeded.requests`.
   */
  check(states: BudgetState[]): BudgetExceededError | undefined {
    const now = this.now();
    const unknown = this.spendUnknown(now);
    for (const state of states) {
      const spent = state.spent(now);
      if (!unknown && spent < state.budget.limitUsd) continue;
      const refused = this.mode === 'enforce';
      this.instruments?.exceeded.add(1, refused ? state.refusedAttributes : state.warnedAttributes);
      return new BudgetExceededError({
        budget: state.budget.name,
        period: state.budget.period,
        limitUsd: state.budget.limitUsd,
        spentUsd: spent,
        resetsAt: state.resetsAt(now, spent, this.prometheusUrl !== undefined),
        reason: spent >= state.budget.limitUsd ? 'exceeded' : 'spend_unknown',
      });
    }
    return undefined;
  }

  /** Fail-closed only: no good read of Prometheus yet, or the last one is too old. */
  private spendUnknown(now: number): boolean {
    if (!this.prometheusUrl || this.options.failMode !== 'closed') return false;
    const max = this.options.maxStalenessMs ?? 3 * (this.options.pollIntervalMs ?? 15_000);
    return this.lastRead === undefined || now - this.lastRead > max;
  }

  /** A finished call's cost, under each of its budgets. */
  addSpend(states: BudgetState[], usd: number): void {
    const now = this.now();
    for (const state of states) {
      state.local.add(now, usd);
      this.instruments?.spend.add(usd, state.spendAttributes);
    }
  }

  /** Reads every budget's spend from Prometheus now (the poll does this every interval). */
  read(): Promise<void> {
    const url = this.prometheusUrl;
    if (!url) return Promise.resolve();
    this.reading ??= this.readAll(url).finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  private async readAll(url: string): Promise<void> {
    const now = this.now();
    const timeout = this.options.timeoutMs ?? 2000;
    try {
      const values = await Promise.all(
        this.states.map((s) => {
          const range = s.rangeSeconds(now);
          if (range < 1) return 0;
          const query = budgetSpendQuery(s.budget.name, range, this.environment, this.recorder);
          return readBudgetSpend(url, query, now, timeout);
        }),
      );
      this.states.forEach((s, i) => {
        s.remote = values[i]!;
        s.remoteStart = s.calendar ? s.calendar.at(now).start : Number.NaN;
      });
      this.lastRead = now;
    } catch (error) {
      this.instruments?.readFailures.add(1, this.environment ? { [ATTR.ENVIRONMENT]: this.environment } : {});
      const closed = this.options.failMode === 'closed';
      this.warnings.warnOnce(
        `budgets:read:${url}`,
        `budgets: cannot read spend from Prometheus at ${url} (${(error as Error).message}). ` +
          (closed
            ? 'Failing closed: calls under a budget are refused while spend is unknown.'
            : "Failing open: calls go through, checked against the last read and this instance's own spend.") +
          ' Counted in llmcost.budget.read_failures; retried every poll interval.',
      );
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
