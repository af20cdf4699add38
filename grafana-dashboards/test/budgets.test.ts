import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BudgetConfigError, loadBudgets, parseBudgets } from '../src/budgets.ts';
import { budgetsFile } from '../src/render.ts';

const ok = `budgets:
  - name: search-daily
    selector: { dimension: team, value: search }
    period: daily
    limit_usd: 50
`;

function errorOf(text: string): string {
  try {
    parseBudgets(text, 'budgets.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(BudgetConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a BudgetConfigError');
}

describe('budgets.yaml loader', () => {
  it('loads the committed budgets.yaml', () => {
    const budgets = loadBudgets(budgetsFile);
    expect(budgets.length).toBeGreaterThan(0);
    expect(budgets[0]).toEqual({
      name: 'search-team-daily',
      dimension: 'team',
      value: 'search',
      period: 'daily',
      limitUsd: 50,
      warningFraction: 0.8,
    });
  });

  it('reads calendar periods with their time zone, user and attribute selectors', () => {
    const text = `budgets:
  - { name: a, selector: { dimension: user, value: u1 }, period: calendar_week, time_zone: Europe/Berlin, limit_usd: 5 }
  - { name: b, selector: { attribute: app.plan, value: free }, period: calendar_month, limit_usd: 9 }
`;
    expect(parseBudgets(text, 'b.yaml')).toEqual([
      {
        name: 'a',
        dimension: 'user',
        value: 'u1',
        period: 'calendar_week',
        timeZone: 'Europe/Berlin',
        limitUsd: 5,
        warningFraction: 0.8,
      },
      {
        name: 'b',
        dimension: 'attribute',
        attribute: 'app.plan',
        value: 'free',
        period: 'calendar_month',
        timeZone: 'UTC',
        limitUsd: 9,
        warningFraction: 0.8,
      },
    ]);
  });

  it('defaults warning_fraction to 0.8', () => {
    expect(parseBudgets(ok, 'b.yaml')[0]!.warningFraction).toBe(0.8);
  });

  it.each([
    ['not yaml: [', /budgets\.yaml: not valid YAML/],
    ['other: 1', /budgets\.yaml: expected a top-level key "budgets" holding a list/],
    [
      ok.replace('limit_usd: 50', 'limit_usd: "50"'),
      /budget "search-daily" \(budgets\[0\]\): field "limit_usd" must be a positive number of USD.*got "50"/,
    ],
    [ok.replace('limit_usd: 50', 'limit_usd: -1'), /field "limit_usd" must be a positive number/],
    [
      ok.replace('period: daily', 'period: hourly'),
      /field "period" must be one of daily, weekly, monthly, calendar_day, calendar_week, calendar_month, got "hourly"/,
    ],
    [
      ok.replace('dimension: team', 'dimension: plan'),
      /field "selector.dimension" must be one of team, feature, customer, service, user \(or use "attribute: <key>"\), got "plan"/,
    ],
    [
      ok.replace('dimension: team', 'dimension: team, attribute: app.plan'),
      /field "selector" must have either "dimension" or "attribute", not both/,
    ],
    [
      ok.replace('dimension: team', 'attribute: "app plan"'),
      /field "selector.attribute" must be an attribution attribute key/,
    ],
    [ok.replace('dimension: team', 'dimension: team, team: x'), /field "selector.team" is not a selector field/],
    [
      ok.replace('period: daily', 'period: calendar_day\n    time_zone: Mars/Olympus'),
      /budget "search-daily" \(budgets\[0\]\): field "time_zone" must be an IANA time zone.*got "Mars\/Olympus"/,
    ],
    [`${ok}    time_zone: UTC\n`, /field "time_zone" applies only to calendar periods .*not to "daily"/],
    [ok.replace('value: search', 'value: ""'), /field "selector.value" must be a non-empty label value/],
    [
      ok.replace('name: search-daily', 'name: Search Daily'),
      /budget "Search Daily" \(budgets\[0\]\): field "name" must be a lower-case name/,
    ],
    [`${ok}    warning_fraction: 1.5\n`, /field "warning_fraction" must be a number between 0 and 1/],
    [`${ok}    limit: 3\n`, /field "limit" is not a budget field/],
    [`${ok}${ok.replace('budgets:\n', '')}`, /budget "search-daily" \(budgets\[1\]\): field "name" must be unique/],
    ['budgets:\n  - 3\n', /budget \(budgets\[0\]\): expected a mapping, got 3/],
  ])('rejects a bad file with a message naming file, budget and field (%#)', (text, message) => {
    expect(errorOf(text)).toMatch(message);
  });

  it('names the file when it cannot be read or parsed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'budgets-'));
    const file = join(dir, 'team-budgets.yaml');
    expect(() => loadBudgets(file)).toThrow(/team-budgets\.yaml: cannot read the budgets file/);
    writeFileSync(file, ok.replace('period: daily', 'period: 3'));
    expect(() => loadBudgets(file)).toThrow(new RegExp(`${file.replace(/[.]/g, '\\.')}: budget "search-daily"`));
  });
});
