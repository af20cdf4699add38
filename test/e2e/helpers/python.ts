import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@otel-llm-cost/testkit';

/** The Python services of the e2e tests: test/e2e/python (app.py, pinned requirements.txt). */
export const PYTHON_DIR = join(import.meta.dirname, '..', 'python');
const CACHE = join(REPO_ROOT, '.cache', 'python-e2e');
const VENV = join(CACHE, 'venv');
const STAMP = join(CACHE, 'requirements.sha256');

/**
 * The venv's python, with test/e2e/python/requirements.txt installed (from PyPI, once: it is reinstalled only
 * when the requirements or the system python change; the hash of both is kept beside the venv).
 */
export function pythonVenv(): string {
  const python = join(VENV, 'bin', 'python');
  const system = execFileSync('python3', ['--version'], { encoding: 'utf8' }).trim();
  const want = createHash('sha256')
    .update(readFileSync(join(PYTHON_DIR, 'requirements.txt')))
    .update(system)
    .digest('hex');
  if (existsSync(python) && existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === want) return python;
  rmSync(VENV, { recursive: true, force: true });
  mkdirSync(CACHE, { recursive: true });
  const run = (cmd: string, args: string[]) => {
    try {
      execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    } catch (err) {
      const e = err as { stderr?: string; stdout?: string };
      throw new Error(`${cmd} ${args.join(' ')} failed:\n${e.stderr ?? ''}${e.stdout ?? ''}`);
    }
  };
  run('python3', ['-m', 'venv', VENV]);
  run(python, [
    '-m',
    'pip',
    'install',
    '--quiet',
    '--disable-pip-version-check',
    '-r',
    join(PYTHON_DIR, 'requirements.txt'),
  ]);
  writeFileSync(STAMP, `${want}\n`);
  return python;
}

/** Runs test/e2e/python/app.py with one instrumentation; resolves with the JSON line it prints. */
export function runPythonApp(
  python: string,
  instrumentation: 'openinference' | 'openai-v2',
  env: Record<string, string>,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [join(PYTHON_DIR, 'app.py'), instrumentation], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`app.py ${instrumentation} exited with ${code}:\n${err}${out}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1) ?? ''));
      } catch {
        reject(new Error(`app.py ${instrumentation} printed no JSON:\n${out}\n${err}`));
      }
    });
  });
}
