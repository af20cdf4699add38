import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/register.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  shims: true,
  target: 'node22',
  esbuildOptions(options) {
    // sdk/load.ts reads import.meta.resolve, which the CJS build has not (it then takes the CJS entries): expected.
    options.logOverride = { ...options.logOverride, 'empty-import-meta': 'silent' };
  },
});
