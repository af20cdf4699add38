import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const APPS_DIR = fileURLToPath(new URL('../apps/', import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));

function newestSourceTime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceTime(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Example apps load the published entry points (dist/), as users do. Rebuilds the JavaScript (not the .d.ts,
 * which the apps do not need) only when dist/ is missing or older than src/, so that a CI run that built
 * first never rewrites files other test processes may be reading.
 */
export function ensureBuilt(): void {
  const outputs = ['index.js', 'index.cjs', 'register.js', 'register.cjs'].map((f) => `${PACKAGE_DIR}dist/${f}`);
  const built = outputs.every((f) => existsSync(f)) ? Math.min(...outputs.map((f) => statSync(f).mtimeMs)) : 0;
  if (built > newestSourceTime(`${PACKAGE_DIR}src`)) return;
  const tsup = `${PACKAGE_DIR}../../node_modules/.bin/tsup`;
  // --no-config: not tsup.config.ts, whose clean and dts a rebuild under running tests must not do.
  const args = [
    'src/index.ts',
    'src/register.ts',
    '--no-config',
    '--format',
    'esm,cjs',
    '--shims',
    '--target',
    'node22',
    '--silent',
  ];
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
