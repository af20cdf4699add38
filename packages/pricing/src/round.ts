/** Every USD figure is rounded to 1e-10 USD, so float noise never shows: 1234 tokens at $2.50/M is 0.003085. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e10) / 1e10;
}
