import type { AttributeValue } from '@opentelemetry/api';
import { MODEL_CALLS } from '../../core/names.js';

/**
 * What a span is to pricing (`model_calls` of packages/contract/telemetry.yaml, which the collector's llmcost
 * processor reads too): `call` (the provider call: priced and metered), `summary` (an agent, workflow, chain,
 * tool or step span, or the outer span of a call, whose usage repeats its children's), `framework` (a
 * framework's own LLM span over the client library's span of the same call), `other` (a client span that is
 * no billed call). Decided from the span alone.
 */
export type ModelCallRole = 'call' | 'summary' | 'framework' | 'other';

type Attrs = Readonly<Record<string, AttributeValue | undefined>>;

interface Condition {
  attribute?: string;
  in?: readonly string[];
  suffix?: readonly string[];
  present?: boolean;
  scope_prefix?: readonly string[];
  name_in?: readonly string[];
}

interface Rule {
  dialect: string;
  role: ModelCallRole;
  when: readonly Condition[];
}

/** The rules (the contract's generator checks their shape: known roles, one kind per condition). */
export const MODEL_CALL_RULES: readonly Rule[] = MODEL_CALLS.rules;

function holds(c: Condition, attrs: Attrs, name: string, scope: string): boolean {
  if (c.scope_prefix) return c.scope_prefix.some((p) => scope.startsWith(p));
  if (c.name_in) return c.name_in.includes(name);
  const v = c.attribute === undefined ? undefined : attrs[c.attribute];
  if (v === undefined) return false;
  if (c.present) return true;
  if (typeof v !== 'string') return false;
  if (c.in) return c.in.includes(v);
  if (c.suffix) return c.suffix.some((s) => v.endsWith(s));
  return false;
}

/**
 * The role of a span from its attributes, name and instrumentation scope name, and the dialect of the rule
 * that decided it; undefined when no rule matched (then a span with token usage is a call, any other no LLM span).
 */
export function modelCallRole(
  attrs: Attrs,
  name: string,
  scope: string,
): { role: ModelCallRole; dialect: string } | undefined {
  for (const rule of MODEL_CALL_RULES) {
    if (rule.when.every((c) => holds(c, attrs, name, scope))) return { role: rule.role, dialect: rule.dialect };
  }
  return undefined;
}
