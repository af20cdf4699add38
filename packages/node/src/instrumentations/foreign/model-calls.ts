import type { AttributeValue } from '@opentelemetry/api';
// The one table of which spans are model calls, shared with the collector's llmcost processor (which embeds a
// byte-identical copy; a test here and one in Go check it). Bundled into dist by tsup.
import table from '../../../../contract/model-calls.json' with { type: 'json' };

/**
 * What a span is to pricing (packages/contract/model-calls.json): `call` (the provider call: priced and
 * metered), `summary` (an agent, workflow, chain, tool or step span, or the outer span of a call, whose usage
 * repeats its children's), `framework` (a framework's own LLM span over the client library's span of the
 * same call), `other` (a client span that is no billed call). Decided from the span alone.
 */
export type ModelCallRole = 'call' | 'summary' | 'framework' | 'other';

type Attrs = Readonly<Record<string, AttributeValue | undefined>>;

interface Condition {
  attribute?: string;
  in?: string[];
  suffix?: string[];
  present?: boolean;
  scope_prefix?: string[];
  name_in?: string[];
}

interface Rule {
  dialect: string;
  role: ModelCallRole;
  when: Condition[];
}

const ROLES = new Set<string>(['call', 'summary', 'framework', 'other']);

/** The rules, checked once at load: a role the table describes, one kind per condition. */
export const MODEL_CALL_RULES: readonly Rule[] = (table.rules as Rule[]).map((rule, i) => {
  if (!ROLES.has(rule.role) || !(rule.role in table.roles)) {
    throw new Error(`model-calls.json rule ${i} (${rule.dialect}): unknown role ${rule.role}`);
  }
  for (const c of rule.when) {
    const kinds = [c.in, c.suffix, c.present, c.scope_prefix, c.name_in].filter((k) => k !== undefined).length;
    if (kinds !== 1) throw new Error(`model-calls.json rule ${i} (${rule.dialect}): a condition needs one kind`);
  }
  return rule;
});

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
