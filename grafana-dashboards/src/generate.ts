// CLI: `node --experimental-strip-types src/generate.ts` writes generated/*.json and rules/*.yaml;
// with `--check` it writes nothing and exits 1 if a committed file differs from what the source renders.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageDir, renderAll } from './render.ts';

export function driftedFiles(): string[] {
  const drifted: string[] = [];
  for (const [path, content] of renderAll()) {
    let current: string | undefined;
    try {
      current = readFileSync(join(packageDir, path), 'utf8');
    } catch {
      current = undefined;
    }
    if (current !== content) drifted.push(path);
  }
  return drifted;
}

function main(): void {
  if (process.argv.includes('--check')) {
    const drifted = driftedFiles();
    if (drifted.length > 0) {
      console.error(
        `grafana-dashboards: these generated files differ from what src/ renders: ${drifted.join(', ')}\n` +
          'Fix: run `npm run generate -w grafana-dashboards` and commit the result.',
      );
      process.exit(1);
    }
    console.log('grafana-dashboards: generated files are up to date');
    return;
  }
  for (const [path, content] of renderAll()) writeFileSync(join(packageDir, path), content);
  console.log(`grafana-dashboards: wrote ${[...renderAll().keys()].join(', ')}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
