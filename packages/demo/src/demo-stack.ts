// Starts everything the demo (and the end-to-end test) runs on loopback: the LLM simulator, the collector
// (pipeline a: apps send their own cost metrics), Prometheus scraping it, and the sample app with init().
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@otel-llm-cost/llm-simulator';
import {
  type Collector,
  freePort,
  type RunningPrometheus,
  type Service,
  startCollector,
  startPrometheus,
  startService,
  waitFor,
} from '@otel-llm-cost/testkit';
import { demoReplies } from './usage.ts';

export interface DemoStack {
  simulator: Simulator;
  collector: Collector;
  prometheus: RunningPrometheus;
  app: Service;
  appUrl: string;
  /** Resolves once Prometheus has counted `calls` LLM calls (all of them priced or unpriced). */
  waitForCalls(calls: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startDemoStack(opts: {
  workdir: string;
  ruleFiles?: string[];
  log?: (line: string) => void;
  env?: Record<string, string>;
}): Promise<DemoStack> {
  const log = opts.log ?? (() => undefined);
  const stoppers: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const s of stoppers.reverse()) await s().catch(() => undefined);
  };
  try {
    log('starting the LLM API simulator (OpenAI and Anthropic wire formats)');
    const simulator = await startSimulator();
    simulator.setHandler(demoReplies);
    stoppers.push(() => simulator.close());

    log('starting the OpenTelemetry Collector with the llmcost processor (collector-config/config.sdk-metrics.yaml)');
    const collector = await startCollector({ workdir: opts.workdir, pipeline: 'sdk-metrics' });
    stoppers.push(() => collector.stop());

    log('starting Prometheus, scraping the collector every second');
    const prometheus = await startPrometheus({ targets: [collector.metricsTarget], ruleFiles: opts.ruleFiles });
    stoppers.push(() => prometheus.stop());

    log('starting the sample Express app (packages/demo/app) with init()');
    const port = await freePort();
    const app = startService('app', process.execPath, [join(import.meta.dirname, '..', 'app', 'app.mjs')], {
      workdir: opts.workdir,
      env: {
        PORT: String(port),
        LLM_SIMULATOR_URL: simulator.url,
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpUrl,
        OTEL_METRIC_EXPORT_INTERVAL: '1000',
        ...opts.env,
      },
    });
    stoppers.push(() => app.stop());
    const appUrl = `http://127.0.0.1:${port}`;
    await waitFor('the sample app to listen', async () => {
      if (app.process.exitCode !== null) throw new Error(`the app exited:\n${app.tail()}`);
      return (await fetch(appUrl, { method: 'HEAD' }).catch(() => undefined)) ? true : undefined;
    });

    const waitForCalls = (calls: number, timeoutMs = 90_000) =>
      waitFor(
        `${calls} LLM calls to be counted in Prometheus`,
        async () => {
          const query = encodeURIComponent('sum(gen_ai_client_operation_duration_seconds_count)');
          const res = await fetch(`${prometheus.url}/api/v1/query?query=${query}`);
          const body = (await res.json()) as { data: { result: { value: [number, string] }[] } };
          return Number(body.data.result[0]?.value[1] ?? 0) >= calls ? true : undefined;
        },
        timeoutMs,
      ).then(() => undefined);

    return { simulator, collector, prometheus, app, appUrl, waitForCalls, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
