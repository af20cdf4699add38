// Locates the Prometheus binaries (Debian's `prometheus` package, or PROMETHEUS_BIN / PROMTOOL_BIN).
import { execFileSync } from 'node:child_process';

function which(name: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export function findPromtool(): string | undefined {
  return process.env.PROMTOOL_BIN ?? which('promtool');
}

export function findPrometheus(): string | undefined {
  return process.env.PROMETHEUS_BIN ?? which('prometheus');
}

export const installHint =
  'Install it with scripts/install-prometheus.sh (Debian package "prometheus"), or set PROMTOOL_BIN / PROMETHEUS_BIN.';

/** Under CI=true a missing tool is an error; locally the tests that need it are skipped with this reason. */
export function missingToolPolicy(tool: string, path: string | undefined): { skip: boolean; reason: string } {
  if (path) return { skip: false, reason: '' };
  const reason = `${tool} not found on PATH. ${installHint}`;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`CI is set and ${reason}`);
  return { skip: true, reason };
}
