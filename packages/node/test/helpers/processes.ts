import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const APPS_DIR = fileURLToPath(new URL('../apps/', import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Example apps load the published entry points (dist/), as users do. Rebuild the JavaScript (not the
 * .d.ts, which the apps do not need) so they never run a stale build.
 */
export function ensureBuilt(): void {
  const tsup = `${PACKAGE_DIR}../../node_modules/.bin/tsup`;
  const args = ['src/index.ts', 'src/register.ts', '--format', 'esm,cjs', '--shims', '--target', 'node22', '--silent'];
  execFileSync(existsSync(tsup) ? tsup : 'npx', existsSync(tsup) ? args : ['tsup', ...args], {
    cwd: PACKAGE_DIR,
    stdio: 'ignore',
  });
}

export interface AppResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Environment for child apps: no OTEL_* leaking in from the test runner. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('OTEL_') && !k.startsWith('VITEST')) env[k] = v;
  return { ...env, ...extra };
}

export function startApp(
  args: string[],
  env: Record<string, string>,
): { child: ChildProcess; done: Promise<AppResult> } {
  const child = spawn(process.execPath, args, { cwd: APPS_DIR, env: cleanEnv(env) });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const done = new Promise<AppResult>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export function runApp(args: string[], env: Record<string, string>): Promise<AppResult> {
  return startApp(args, env).done;
}

/** Resolves with the first stdout line matching `pattern`. */
export function waitForLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d;
      const line = buf.split('\n').find((l) => pattern.test(l));
      if (line) {
        child.stdout?.off('data', onData);
        resolve(line);
      }
    };
    child.stdout?.on('data', onData);
    child.on('close', () => reject(new Error(`app exited before printing ${pattern}`)));
  });
}
