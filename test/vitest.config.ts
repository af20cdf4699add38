import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'e2e',
    include: ['e2e/**/*.test.ts'],
    // End-to-end tests start real servers (Prometheus, collector) and wait for scrapes.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Costs are checked against the bundled, pinned price data: no live document from the internet may change
    // them mid-run (the live-data tests serve their own document on loopback and name its URL).
    env: { LLMCOST_PRICE_DATA_URL: 'off' },
  },
});
