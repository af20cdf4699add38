import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Service {
  name: string;
  process: ChildProcess;
  logPath: string;
  /** The last lines of its log, for error messages. */
  tail(lines?: number): string;
  stop(): Promise<void>;
}

const running = new Set<Service>();

/** Starts a long-running program with its output in `<workdir>/<name>.log`; stopped on exit too. */
export function startService(
  name: string,
  command: string,
  args: string[],
  opts: { workdir: string; env?: Record<string, string> },
): Service {
  const logPath = join(opts.workdir, `${name}.log`);
  const log = createWriteStream(logPath);
  const child = spawn(command, args, {
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const service: Service = {
    name,
    process: child,
    logPath,
    tail(lines = 20) {
      try {
        return readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '';
      }
    },
    async stop() {
      running.delete(service);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
  child.once('error', (err) => log.write(`failed to start ${command}: ${err.message}\n`));
  running.add(service);
  return service;
}

process.once('exit', () => {
  for (const s of running) s.process.kill('SIGKILL');
});
