import { describe, expect, it } from 'vitest';
import { formatTable, spendPromQL } from '../src/index.js';

describe('spend queries', () => {
  it('sums the cost counter by the dimension over a range', () => {
    expect(spendPromQL({ by: 'feature', range: '24h' })).toBe(
      'sum by (app_feature) (increase(llmcost_cost_USD_total{}[24h]))',
    );
  });

  it('"all" reads the counters as they stand (spend since the apps started)', () => {
    expect(spendPromQL({ by: 'customer', range: 'all', where: { team: 'search' } })).toBe(
      'sum by (app_customer_id) (llmcost_cost_USD_total{app_team="search"})',
    );
  });

  it.each([
    [{ by: 'colour', range: '1h' }, /unknown dimension "colour"; use one of feature, customer/],
    [{ by: 'team', range: 'yesterday' }, /range "yesterday" is not a Prometheus duration/],
    [{ by: 'team', range: '1h', where: { 'bad label': 'x' } }, /"bad label" is not a dimension/],
  ])('rejects %j with a message that says what to use', (q, message) => {
    expect(() => spendPromQL(q as never)).toThrow(message);
  });

  it('formats a table with shares and a total', () => {
    const table = formatTable('feature', [
      { value: 'search', usd: 0.75 },
      { value: 'chat', usd: 0.25 },
    ]);
    expect(table.split('\n')).toEqual([
      'feature     spend (USD)   share',
      '-------  --------------  ------',
      'search        $0.750000   75.0%',
      'chat          $0.250000   25.0%',
      'total         $1.000000        ',
    ]);
  });
});
