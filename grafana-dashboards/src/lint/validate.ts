// Validates dashboard JSON against what the foundation SDK's Dashboard type requires and what Grafana 11 and 12
// need to import it: known schema version, core panel types, a sane grid, unique ids, well-formed variables.
import type { Dashboard, Panel } from '@grafana/grafana-foundation-sdk/dashboard';

/** Grafana 11.0 writes schema version 39, Grafana 12.x up to 42; both import (and migrate) anything in between. */
export const SCHEMA_VERSIONS = { min: 39, max: 42 };
const CORE_PANELS = new Set(['row', 'stat', 'timeseries', 'table', 'bargauge', 'gauge', 'piechart', 'text']);
const VARIABLE_TYPES = new Set(['query', 'datasource', 'custom', 'constant', 'interval', 'textbox', 'adhoc']);

function isInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n);
}

export function validateDashboard(json: unknown): string[] {
  const problems: string[] = [];
  if (typeof json !== 'object' || json === null) return ['dashboard JSON must be an object'];
  const d = json as Dashboard;
  const at = `dashboard ${JSON.stringify(d.title ?? '?')}`;
  if (typeof d.title !== 'string' || d.title === '') problems.push(`${at}: title must be a non-empty string`);
  if (typeof d.uid !== 'string' || !/^[a-zA-Z0-9_-]{1,40}$/.test(d.uid)) {
    problems.push(`${at}: uid must be 1-40 characters of [a-zA-Z0-9_-], is ${JSON.stringify(d.uid)}`);
  }
  if ('id' in d && d.id !== null && d.id !== undefined)
    problems.push(`${at}: must not carry a database id (import would clash)`);
  if (!isInt(d.schemaVersion) || d.schemaVersion < SCHEMA_VERSIONS.min || d.schemaVersion > SCHEMA_VERSIONS.max) {
    problems.push(
      `${at}: schemaVersion must be ${SCHEMA_VERSIONS.min}..${SCHEMA_VERSIONS.max} (Grafana 11/12), is ${d.schemaVersion}`,
    );
  }
  if (!d.time || typeof d.time.from !== 'string' || typeof d.time.to !== 'string')
    problems.push(`${at}: time.from/to missing`);
  const vars = d.templating?.list;
  if (!Array.isArray(vars)) problems.push(`${at}: templating.list must be an array`);
  const names = new Set<string>();
  for (const v of vars ?? []) {
    if (typeof v.name !== 'string' || !/^\w+$/.test(v.name))
      problems.push(`${at}: variable name ${JSON.stringify(v.name)} invalid`);
    if (names.has(v.name)) problems.push(`${at}: variable ${v.name} defined twice`);
    names.add(v.name);
    if (!VARIABLE_TYPES.has(v.type))
      problems.push(`${at}: variable ${v.name} has unknown type ${JSON.stringify(v.type)}`);
  }
  if (!Array.isArray(d.panels) || d.panels.length === 0) return [...problems, `${at}: has no panels`];
  const ids = new Set<number>();
  for (const p of d.panels as Panel[]) {
    const where = `${at} / panel ${JSON.stringify(p.title)}`;
    if (!CORE_PANELS.has(p.type))
      problems.push(`${where}: type ${JSON.stringify(p.type)} is not a core panel of Grafana 11/12`);
    if (!isInt(p.id) || ids.has(p.id)) problems.push(`${where}: id must be a unique integer, is ${p.id}`);
    else ids.add(p.id);
    const g = p.gridPos;
    if (!g || ![g.x, g.y, g.w, g.h].every(isInt) || g.x < 0 || g.w < 1 || g.x + g.w > 24 || g.h < 1 || g.y < 0) {
      problems.push(`${where}: gridPos must be integers within the 24-column grid, is ${JSON.stringify(g)}`);
    }
    if (p.type !== 'row') {
      if (!Array.isArray(p.targets) || p.targets.length === 0) problems.push(`${where}: has no targets`);
      const refIds = (p.targets ?? []).map((t) => (t as { refId?: unknown }).refId);
      if (refIds.some((r) => typeof r !== 'string') || new Set(refIds).size !== refIds.length) {
        problems.push(`${where}: every target needs a unique refId`);
      }
      if (typeof p.fieldConfig?.defaults !== 'object') problems.push(`${where}: fieldConfig.defaults missing`);
    }
  }
  return problems;
}
