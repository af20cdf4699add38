/** genai-prices' model match logic (equals, starts_with, ends_with, contains, regex, and, or), case-insensitive but regex. */
export type MatchLogic =
  | { equals: string }
  | { starts_with: string }
  | { ends_with: string }
  | { contains: string }
  | { regex: string }
  | { and: MatchLogic[] }
  | { or: MatchLogic[] };

export function matches(logic: MatchLogic, value: string): boolean {
  const v = value.toLowerCase();
  if ('or' in logic) return logic.or.some((l) => matches(l, value));
  if ('and' in logic) return logic.and.every((l) => matches(l, value));
  if ('equals' in logic) return v === logic.equals.toLowerCase();
  if ('starts_with' in logic) return v.startsWith(logic.starts_with.toLowerCase());
  if ('ends_with' in logic) return v.endsWith(logic.ends_with.toLowerCase());
  if ('contains' in logic) return v.includes(logic.contains.toLowerCase());
  if ('regex' in logic) return new RegExp(logic.regex).test(value);
  return false;
}
