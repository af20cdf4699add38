// The committed Prometheus rule files (rules/*.yaml: recording, alert and budget rules), as absolute paths for
// a Prometheus that loads them: the dashboards proof, the end-to-end tests and the demo.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export const rulesDir = join(import.meta.dirname, '..', '..', 'rules');

export function committedRuleFiles(): string[] {
  return readdirSync(rulesDir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(rulesDir, f));
}
