// Generated from packages/contract/telemetry.yaml by node packages/contract/generate.mjs. Do not edit: edit the contract and run the generator.
// Prometheus names of the project's metrics and labels, as the collector's prometheus exporter serves them.

export const metrics = {
  cost: 'llmcost_cost_USD_total',
  requestCostBucket: 'llmcost_request_cost_USD_bucket',
  requestCostSum: 'llmcost_request_cost_USD_sum',
  requestCostCount: 'llmcost_request_cost_USD_count',
  unpriced: 'llmcost_unpriced_requests_total',
  tokens: 'llmcost_tokens_total',
  cacheSavings: 'llmcost_cache_savings_USD_total',
  attributionMissing: 'llmcost_attribution_missing_total',
  tokenUsageBucket: 'gen_ai_client_token_usage_bucket',
  tokenUsageSum: 'gen_ai_client_token_usage_sum',
  tokenUsageCount: 'gen_ai_client_token_usage_count',
  durationBucket: 'gen_ai_client_operation_duration_seconds_bucket',
  durationSum: 'gen_ai_client_operation_duration_seconds_sum',
  durationCount: 'gen_ai_client_operation_duration_seconds_count',
  timeToFirstChunkBucket: 'gen_ai_client_operation_time_to_first_chunk_seconds_bucket',
  timeToFirstChunkSum: 'gen_ai_client_operation_time_to_first_chunk_seconds_sum',
  timeToFirstChunkCount: 'gen_ai_client_operation_time_to_first_chunk_seconds_count',
  reconciliationDrift: 'llmcost_reconciliation_drift_ratio',
} as const;

/** Prometheus labels of the LLM metrics. */
export const labels = {
  service: 'job',
  environment: 'deployment_environment_name',
  provider: 'gen_ai_provider_name',
  operation: 'gen_ai_operation_name',
  model: 'gen_ai_request_model',
  feature: 'app_feature',
  team: 'app_team',
  customer: 'app_customer_id',
  route: 'llmcost_route',
  user: 'user_id',
  session: 'session_id',
  costSource: 'llmcost_cost_source',
  unpricedReason: 'llmcost_unpriced_reason',
  tokenType: 'llmcost_token_type',
  genAiTokenType: 'gen_ai_token_type',
  errorType: 'error_type',
  dimension: 'llmcost_dimension',
  reconciliationDay: 'llmcost_reconciliation_day',
} as const;
