#!/usr/bin/env -S node --experimental-strip-types
import { startSimulator } from './server.ts';

const port = Number(process.env.LLM_SIMULATOR_PORT ?? 0);
const sim = await startSimulator({ port });
process.stdout.write(`${JSON.stringify({ url: sim.url, openaiBaseURL: sim.openaiBaseURL })}\n`);
const stop = () => {
  sim.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
