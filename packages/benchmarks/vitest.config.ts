import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'benchmarks',
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['test/**/*.test.ts'],
    // The harness forks one process per scenario; the test checks that it works, never how fast anything is.
    testTimeout: 60_000,
  },
});
