import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'e2e',
    include: ['e2e/**/*.test.ts'],
    // End-to-end tests start real servers (Prometheus, collector) and wait for scrapes.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
