/**
 * genai-prices' match logic (equals, starts_with, ends_with, contains, regex, and, or). As in genai-prices,
 * names are compared lowercased, and a regex searches the lowercased name.
 */
export type MatchLogic =
  | { equals: string }
  | { starts_with: string }
  | { ends_with: string }
  | { contains: string }
  | { regex: string }
  | { and: MatchLogic[] }
  | { or: MatchLogic[] };

const regexes = new Map<string, RegExp>();

function regex(source: string): RegExp {
  let r = regexes.get(source);
  if (!r) {
    r = new RegExp(source);
    regexes.set(source, r);
  }
  return r;
}

/** Whether `value` (any case) matches the logic. */
export function matches(logic: MatchLogic, value: string): boolean {
  return matchesLower(logic, value.toLowerCase());
}

function matchesLower(logic: MatchLogic, v: string): boolean {
  if ('or' in logic) return logic.or.some((l) => matchesLower(l, v));
  if ('and' in logic) return logic.and.every((l) => matchesLower(l, v));
  if ('equals' in logic) return v === logic.equals.toLowerCase();
  if ('starts_with' in logic) return v.startsWith(logic.starts_with.toLowerCase());
  if ('ends_with' in logic) return v.endsWith(logic.ends_with.toLowerCase());
  if ('contains' in logic) return v.includes(logic.contains.toLowerCase());
  if ('regex' in logic) return regex(logic.regex).test(v);
  return false;
}
