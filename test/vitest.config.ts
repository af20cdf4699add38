import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'e2e',
    include: ['e2e/**/*.test.ts'],
    // End-to-end tests start real servers (Prometheus, collector) and wait for scrapes.
    testTimeout: 180_000,
    // One file at a time: the fleet test's SIGTERM case measures exact totals through gateway restarts, and
    // another file's collector, Prometheus and app competing for the two CPUs made it miss a restart's counter
    // reset once (py-agent short by $0.0048). Sequential files cost little on a 2-CPU machine.
    fileParallelism: false,
    hookTimeout: 180_000,
    // Costs are checked against the bundled, pinned price data: no live document from the internet may change
    // them mid-run (the live-data tests serve their own document on loopback and name its URL).
    env: { LLMCOST_PRICE_DATA_URL: 'off' },
  },
});
