// Code generated from packages/contract/telemetry.yaml by node packages/contract/generate.mjs; DO NOT EDIT.

package llmcostprocessor // import "github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor"

// Span attribute names (docs/telemetry.md).
const (
	attrProvider                     = "gen_ai.provider.name"
	attrOperation                    = "gen_ai.operation.name"
	attrRequestModel                 = "gen_ai.request.model"
	attrResponseModel                = "gen_ai.response.model"
	attrResponseId                   = "gen_ai.response.id"
	attrFinishReasons                = "gen_ai.response.finish_reasons"
	attrInputTokens                  = "gen_ai.usage.input_tokens"
	attrOutputTokens                 = "gen_ai.usage.output_tokens"
	attrCacheReadTokens              = "gen_ai.usage.cache_read.input_tokens"
	attrCacheCreationTokens          = "gen_ai.usage.cache_creation.input_tokens"
	attrReasoningTokens              = "gen_ai.usage.reasoning.output_tokens"
	attrCost                         = "gen_ai.usage.cost"
	attrTokenType                    = "gen_ai.token.type"
	attrErrorType                    = "error.type"
	attrServerAddress                = "server.address"
	attrServerPort                   = "server.port"
	attrRequestMaxTokens             = "gen_ai.request.max_tokens"
	attrRequestTemperature           = "gen_ai.request.temperature"
	attrRequestTopP                  = "gen_ai.request.top_p"
	attrInputMessages                = "gen_ai.input.messages"
	attrOutputMessages               = "gen_ai.output.messages"
	attrEnvironment                  = "deployment.environment.name"
	attrServiceVersion               = "service.version"
	attrHttpRoute                    = "http.route"
	attrCostInput                    = "llmcost.cost.input"
	attrCostOutput                   = "llmcost.cost.output"
	attrCostCacheSavings             = "llmcost.cost.cache_savings"
	attrBilledCost                   = "llmcost.billed_cost"
	attrCostSource                   = "llmcost.cost.source"
	attrCostReplaced                 = "llmcost.cost.replaced"
	attrCostPartial                  = "llmcost.cost.partial"
	attrPriceDataVersion             = "llmcost.price_data.version"
	attrOpenaiResponseServiceTier    = "openai.response.service_tier"
	attrAnthropicResponseServiceTier = "anthropic.response.service_tier"
	attrPriceContextPrefix           = "llmcost.price.context."
	attrPriceVariant                 = "llmcost.price.variant"
	attrPricingProvider              = "llmcost.pricing.provider"
	attrPricingModel                 = "llmcost.pricing.model"
	attrUnpriced                     = "llmcost.unpriced"
	attrUnpricedReason               = "llmcost.unpriced.reason"
	attrCacheCreation1hTokens        = "llmcost.usage.cache_creation_1h.input_tokens"
	attrAudioInputTokens             = "llmcost.usage.audio.input_tokens"
	attrImageInputTokens             = "llmcost.usage.image.input_tokens"
	attrVideoInputTokens             = "llmcost.usage.video.input_tokens"
	attrCacheReadAudioTokens         = "llmcost.usage.cache_read_audio.input_tokens"
	attrAudioOutputTokens            = "llmcost.usage.audio.output_tokens"
	attrImageOutputTokens            = "llmcost.usage.image.output_tokens"
	attrInputAudioSeconds            = "llmcost.usage.audio.input_seconds"
	attrOutputAudioSeconds           = "llmcost.usage.audio.output_seconds"
	attrInputCharacters              = "llmcost.usage.input_characters"
	attrWebSearches                  = "llmcost.usage.web_searches"
	attrImages                       = "llmcost.usage.images"
	attrOutputVideoSeconds           = "llmcost.usage.video.output_seconds"
	attrCacheStorageTokenHours       = "llmcost.usage.cache_storage.token_hours"
	attrDeferred                     = "llmcost.deferred"
	attrPricedBy                     = "llmcost.priced_by"
	attrModelCall                    = "llmcost.model_call"
	attrSdkMetrics                   = "llmcost.sdk.metrics"
	attrLlmcostTokenType             = "llmcost.token_type"
	attrDimension                    = "llmcost.dimension"
	attrUser                         = "user.id"
	attrSession                      = "session.id"
	attrCustomer                     = "app.customer.id"
	attrFeature                      = "app.feature"
	attrTeam                         = "app.team"
	attrAppVersion                   = "app.version"
	attrRoute                        = "llmcost.route"
	attrReconciliationDay            = "llmcost.reconciliation.day"
	attrBudgetExceeded               = "llmcost.budget.exceeded"
	attrBudgetAction                 = "llmcost.budget.action"
	attrBudgetName                   = "llmcost.budget.name"
	attrBudgetRecorder               = "llmcost.budget.recorder"
)

// Every unpriced reason (llmcost.unpriced.reason) and cost source (llmcost.cost.source).
var (
	unpricedReasons = []string{"unknown_model", "no_model", "invalid_usage", "unsupported_usage", "no_usage"}
	costSources     = []string{"pricing_data", "override", "provider_reported"}
)

// Where other instrumentations put the same facts; in every list the first name present wins.
var (
	providerAttrs      = []string{"gen_ai.provider.name", "gen_ai.system", "llm.provider", "llm.system"}
	vercelProviderAttr = "ai.model.provider"
	requestModelAttrs  = []string{"gen_ai.request.model", "llm.model_name", "embedding.model_name", "llm.request.model", "ai.model.id"}
	responseModelAttrs = []string{"gen_ai.response.model", "llm.response.model", "ai.response.model"}
	// (input, output) total pairs, one per instrumentation family: the first pair present wins.
	totalAttrs = []struct{ source, input, output string }{
		{"semconv", "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens"},
		{"semconv_old", "gen_ai.usage.prompt_tokens", "gen_ai.usage.completion_tokens"},
		{"openinference", "llm.token_count.prompt", "llm.token_count.completion"},
		{"openllmetry_old", "llm.usage.prompt_tokens", "llm.usage.completion_tokens"},
		{"vercel", "ai.usage.inputTokens", "ai.usage.outputTokens"},
		{"vercel_old", "ai.usage.promptTokens", "ai.usage.completionTokens"},
	}
	cacheReadAttrs          = []string{"gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens", "llm.token_count.prompt_details.cache_read", "ai.usage.inputTokenDetails.cacheReadTokens", "ai.usage.cachedInputTokens"}
	cacheWriteAttrs         = []string{"gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.cache_write.input_tokens", "gen_ai.usage.cache_creation_input_tokens", "llm.token_count.prompt_details.cache_write", "ai.usage.inputTokenDetails.cacheWriteTokens"}
	cacheWrite1hAttrs       = []string{"llmcost.usage.cache_creation_1h.input_tokens", "anthropic.usage.cache_creation.ephemeral_1h_input_tokens"}
	reasoningAttrs          = []string{"gen_ai.usage.reasoning.output_tokens", "gen_ai.usage.reasoning_tokens", "llm.usage.reasoning_tokens", "llm.token_count.completion_details.reasoning", "ai.usage.outputTokenDetails.reasoningTokens", "ai.usage.reasoningTokens"}
	inputAudioAttrs         = []string{"llmcost.usage.audio.input_tokens", "llm.token_count.prompt_details.audio"}
	inputImageAttrs         = []string{"llmcost.usage.image.input_tokens"}
	inputVideoAttrs         = []string{"llmcost.usage.video.input_tokens"}
	cacheAudioAttrs         = []string{"llmcost.usage.cache_read_audio.input_tokens"}
	outputAudioAttrs        = []string{"llmcost.usage.audio.output_tokens", "llm.token_count.completion_details.audio"}
	outputImageAttrs        = []string{"llmcost.usage.image.output_tokens"}
	costAttrs               = []string{"gen_ai.usage.cost", "llm.cost.total", "gen_ai.usage.cost.amount"}
	cacheWrite5mAttr        = "anthropic.usage.cache_creation.ephemeral_5m_input_tokens"
	semconvCostAmountAttr   = "gen_ai.usage.cost.amount"
	semconvCostCurrencyAttr = "gen_ai.usage.cost.currency"
	semconvCostSourceAttr   = "gen_ai.usage.cost.source"
	openInferenceCostAttr   = "llm.cost.total"
	// Vercel AI SDK provider ids (ai.model.provider, or its prefix before a dot) -> semconv names.
	vercelProviders = map[string]string{
		"amazon-bedrock":       "aws.bedrock",
		"azure":                "azure.ai.openai",
		"azure-openai":         "azure.ai.openai",
		"google.generative-ai": "gcp.gemini",
		"google.vertex":        "gcp.vertex_ai",
		"google-vertex":        "gcp.vertex_ai",
		"mistral":              "mistral_ai",
		"vertex":               "gcp.vertex_ai",
		"xai":                  "x_ai",
	}
	// Older or vendor-specific provider names -> semconv names.
	providerNames = map[string]string{
		"aws":          "aws.bedrock",
		"aws_bedrock":  "aws.bedrock",
		"bedrock":      "aws.bedrock",
		"gemini":       "gcp.gemini",
		"google":       "gcp.gemini",
		"google_genai": "gcp.gemini",
		"vertex ai":    "gcp.vertex_ai",
		"vertexai":     "gcp.vertex_ai",
	}
	// What normalizeProvider gives for names real instrumentations write (tests check them).
	providerExamples = map[string]string{
		"openai.chat":          "openai",
		"openai.responses":     "openai",
		"anthropic.messages":   "anthropic",
		"google.generative-ai": "gcp.gemini",
		"google.vertex.chat":   "gcp.vertex_ai",
		"google-vertex":        "gcp.vertex_ai",
		"amazon-bedrock":       "aws.bedrock",
		"azure-openai.chat":    "azure.ai.openai",
		"mistral.chat":         "mistral_ai",
		"xai.chat":             "x_ai",
		"Anthropic":            "anthropic",
		"aws.bedrock":          "aws.bedrock",
		"gcp.gemini":           "gcp.gemini",
		"azure.ai.openai":      "azure.ai.openai",
		"Vertex AI":            "gcp.vertex_ai",
		"gemini":               "gcp.gemini",
		"bedrock":              "aws.bedrock",
		" groq ":               "groq",
	}
	// Provider names whose dots are part of the name (aws.bedrock, gcp.gemini, azure.ai.openai).
	dottedProviderPrefixes = []string{"aws.", "gcp.", "azure.", "az."}
)
