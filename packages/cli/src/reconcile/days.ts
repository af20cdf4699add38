/** UTC days: the unit both providers bucket their reports in. */

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
export const DAY_SECONDS = 86_400;

export function today(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Unix seconds of 00:00:00 UTC of the day. */
export function dayStart(day: string): number {
  if (!DAY_RE.test(day)) throw new Error(`"${day}" is not a day; use YYYY-MM-DD (a UTC day)`);
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day) {
    throw new Error(`"${day}" is not a day; use YYYY-MM-DD (a UTC day)`);
  }
  return ms / 1000;
}

export function dayOf(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().slice(0, 10);
}

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const a = dayStart(from);
  const b = dayStart(to);
  if (b < a) throw new Error(`--to ${to} is before --from ${from}`);
  const out: string[] = [];
  for (let t = a; t <= b; t += DAY_SECONDS) out.push(dayOf(t));
  return out;
}

export function rfc3339(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace('.000Z', 'Z');
}
