import { defineConfig } from 'vitest/config';

// One vitest run covers every TypeScript part; each part keeps its tests beside its code.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', '{grafana-dashboards,test}/vitest.config.ts'],
  },
});
