// Prometheus names of the project's metrics, exactly as docs/telemetry.md fixes them (the names that the
// collector's prometheus exporter produces). Dashboards, rules and the linter import them from here only.

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
  durationBucket: 'gen_ai_client_operation_duration_seconds_bucket',
  durationCount: 'gen_ai_client_operation_duration_seconds_count',
  durationSum: 'gen_ai_client_operation_duration_seconds_sum',
  timeToFirstChunkBucket: 'gen_ai_client_operation_time_to_first_chunk_seconds_bucket',
} as const;

/** Prometheus labels of the LLM metrics (docs/telemetry.md, "Metrics"). */
export const labels = {
  service: 'job',
  environment: 'deployment_environment_name',
  model: 'gen_ai_request_model',
  provider: 'gen_ai_provider_name',
  operation: 'gen_ai_operation_name',
  feature: 'app_feature',
  team: 'app_team',
  customer: 'app_customer_id',
  route: 'llmcost_route',
  costSource: 'llmcost_cost_source',
  unpricedReason: 'llmcost_unpriced_reason',
  tokenType: 'llmcost_token_type',
  errorType: 'error_type',
} as const;
