import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'node',
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Tests start real HTTP servers and child processes; init() is process-global.
    pool: 'forks',
    testTimeout: 30_000,
    // Costs are checked against the bundled, pinned price data: no live document from the internet may change
    // them mid-run (the live-data tests serve their own document on loopback and name its URL).
    env: { LLMCOST_PRICE_DATA_URL: 'off' },
  },
});
