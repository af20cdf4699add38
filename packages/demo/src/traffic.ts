/** Simulated customers of the sample app: who calls which route how often. Deterministic. */

export interface Visit {
  /** The provider rejects this visit's LLM call. */
  fails: boolean;
  path: string;
  body: Record<string, string>;
  headers: Record<string, string>;
}

/** A question the simulator answers with HTTP 400, so that the demo shows failed calls too. */
export const INVALID_TEMPERATURE = 7;

const CUSTOMERS = [
  { id: 'acme', users: ['ana', 'bo'], weight: 5 },
  { id: 'globex', users: ['chen', 'dee'], weight: 3 },
  { id: 'initech', users: ['eve'], weight: 1 },
];
const ROUTES: { path: string; team: string; body: Record<string, string> }[] = [
  { path: '/api/support/chat', team: 'support', body: { question: 'Where is my order?' } },
  { path: '/api/search', team: 'search', body: { query: 'waterproof hiking boots' } },
  { path: '/api/research', team: 'research', body: { topic: 'Return policies of our top competitors' } },
  { path: '/api/docs/summarize', team: 'support', body: { document: 'Q3 returns report: ...' } },
  { path: '/api/moderate', team: 'trust', body: { text: 'Great boots, arrived fast!' } },
  // The provider rejects this one (HTTP 400): a failed call, with an error type and no cost.
  { path: '/api/support/chat', team: 'support', body: { question: `Use temperature ${INVALID_TEMPERATURE}` } },
];

export function visits(rounds: number): Visit[] {
  const out: Visit[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const customer of CUSTOMERS) {
      for (let w = 0; w < customer.weight; w++) {
        const route = ROUTES[(round + w) % ROUTES.length]!;
        const user = customer.users[(round + w) % customer.users.length]!;
        out.push({
          fails: route.body.question?.includes(`temperature ${INVALID_TEMPERATURE}`) ?? false,
          path: route.path,
          body: route.body,
          headers: { 'x-customer-id': customer.id, 'x-user-id': user, 'x-team': route.team },
        });
      }
    }
  }
  return out;
}

/** Sends the visits to the app, `concurrency` at a time; returns how many answered 2xx. */
export async function drive(appUrl: string, list: Visit[], concurrency = 4): Promise<{ ok: number; failed: number }> {
  let ok = 0;
  let failed = 0;
  let next = 0;
  async function worker() {
    while (next < list.length) {
      const v = list[next++]!;
      const res = await fetch(`${appUrl}${v.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...v.headers },
        body: JSON.stringify(v.body),
      });
      await res.arrayBuffer();
      if (res.ok) ok++;
      else failed++;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { ok, failed };
}
