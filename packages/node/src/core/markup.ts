import { readFileSync } from 'node:fs';
import { parseYamlOrJson, roundUsd } from '@otel-llm-cost/pricing';
import type { Warnings } from './warn.js';

/**
 * Per-customer markup (`pricing.markup`): what a call is billed to its customer, next to what it cost. This is
 * your billing policy, not provider price data, so it lives here and not in @otel-llm-cost/pricing. The config
 * is validated and compiled once; per priced call it costs one Map lookup and a few multiplications.
 *
 *   billed = cost × multiplier + input tokens × perMillionTokens.input / 1e6 + output tokens × perMillionTokens.output / 1e6
 *
 * The rule of a call: its customer's own rule, else its customer's plan, else `default`. A call without a
 * customer (no `app.customer.id` in its attribution), or whose customer has no rule while there is no default,
 * gets no billed cost; so does every unpriced call (a billed price is never given without a cost).
 */

/** How one customer (or plan) is billed. `multiplier` defaults to 1 when only a surcharge is given. */
export interface MarkupRule {
  /** Billed = cost × multiplier (1.3 = 30% over cost). A number >= 0. */
  multiplier?: number;
  /** A surcharge in USD per million tokens, added on top: input counts every input token (cache reads and
   *  writes included), output every output token (reasoning included). */
  perMillionTokens?: { input?: number; output?: number };
}

export interface MarkupConfig {
  /** The rule of every customer that has none of its own. Without it, such customers get no billed cost. */
  default?: MarkupRule;
  /** Named rules that customers refer to with `{ plan: name }`. */
  plans?: Record<string, MarkupRule>;
  /** Per customer id (`app.customer.id`): its plan, or a rule of its own. */
  customers?: Record<string, { plan: string } | MarkupRule>;
}

export class MarkupError extends Error {
  override name = 'MarkupError';
}

/** A validated rule: billed = cost × multiplier + (input × inputPerM + output × outputPerM) / 1e6. */
interface CompiledRule {
  multiplier: number;
  inputPerM: number;
  outputPerM: number;
}

/** The compiled markup of one runtime. */
export class Markup {
  constructor(
    private readonly customers: ReadonlyMap<string, CompiledRule>,
    private readonly fallback: CompiledRule | undefined,
  ) {}

  /** USD billed for a priced call (rounded to 1e-10), or undefined when no rule applies to its customer. */
  billed(customer: unknown, cost: number, inputTokens: number, outputTokens: number): number | undefined {
    // A numeric id (an int attribute) is the customer's id as the metric label writes it.
    const id = typeof customer === 'string' || typeof customer === 'number' ? String(customer) : '';
    if (id === '') return undefined;
    const rule = this.customers.get(id) ?? this.fallback;
    if (!rule) return undefined;
    return roundUsd(cost * rule.multiplier + (inputTokens * rule.inputPerM + outputTokens * rule.outputPerM) / 1e6);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nonNegative(value: unknown, where: string, example: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  throw new MarkupError(`${where} must be a number >= 0, e.g. ${example} (got ${JSON.stringify(value)})`);
}

function unknownKeys(obj: Record<string, unknown>, known: string[], where: string): void {
  for (const key of Object.keys(obj)) {
    if (!known.includes(key))
      throw new MarkupError(`${where}.${key} is not a markup setting; use ${known.join(' or ')}`);
  }
}

function compileRule(raw: unknown, where: string): CompiledRule {
  if (!isObject(raw)) {
    throw new MarkupError(`${where} must be a rule such as { multiplier: 1.3 } (got ${JSON.stringify(raw)})`);
  }
  unknownKeys(raw, ['multiplier', 'perMillionTokens'], where);
  if (raw.multiplier === undefined && raw.perMillionTokens === undefined) {
    throw new MarkupError(
      `${where} is empty: give multiplier (e.g. 1.3) and/or perMillionTokens (e.g. { input: 0.5, output: 1 })`,
    );
  }
  const multiplier = raw.multiplier === undefined ? 1 : nonNegative(raw.multiplier, `${where}.multiplier`, '1.3');
  let inputPerM = 0;
  let outputPerM = 0;
  const per = raw.perMillionTokens;
  if (per !== undefined) {
    const at = `${where}.perMillionTokens`;
    if (!isObject(per)) {
      throw new MarkupError(
        `${at} must be { input?: USD, output?: USD } per million tokens (got ${JSON.stringify(per)})`,
      );
    }
    unknownKeys(per, ['input', 'output'], at);
    if (per.input !== undefined) inputPerM = nonNegative(per.input, `${at}.input`, '0.5 (USD per million tokens)');
    if (per.output !== undefined) outputPerM = nonNegative(per.output, `${at}.output`, '1 (USD per million tokens)');
  }
  return { multiplier, inputPerM, outputPerM };
}

function section(raw: unknown, where: string): Record<string, unknown> {
  if (raw === undefined || raw === null) return {};
  if (!isObject(raw)) throw new MarkupError(`${where} must be a map of names to entries (got ${JSON.stringify(raw)})`);
  return raw;
}

/** Validates a markup config; an error names `origin` and the field, and says how to fix it. */
export function compileMarkup(config: unknown, origin: string): Markup {
  try {
    if (!isObject(config)) {
      throw new MarkupError(
        'expected a map with default, plans and/or customers, e.g. { default: { multiplier: 1.3 } }',
      );
    }
    unknownKeys(config, ['default', 'plans', 'customers'], 'markup');
    const fallback = config.default === undefined ? undefined : compileRule(config.default, 'default');
    const plans = new Map<string, CompiledRule>();
    for (const [name, rule] of Object.entries(section(config.plans, 'plans'))) {
      plans.set(name, compileRule(rule, `plans.${name}`));
    }
    const customers = new Map<string, CompiledRule>();
    for (const [id, entry] of Object.entries(section(config.customers, 'customers'))) {
      const where = `customers.${id}`;
      if (isObject(entry) && 'plan' in entry) {
        if (Object.keys(entry).length > 1) {
          throw new MarkupError(`${where} gives a plan and more: give either { plan: name } or a rule of its own`);
        }
        const plan = typeof entry.plan === 'string' ? plans.get(entry.plan) : undefined;
        if (!plan) {
          const known = [...plans.keys()];
          throw new MarkupError(
            `${where}.plan: no plan ${JSON.stringify(entry.plan)} in plans; ${known.length ? `use one of ${known.join(', ')}` : 'add it under plans'}`,
          );
        }
        customers.set(id, plan);
      } else {
        customers.set(id, compileRule(entry, where));
      }
    }
    if (!fallback && customers.size === 0) {
      throw new MarkupError('names no customer and no default, so no call would be billed; add default or customers');
    }
    return new Markup(customers, fallback);
  } catch (error) {
    if (error instanceof MarkupError) throw new MarkupError(`${origin}: ${error.message}`);
    throw error;
  }
}

/** Reads and validates a markup file (YAML, or JSON by its `.json` extension). */
export function loadMarkupFile(path: string): Markup {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new MarkupError(`markup file ${path} cannot be read: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parseYamlOrJson(text, path);
  } catch (err) {
    throw new MarkupError((err as Error).message);
  }
  return compileMarkup(doc, `markup file ${path}`);
}

/**
 * The runtime's markup: `pricing.markup` (a config or a file path), else the LLMCOST_MARKUP file; undefined when
 * none is set. A bad config must not take the app down: one warning names the problem, and calls are still
 * priced, only without a billed cost.
 */
export function markupFor(
  option: string | MarkupConfig | undefined,
  warnings: Warnings,
  env: NodeJS.ProcessEnv = process.env,
): Markup | undefined {
  const source = option ?? (env.LLMCOST_MARKUP || undefined);
  if (source === undefined) return undefined;
  try {
    return typeof source === 'string' ? loadMarkupFile(source) : compileMarkup(source, 'pricing.markup');
  } catch (error) {
    if (!(error instanceof MarkupError)) throw error;
    warnings.warnOnce(
      `markup:${error.message}`,
      `${error.message}. The markup is ignored until this is fixed: calls are still priced, without llmcost.billed_cost.`,
    );
    return undefined;
  }
}
