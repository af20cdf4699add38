// Generated from packages/contract/telemetry.yaml by node packages/contract/generate.mjs. Do not edit: edit the contract and run the generator.

import { ATTR_ERROR_TYPE, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT, ATTR_SERVICE_VERSION, ATTR_HTTP_ROUTE } from '@opentelemetry/semantic-conventions';

/** Span attribute names (docs/telemetry.md). Stable semconv names come from @opentelemetry/semantic-conventions. */
export const ATTR = {
  /** semconv provider (`openai`, `anthropic`, `gcp.gemini`, `aws.bedrock`, `azure.ai.openai`, `groq`, `deepseek`, `mistral_ai`, `x_ai`, `openrouter`, ...) */
  PROVIDER: "gen_ai.provider.name",
  /** `chat`, `embeddings`, `generate_content`, `text_completion`, `image_generation`, ... */
  OPERATION: "gen_ai.operation.name",
  /** the model the call asked for */
  REQUEST_MODEL: "gen_ai.request.model",
  /** the model that answered (priced first) */
  RESPONSE_MODEL: "gen_ai.response.model",
  /** the provider's id of the response */
  RESPONSE_ID: "gen_ai.response.id",
  /** why the model stopped */
  FINISH_REASONS: "gen_ai.response.finish_reasons",
  /** ALL input tokens (incl. cache read + cache creation) */
  INPUT_TOKENS: "gen_ai.usage.input_tokens",
  /** ALL output tokens (incl. reasoning) */
  OUTPUT_TOKENS: "gen_ai.usage.output_tokens",
  /** subset of input */
  CACHE_READ_TOKENS: "gen_ai.usage.cache_read.input_tokens",
  /** subset of input (5m + 1h writes) */
  CACHE_CREATION_TOKENS: "gen_ai.usage.cache_creation.input_tokens",
  /** subset of output */
  REASONING_TOKENS: "gen_ai.usage.reasoning.output_tokens",
  /** USD, rounded to 1e-10; ABSENT when unpriced (never 0 for unknown) */
  COST: "gen_ai.usage.cost",
  /** metric label of `gen_ai.client.token.usage`: `input` or `output` */
  TOKEN_TYPE: "gen_ai.token.type",
  /** the error class of a failed call (span and duration metric) */
  ERROR_TYPE: ATTR_ERROR_TYPE,
  /** the API host */
  SERVER_ADDRESS: ATTR_SERVER_ADDRESS,
  /** the API port */
  SERVER_PORT: ATTR_SERVER_PORT,
  /** request parameter */
  REQUEST_MAX_TOKENS: "gen_ai.request.max_tokens",
  /** request parameter */
  REQUEST_TEMPERATURE: "gen_ai.request.temperature",
  /** request parameter */
  REQUEST_TOP_P: "gen_ai.request.top_p",
  /** prompt content, JSON; only with `captureContent` */
  INPUT_MESSAGES: "gen_ai.input.messages",
  /** completion content, JSON; only with `captureContent` */
  OUTPUT_MESSAGES: "gen_ai.output.messages",
  /** the deployment environment (a resource attribute; a label on metrics) */
  ENVIRONMENT: "deployment.environment.name",
  /** the version of the service (a resource attribute: `serviceVersion` or `OTEL_RESOURCE_ATTRIBUTES`; a label on metrics), to tie a cost change to a deploy */
  SERVICE_VERSION: ATTR_SERVICE_VERSION,
  /** the server span's route, copied to `llmcost.route` */
  HTTP_ROUTE: ATTR_HTTP_ROUTE,
  /** USD part for input */
  COST_INPUT: "llmcost.cost.input",
  /** USD part for output */
  COST_OUTPUT: "llmcost.cost.output",
  /** USD that cache reads saved against the uncached input price (set when > 0) */
  COST_CACHE_SAVINGS: "llmcost.cost.cache_savings",
  /** USD the call is billed to its customer under your markup (`pricing.markup`: a multiplier and/or a per-token surcharge, per customer or plan; docs/markup.md), rounded to 1e-10. Only on priced calls whose customer has a rule or falls under the default: never without `gen_ai.usage.cost` */
  BILLED_COST: "llmcost.billed_cost",
  /** where the cost came from: one of the cost sources below */
  COST_SOURCE: "llmcost.cost.source",
  /** the span arrived with a `gen_ai.usage.cost` that was replaced: `zero` (another tool's 0, e.g. OpenLIT's for a model it cannot price, and the model has a price here), `override` (the collector's `override: true`) */
  COST_REPLACED: "llmcost.cost.replaced",
  /** stream abandoned/aborted: cost covers only what was seen */
  COST_PARTIAL: "llmcost.cost.partial",
  /** which data priced it: `genai-prices@0.2.3` (bundled release), `live@2026-12-01T16:00:00.000Z` (live document, fetched then), `override:<file>`, `provider_reported` */
  PRICE_DATA_VERSION: "llmcost.price_data.version",
  /** semconv: the tier OpenAI served (`default`, `priority`, `flex`, ...); priced as price context `service_tier` (never a requested `auto`) */
  OPENAI_RESPONSE_SERVICE_TIER: "openai.response.service_tier",
  /** Anthropic `usage.service_tier` (`standard`, `priority`, `batch`; `batch` is priced as `processing=batch`) */
  ANTHROPIC_RESPONSE_SERVICE_TIER: "anthropic.response.service_tier",
  /** `llmcost.price.context.<key>`: the price context the call was priced with (`llmcost.price.context.service_tier`, `llmcost.price.context.processing` = `batch`, `speed`, `route`, `search_type`); the collector prices with it (it wins over the service-tier attributes) */
  PRICE_CONTEXT_PREFIX: "llmcost.price.context.",
  /** the price variant that priced the call, as its `when` (`service_tier=priority`, `processing=batch`); absent when the standard price applied */
  PRICE_VARIANT: "llmcost.price.variant",
  /** the provider that matched in the price data */
  PRICING_PROVIDER: "llmcost.pricing.provider",
  /** the model that matched in the price data */
  PRICING_MODEL: "llmcost.pricing.model",
  /** true when no price was found */
  UNPRICED: "llmcost.unpriced",
  /** why: one of the unpriced reasons below */
  UNPRICED_REASON: "llmcost.unpriced.reason",
  /** part of cache_creation written with 1h TTL (Anthropic) */
  CACHE_CREATION_1H_TOKENS: "llmcost.usage.cache_creation_1h.input_tokens",
  /** modality part of input (set when > 0), priced at its own price where the data has one */
  AUDIO_INPUT_TOKENS: "llmcost.usage.audio.input_tokens",
  /** modality part of input */
  IMAGE_INPUT_TOKENS: "llmcost.usage.image.input_tokens",
  /** modality part of input */
  VIDEO_INPUT_TOKENS: "llmcost.usage.video.input_tokens",
  /** part of the cache reads that is audio */
  CACHE_READ_AUDIO_TOKENS: "llmcost.usage.cache_read_audio.input_tokens",
  /** modality part of output */
  AUDIO_OUTPUT_TOKENS: "llmcost.usage.audio.output_tokens",
  /** modality part of output */
  IMAGE_OUTPUT_TOKENS: "llmcost.usage.image.output_tokens",
  /** seconds of audio sent (transcriptions, translations; set when > 0), priced per audio hour where the data has that price (whisper-1) */
  INPUT_AUDIO_SECONDS: "llmcost.usage.audio.input_seconds",
  /** seconds of audio generated (set when > 0) */
  OUTPUT_AUDIO_SECONDS: "llmcost.usage.audio.output_seconds",
  /** characters of text input (text to speech; set when > 0), priced per million characters where the data has that price (tts-1) */
  INPUT_CHARACTERS: "llmcost.usage.input_characters",
  /** searches run by the provider's built-in web search tool (set when > 0), priced per thousand where the data has that price */
  WEB_SEARCHES: "llmcost.usage.web_searches",
  /** images generated, for models billed per image (Imagen, DALL·E; set when > 0): no genai-prices unit prices them, so such a call is `unsupported_usage` */
  IMAGES: "llmcost.usage.images",
  /** seconds of video asked for (Veo, Nova Reel; set when > 0): no genai-prices unit, `unsupported_usage` */
  OUTPUT_VIDEO_SECONDS: "llmcost.usage.video.output_seconds",
  /** cached-content storage billed per token-hour (Gemini caches: tokens x TTL hours; set when > 0): no genai-prices unit, `unsupported_usage` */
  CACHE_STORAGE_TOKEN_HOURS: "llmcost.usage.cache_storage.token_hours",
  /** true on a span that describes a call the provider ran earlier or elsewhere and that is priced when its usage arrives: a batch result, a background response retrieved later. Its duration is not the call's: no duration metric */
  DEFERRED: "llmcost.deferred",
  /** `sdk` (our Node package) or `collector` (llmcost processor) */
  PRICED_BY: "llmcost.priced_by",
  /** `false` on a span that carries token usage or a cost but is no model call: an agent, workflow, chain, tool or step span, the outer span of a call, a framework's LLM span over the client's span (see the model-call rules). Never priced or metered; metrics derived from spans must skip it. Absent on model calls */
  MODEL_CALL: "llmcost.model_call",
  /** true when our SDK already recorded the cost metrics for this span: the collector must not derive metrics from it again */
  SDK_METRICS: "llmcost.sdk.metrics",
  /** metric label of `llmcost.tokens`: `input`, `output`, `cache_read`, `cache_creation`, `reasoning` */
  LLMCOST_TOKEN_TYPE: "llmcost.token_type",
  /** metric label of `llmcost.attribution.missing`: the missing dimension */
  DIMENSION: "llmcost.dimension",
  /** inherited from the context */
  USER: "user.id",
  /** inherited from the context */
  SESSION: "session.id",
  /** inherited from the context */
  CUSTOMER: "app.customer.id",
  /** inherited from the context */
  FEATURE: "app.feature",
  /** inherited from the context */
  TEAM: "app.team",
  /** the prompt or feature version (key configurable: `attribution.keys.version`), inherited from the context; a label on metrics */
  APP_VERSION: "app.version",
  /** the `http.route` of the server span the call ran under */
  ROUTE: "llmcost.route",
  /** metric label of `llmcost.reconciliation.drift`: the UTC day reconciled, `YYYY-MM-DD` */
  RECONCILIATION_DAY: "llmcost.reconciliation.day",
  /** the budget (its name) the call's scope was at or over when the call started (docs/budgets.md): in `warn` mode the call went through, in `enforce` mode it was refused with BudgetExceededError before any request was sent */
  BUDGET_EXCEEDED: "llmcost.budget.exceeded",
  /** what the budget check did with a call over a budget: `warned` (went through) or `refused` (BudgetExceededError); span attribute and metric label of `llmcost.budget.exceeded.requests` */
  BUDGET_ACTION: "llmcost.budget.action",
  /** metric label of the budget metrics: the budget's `name` in the budgets file */
  BUDGET_NAME: "llmcost.budget.name",
  /** metric label of `llmcost.budget.spend`: a random id of the process that recorded the spend, so that each instance reads the others' spend from Prometheus and counts its own itself, at once */
  BUDGET_RECORDER: "llmcost.budget.recorder",
} as const;

/** OTLP metric names. */
export const METRIC = {
  COST: "llmcost.cost",
  REQUEST_COST: "llmcost.request.cost",
  UNPRICED: "llmcost.unpriced.requests",
  TOKENS: "llmcost.tokens",
  CACHE_SAVINGS: "llmcost.cache.savings",
  BILLED: "llmcost.billed",
  ATTRIBUTION_MISSING: "llmcost.attribution.missing",
  TOKEN_USAGE: "gen_ai.client.token.usage",
  DURATION: "gen_ai.client.operation.duration",
  TIME_TO_FIRST_CHUNK: "gen_ai.client.operation.time_to_first_chunk",
  RECONCILIATION_DRIFT: "llmcost.reconciliation.drift",
  BUDGET_SPEND: "llmcost.budget.spend",
  BUDGET_EXCEEDED_REQUESTS: "llmcost.budget.exceeded.requests",
  BUDGET_READ_FAILURES: "llmcost.budget.read_failures",
} as const;

/** Unit, description and bucket advice of each metric, by METRIC id. */
export const METRIC_SPECS = {
  COST: { unit: "USD", description: "Cost of LLM calls in USD" },
  REQUEST_COST: { unit: "USD", description: "Cost of one LLM call in USD", buckets: [0.000001, 0.000005, 0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10] },
  UNPRICED: { unit: "{request}", description: "LLM calls that could not be priced (no cost recorded)" },
  TOKENS: { unit: "{token}", description: "Tokens of LLM calls by type (cache_read, cache_creation and reasoning are parts of input and output)" },
  CACHE_SAVINGS: { unit: "USD", description: "USD that prompt-cache reads saved against the uncached input price" },
  BILLED: { unit: "USD", description: "What LLM calls are billed to customers in USD, under the markup config (pricing.markup)" },
  ATTRIBUTION_MISSING: { unit: "{request}", description: "LLM calls missing a required attribution dimension (strict mode count)" },
  TOKEN_USAGE: { unit: "{token}", description: "Number of input and output tokens used", buckets: [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864] },
  DURATION: { unit: "s", description: "GenAI operation duration", buckets: [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92] },
  TIME_TO_FIRST_CHUNK: { unit: "s", description: "Time to receive the first chunk of a streamed response", buckets: [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] },
  RECONCILIATION_DRIFT: { unit: "1", description: "Our attributed spend against the provider's bill for one UTC day, (ours - billed) / billed, as llm-cost reconcile --otlp pushes it" },
  BUDGET_SPEND: { unit: "USD", description: "Cost of the LLM calls that fall under a budget, per budget (what the in-process budget check reads back from Prometheus; docs/budgets.md)" },
  BUDGET_EXCEEDED_REQUESTS: { unit: "{request}", description: "LLM calls whose scope was at or over a budget when they started (warned or refused)" },
  BUDGET_READ_FAILURES: { unit: "{read}", description: "Failed reads of budget spend from Prometheus (the budget check then fails open, or closed by option)" },
} as const;

/** The value a label takes once its cardinality cap is reached. */
export const OVERFLOW_VALUE = "__overflow__";

/** llmcost.tokens' token types (cache_read, cache_creation, reasoning are parts of input, output). */
export const TOKEN_TYPES = ["input","output","cache_read","cache_creation","reasoning"] as const;

/** Every reason a call can be unpriced (llmcost.unpriced.reason). */
export const UNPRICED_REASONS = ["unknown_model","no_model","invalid_usage","unsupported_usage","no_usage"] as const;

/** Every source of a cost (llmcost.cost.source). */
export const COST_SOURCES = ["pricing_data","override","provider_reported"] as const;

/** Where other instrumentations put the same facts; in every list the first name present wins. */
export const DIALECTS = {
  "provider": [
    "gen_ai.provider.name",
    "gen_ai.system",
    "llm.provider",
    "llm.system"
  ],
  "vercel_provider": "ai.model.provider",
  "vercel_providers": {
    "amazon-bedrock": "aws.bedrock",
    "azure": "azure.ai.openai",
    "azure-openai": "azure.ai.openai",
    "google.generative-ai": "gcp.gemini",
    "google.vertex": "gcp.vertex_ai",
    "google-vertex": "gcp.vertex_ai",
    "mistral": "mistral_ai",
    "vertex": "gcp.vertex_ai",
    "xai": "x_ai"
  },
  "provider_names": {
    "aws": "aws.bedrock",
    "aws_bedrock": "aws.bedrock",
    "bedrock": "aws.bedrock",
    "gemini": "gcp.gemini",
    "google": "gcp.gemini",
    "google_genai": "gcp.gemini",
    "vertex ai": "gcp.vertex_ai",
    "vertexai": "gcp.vertex_ai"
  },
  "dotted_provider_prefixes": [
    "aws.",
    "gcp.",
    "azure.",
    "az."
  ],
  "provider_examples": {
    "openai.chat": "openai",
    "openai.responses": "openai",
    "anthropic.messages": "anthropic",
    "google.generative-ai": "gcp.gemini",
    "google.vertex.chat": "gcp.vertex_ai",
    "google-vertex": "gcp.vertex_ai",
    "amazon-bedrock": "aws.bedrock",
    "azure-openai.chat": "azure.ai.openai",
    "mistral.chat": "mistral_ai",
    "xai.chat": "x_ai",
    "Anthropic": "anthropic",
    "aws.bedrock": "aws.bedrock",
    "gcp.gemini": "gcp.gemini",
    "azure.ai.openai": "azure.ai.openai",
    "Vertex AI": "gcp.vertex_ai",
    "gemini": "gcp.gemini",
    "bedrock": "aws.bedrock",
    " groq ": "groq"
  },
  "request_model": [
    "gen_ai.request.model",
    "llm.model_name",
    "embedding.model_name",
    "llm.request.model",
    "ai.model.id"
  ],
  "response_model": [
    "gen_ai.response.model",
    "llm.response.model",
    "ai.response.model"
  ],
  "totals": [
    {
      "family": "semconv",
      "input": "gen_ai.usage.input_tokens",
      "output": "gen_ai.usage.output_tokens"
    },
    {
      "family": "semconv_old",
      "input": "gen_ai.usage.prompt_tokens",
      "output": "gen_ai.usage.completion_tokens"
    },
    {
      "family": "openinference",
      "input": "llm.token_count.prompt",
      "output": "llm.token_count.completion"
    },
    {
      "family": "openllmetry_old",
      "input": "llm.usage.prompt_tokens",
      "output": "llm.usage.completion_tokens"
    },
    {
      "family": "vercel",
      "input": "ai.usage.inputTokens",
      "output": "ai.usage.outputTokens"
    },
    {
      "family": "vercel_old",
      "input": "ai.usage.promptTokens",
      "output": "ai.usage.completionTokens"
    }
  ],
  "cache_read": [
    "gen_ai.usage.cache_read.input_tokens",
    "gen_ai.usage.cache_read_input_tokens",
    "llm.token_count.prompt_details.cache_read",
    "ai.usage.inputTokenDetails.cacheReadTokens",
    "ai.usage.cachedInputTokens"
  ],
  "cache_write": [
    "gen_ai.usage.cache_creation.input_tokens",
    "gen_ai.usage.cache_write.input_tokens",
    "gen_ai.usage.cache_creation_input_tokens",
    "llm.token_count.prompt_details.cache_write",
    "ai.usage.inputTokenDetails.cacheWriteTokens"
  ],
  "cache_write_1h": [
    "llmcost.usage.cache_creation_1h.input_tokens",
    "anthropic.usage.cache_creation.ephemeral_1h_input_tokens"
  ],
  "cache_write_5m": "anthropic.usage.cache_creation.ephemeral_5m_input_tokens",
  "reasoning": [
    "gen_ai.usage.reasoning.output_tokens",
    "gen_ai.usage.reasoning_tokens",
    "llm.usage.reasoning_tokens",
    "llm.token_count.completion_details.reasoning",
    "ai.usage.outputTokenDetails.reasoningTokens",
    "ai.usage.reasoningTokens"
  ],
  "audio_input": [
    "llmcost.usage.audio.input_tokens",
    "llm.token_count.prompt_details.audio"
  ],
  "image_input": [
    "llmcost.usage.image.input_tokens"
  ],
  "video_input": [
    "llmcost.usage.video.input_tokens"
  ],
  "cache_read_audio": [
    "llmcost.usage.cache_read_audio.input_tokens"
  ],
  "audio_output": [
    "llmcost.usage.audio.output_tokens",
    "llm.token_count.completion_details.audio"
  ],
  "image_output": [
    "llmcost.usage.image.output_tokens"
  ],
  "cost": [
    "gen_ai.usage.cost",
    "llm.cost.total",
    "gen_ai.usage.cost.amount"
  ],
  "reported_cost_amount": "gen_ai.usage.cost.amount",
  "reported_cost_currency": "gen_ai.usage.cost.currency",
  "reported_cost_source": "gen_ai.usage.cost.source",
  "reported_cost_total": "llm.cost.total",
  "stream_flag": "gen_ai.request.stream",
  "time_to_first_chunk": "gen_ai.response.time_to_first_chunk"
} as const;

/** Which spans are model calls: the first rule whose every condition holds gives the role. */
export const MODEL_CALLS = {
  roles: {
    "call": "The provider call itself: priced and metered. A call without token usage is counted unpriced with reason no_usage, unless it failed.",
    "summary": "An agent, workflow, chain, tool or step span, or the outer span of one call: its usage repeats or sums the calls under it. Never priced or metered; marked llmcost.model_call = false when it carries usage or a cost.",
    "framework": "A framework's own LLM span (LangChain, LlamaIndex, DSPy, ... through OpenInference, OpenLIT or the official LangChain instrumentation) over the span of the client library that made the call. Treated as summary; the collector treats it as call with framework_llm_spans: call, for apps that instrument only the framework.",
    "other": "A span of an LLM client that is no billed model call (e.g. anthropic.messages.count_tokens, anthropic.models.list). Never priced or metered; marked like summary."
  },
  rules: [
    {"dialect":"anthropic_sdk","role":"call","when":[{"scope_prefix":["com.anthropic.sdk"]},{"name_in":["anthropic.messages.create"]}]},
    {"dialect":"anthropic_sdk","role":"other","when":[{"scope_prefix":["com.anthropic.sdk"]}]},
    {"dialect":"vercel_ai","role":"call","when":[{"attribute":"ai.operationId","suffix":[".doGenerate",".doStream",".doEmbed"]}]},
    {"dialect":"vercel_ai","role":"summary","when":[{"attribute":"ai.operationId","present":true}]},
    {"dialect":"openinference","role":"framework","when":[{"attribute":"openinference.span.kind","in":["LLM","EMBEDDING"]},{"scope_prefix":["openinference.instrumentation.agent_framework","openinference.instrumentation.agno","openinference.instrumentation.autogen","openinference.instrumentation.beeai","openinference.instrumentation.crewai","openinference.instrumentation.dspy","openinference.instrumentation.google_adk","openinference.instrumentation.guardrails","openinference.instrumentation.haystack","openinference.instrumentation.instructor","openinference.instrumentation.langchain","openinference.instrumentation.llama_index","openinference.instrumentation.openai_agents","openinference.instrumentation.smolagents","openinference.instrumentation.strands_agents","@arizeai/openinference-instrumentation-beeai","@arizeai/openinference-instrumentation-langchain","@arizeai/openinference-instrumentation-openai-agents"]}]},
    {"dialect":"openinference","role":"call","when":[{"attribute":"openinference.span.kind","in":["LLM","EMBEDDING"]}]},
    {"dialect":"openinference","role":"summary","when":[{"attribute":"openinference.span.kind","present":true}]},
    {"dialect":"openllmetry","role":"summary","when":[{"attribute":"traceloop.span.kind","present":true}]},
    {"dialect":"openlit","role":"framework","when":[{"scope_prefix":["openlit"]},{"attribute":"gen_ai.system","in":["ag2","agno","autogen","controlflow","crewai","dspy","dynamiq","embedchain","haystack","julep","langchain","langgraph","letta","llama_index","mem0","multion","phidata","pydantic_ai"]}]},
    {"dialect":"semconv","role":"summary","when":[{"attribute":"gen_ai.operation.name","in":["invoke_agent","create_agent","execute_tool","invoke_workflow","agent_step","agent","execute_task","framework","workflow","vectordb","retrieval"]}]},
    {"dialect":"semconv","role":"framework","when":[{"attribute":"gen_ai.framework","present":true},{"attribute":"gen_ai.operation.name","in":["chat","text_completion","generate_content","embeddings"]}]},
    {"dialect":"openllmetry","role":"call","when":[{"attribute":"llm.request.type","in":["chat","completion","embedding"]}]},
    {"dialect":"semconv","role":"call","when":[{"attribute":"gen_ai.operation.name","in":["chat","text_completion","generate_content","embeddings"]}]},
  ],
} as const;
