export {
  type AnthropicLedgerEntry,
  type AnthropicUsageBilled,
  apiKeyIdOf,
  type Billing,
  DEFAULT_PROJECT_ID,
  DEFAULT_WORKSPACE_ID,
  type LedgerEntry,
  type OpenAILedgerEntry,
  type OpenAIUsageBilled,
  type PriceChange,
  type RateLimitOptions,
  type UnservedCall,
} from './billing/ledger.ts';
export { lineItemName } from './billing/openai-admin.ts';
export { type ModelPrice, type ModelPrices, PRICE_LIST } from './billing/prices.ts';
export { type Simulator, type SimulatorOptions, startSimulator } from './server.ts';
export type { MultipartFile, RecordedRequest, ReplyHandler, ScriptedReply, SimToolCall, SimUsage } from './types.ts';
