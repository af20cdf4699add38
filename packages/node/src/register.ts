/**
 * Zero-code entry: `node --import @otel-llm-cost/node/register app.js` (ESM and CJS apps) or
 * `node --require @otel-llm-cost/node/register app.js` (CJS). Configured by the OTEL_* variables plus
 * LLMCOST_ENVIRONMENT; flushes on beforeExit, SIGTERM and SIGINT.
 *
 * Runs on the main thread only: Node also evaluates --require/--import preloads in its module-loader
 * thread (and in worker threads), where a second SDK must not start.
 */
import { isMainThread } from 'node:worker_threads';
import { init } from './sdk/init.js';

if (isMainThread) {
  const handle = init({ environment: process.env.LLMCOST_ENVIRONMENT });

  let flushing = false;
  process.once('beforeExit', () => {
    if (flushing) return;
    flushing = true;
    void handle.shutdown();
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void handle.shutdown().finally(() => {
        // Keep the default meaning of the signal when the app did not handle it itself.
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
    });
  }
}
