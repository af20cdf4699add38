// What the end-to-end pipeline test runs of the demo: the demo stack (simulator, collector, Prometheus, the
// sample app), the simulated customers' traffic and the LLM calls each route makes. The demo itself is run.ts.
export { type DemoStack, startDemoStack } from './demo-stack.ts';
export { drive, type Visit, visits } from './traffic.ts';
export { ROUTE_MODELS } from './usage.ts';
