// Starts a real Prometheus for tests: on a free loopback port, with its own storage in a temp directory,
// scraping the given targets and loading the given rule files. Nothing is left behind by stop().
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from './free-port.ts';
import { findPrometheus, installHint } from './prometheus-binaries.ts';

export interface PrometheusOptions {
  /** host:port targets; scraped with honor_labels so that the exporter's job/instance labels are kept. */
  targets: string[];
  ruleFiles?: string[];
  scrapeIntervalSeconds?: number;
  evaluationIntervalSeconds?: number;
  /** Also accept remote write at /api/v1/write (a long-term store stand-in; Prometheus 2.42 has the flag). */
  remoteWriteReceiver?: boolean;
}

export interface RunningPrometheus {
  url: string;
  /** The remote-write endpoint, with `remoteWriteReceiver`. */
  writeUrl: string;
  scrapeIntervalSeconds: number;
  logs(): string;
  stop(): Promise<void>;
}

async function waitReady(url: string, child: ChildProcess, logs: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`prometheus exited with code ${child.exitCode} while starting:\n${logs()}`);
    try {
      const r = await fetch(`${url}/-/ready`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`prometheus at ${url} not ready after ${timeoutMs} ms:\n${logs()}`);
}

export async function startPrometheus(opts: PrometheusOptions): Promise<RunningPrometheus> {
  const bin = findPrometheus();
  if (!bin) throw new Error(`prometheus not found on PATH. ${installHint}`);
  const scrape = opts.scrapeIntervalSeconds ?? 1;
  const evaluation = opts.evaluationIntervalSeconds ?? 1;
  const dir = mkdtempSync(join(tmpdir(), 'llmcost-prometheus-'));
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(
    configFile,
    stringify({
      global: { scrape_interval: `${scrape}s`, scrape_timeout: `${scrape}s`, evaluation_interval: `${evaluation}s` },
      rule_files: opts.ruleFiles ?? [],
      scrape_configs: opts.targets.length
        ? [{ job_name: 'llmcost', honor_labels: true, static_configs: [{ targets: opts.targets }] }]
        : [],
    }),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(
    bin,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      ...(opts.remoteWriteReceiver ? ['--web.enable-remote-write-receiver'] : []),
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const collect = (b: Buffer) => {
    output = (output + b.toString()).slice(-20_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const logs = () => output;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(url, child, logs);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, writeUrl: `${url}/api/v1/write`, scrapeIntervalSeconds: scrape, logs, stop };
}
