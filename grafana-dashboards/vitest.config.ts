import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'dashboards',
    include: ['test/**/*.test.ts'],
    // promtool unit tests of the 7-day rules evaluate many steps; give them room.
    testTimeout: 120_000,
  },
});
