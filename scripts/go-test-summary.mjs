// Prints the failed Go tests (with their output) and the counts, from `go test -json` output.
import { readFileSync } from 'node:fs';

export function goResults(path) {
  const out = new Map();
  const log = new Map();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    const e = JSON.parse(line);
    if (!e.Test) continue;
    const key = `${e.Package} ${e.Test}`;
    if (e.Action === 'output') log.set(key, (log.get(key) ?? '') + e.Output);
    if (['pass', 'fail', 'skip'].includes(e.Action)) out.set(key, e.Action);
  }
  return { out, log };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { out, log } = goResults(process.argv[2]);
  const count = (a) => [...out.values()].filter((v) => v === a).length;
  for (const [k, v] of out) if (v === 'fail') console.log(`--- FAIL ${k}\n${log.get(k) ?? ''}`);
  console.log(`go test: ${count('pass')} passed, ${count('fail')} failed, ${count('skip')} skipped`);
}
