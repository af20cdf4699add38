// One closing line for the whole run, over go test -json and vitest's JSON reports: "N passed, N failed".
import { existsSync, readFileSync } from 'node:fs';
import { goResults } from './go-test-summary.mjs';

const [goPath, ...vitestPaths] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(goPath)) {
  for (const v of goResults(goPath).out.values()) {
    if (v === 'pass') passed++;
    else if (v === 'fail') failed++;
    else skipped++;
  }
} else {
  console.log('no Go test results');
  failed++;
}
for (const vitestPath of vitestPaths) {
  if (existsSync(vitestPath)) {
    const r = JSON.parse(readFileSync(vitestPath, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests + (r.numFailedTestSuites ?? 0);
    skipped += r.numPendingTests + r.numTodoTests;
  } else {
    console.log(`no vitest results in ${vitestPath}`);
    failed++;
  }
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
