// A minimal client of the Prometheus HTTP API (query, query_range, label values), with errors that say which
// query failed and why.

export interface Sample {
  metric: Record<string, string>;
  value?: [number, string];
  values?: Array<[number, string]>;
}

async function get<T>(url: string): Promise<T> {
  const res = await fetch(url);
  const body = (await res.json()) as { status: string; data: T; error?: string; errorType?: string };
  if (body.status !== 'success') throw new Error(`${body.errorType ?? 'error'}: ${body.error ?? res.statusText}`);
  return body.data;
}

export async function instantQuery(prom: string, expr: string, time: number): Promise<Sample[]> {
  const q = new URLSearchParams({ query: expr, time: String(time) });
  const data = await get<{ resultType: string; result: Sample[] | [number, string] }>(`${prom}/api/v1/query?${q}`);
  if (data.resultType === 'scalar') return [{ metric: {}, value: data.result as [number, string] }];
  return data.result as Sample[];
}

export async function rangeQuery(
  prom: string,
  expr: string,
  start: number,
  end: number,
  step: number,
): Promise<Sample[]> {
  const q = new URLSearchParams({ query: expr, start: String(start), end: String(end), step: String(step) });
  return (await get<{ result: Sample[] }>(`${prom}/api/v1/query_range?${q}`)).result;
}

export async function labelValues(
  prom: string,
  label: string,
  match: string,
  start: number,
  end: number,
): Promise<string[]> {
  const q = new URLSearchParams({ 'match[]': match, start: String(start), end: String(end) });
  return get<string[]>(`${prom}/api/v1/label/${encodeURIComponent(label)}/values?${q}`);
}
