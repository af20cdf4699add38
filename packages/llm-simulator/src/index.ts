export { type Simulator, type SimulatorOptions, startSimulator } from './server.ts';
export type { RecordedRequest, ReplyHandler, ScriptedReply, SimToolCall, SimUsage } from './types.ts';
