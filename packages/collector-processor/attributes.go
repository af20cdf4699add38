package llmcostprocessor // import "github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor"

// Attribute names of the telemetry contract (docs/telemetry.md).
const (
	attrProvider       = "gen_ai.provider.name"
	attrRequestModel   = "gen_ai.request.model"
	attrResponseModel  = "gen_ai.response.model"
	attrInputTokens    = "gen_ai.usage.input_tokens"
	attrOutputTokens   = "gen_ai.usage.output_tokens"
	attrCacheRead      = "gen_ai.usage.cache_read.input_tokens"
	attrCacheCreation  = "gen_ai.usage.cache_creation.input_tokens"
	attrReasoning      = "gen_ai.usage.reasoning.output_tokens"
	attrCacheWrite1h   = "llmcost.usage.cache_creation_1h.input_tokens"
	attrCost           = "gen_ai.usage.cost"
	attrCostInput      = "llmcost.cost.input"
	attrCostOutput     = "llmcost.cost.output"
	attrCacheSavings   = "llmcost.cost.cache_savings"
	attrCostSource     = "llmcost.cost.source"
	attrPriceVersion   = "llmcost.price_data.version"
	attrPricingProv    = "llmcost.pricing.provider"
	attrPricingModel   = "llmcost.pricing.model"
	attrUnpriced       = "llmcost.unpriced"
	attrUnpricedReason = "llmcost.unpriced.reason"
	attrPricedBy       = "llmcost.priced_by"
	attrPriceVariant   = "llmcost.price.variant"
	// attrModelCall = false marks a span with usage or a cost that is no model call (an agent, workflow,
	// chain or framework span over the call): never priced, and not to be metered.
	attrModelCall = "llmcost.model_call"
	// attrCostReplaced says why the cost a span arrived with was replaced: "zero" (another tool's 0, e.g.
	// OpenLIT's for a model it cannot price) or "override" (override: true).
	attrCostReplaced = "llmcost.cost.replaced"

	// Modality parts of the usage (docs/telemetry.md), each part of its total.
	attrAudioInput     = "llmcost.usage.audio.input_tokens"
	attrImageInput     = "llmcost.usage.image.input_tokens"
	attrVideoInput     = "llmcost.usage.video.input_tokens"
	attrCacheReadAudio = "llmcost.usage.cache_read_audio.input_tokens"
	attrAudioOutput    = "llmcost.usage.audio.output_tokens"
	attrImageOutput    = "llmcost.usage.image.output_tokens"

	// Price context (genai-prices price_context), which selects price variants: the tier OpenAI or
	// Anthropic served, and any llmcost.price.context.<key> = <value> (which wins).
	attrOpenAIServiceTier    = "openai.response.service_tier"
	attrAnthropicServiceTier = "anthropic.response.service_tier"
	attrPriceContextPrefix   = "llmcost.price.context."

	pricedByCollector = "collector"
	replacedZero      = "zero"
	replacedOverride  = "override"
)

// Where instrumentations put a cost the provider reported (OpenRouter's usage.cost).
const (
	// GenAI semconv proposal (semantic-conventions-genai#443): the amount, its currency (USD when absent)
	// and its source (provider = present in the response, local = computed by the recorder).
	attrSemconvCostAmount   = "gen_ai.usage.cost.amount"
	attrSemconvCostCurrency = "gen_ai.usage.cost.currency"
	attrSemconvCostSource   = "gen_ai.usage.cost.source"
	// OpenInference: llm.cost.total, e.g. openinference-instrumentation-litellm from usage.cost (OpenRouter,
	// LiteLLM proxy) or LiteLLM's response_cost. A 0 there is taken as "no cost known".
	attrOpenInferenceCost = "llm.cost.total"
)

// Where other instrumentations put the same facts. Order = precedence.
var (
	providerAttrs = []string{
		attrProvider,    // GenAI semconv (latest)
		"gen_ai.system", // GenAI semconv (older), OpenLLMetry, OpenLIT
		"llm.provider",  // OpenInference
		"llm.system",    // OpenInference
	}
	// Vercel AI SDK: "openai.chat", "anthropic.messages", "google.generative-ai", "amazon-bedrock", ...
	vercelProviderAttr = "ai.model.provider"

	responseModelAttrs = []string{attrResponseModel, "llm.response.model", "ai.response.model"}
	requestModelAttrs  = []string{attrRequestModel, "llm.model_name", "embedding.model_name", "llm.request.model", "ai.model.id"}

	// Pairs of (input, output) totals, one per instrumentation family; the first pair present wins.
	totalAttrs = []struct{ source, input, output string }{
		{"semconv", attrInputTokens, attrOutputTokens},
		{"semconv_old", "gen_ai.usage.prompt_tokens", "gen_ai.usage.completion_tokens"},
		{"openinference", "llm.token_count.prompt", "llm.token_count.completion"},
		{"openllmetry_old", "llm.usage.prompt_tokens", "llm.usage.completion_tokens"},
		{"vercel", "ai.usage.inputTokens", "ai.usage.outputTokens"},
		{"vercel_old", "ai.usage.promptTokens", "ai.usage.completionTokens"},
	}
	cacheReadAttrs = []string{
		attrCacheRead,
		"gen_ai.usage.cache_read_input_tokens",      // OpenLLMetry, OpenLIT
		"llm.token_count.prompt_details.cache_read", // OpenInference
		"ai.usage.cachedInputTokens",                // Vercel AI SDK
	}
	cacheWriteAttrs = []string{
		attrCacheCreation,
		"gen_ai.usage.cache_write.input_tokens",      // Anthropic SDK self-traces
		"gen_ai.usage.cache_creation_input_tokens",   // OpenLLMetry, OpenLIT
		"llm.token_count.prompt_details.cache_write", // OpenInference
	}
	cacheWrite1hAttrs = []string{attrCacheWrite1h, "anthropic.usage.cache_creation.ephemeral_1h_input_tokens"}
	cacheWrite5mAttr  = "anthropic.usage.cache_creation.ephemeral_5m_input_tokens"
	// Modality parts (each part of its total): ours (@otel-llm-cost/node), then OpenInference's.
	inputAudioAttrs  = []string{attrAudioInput, "llm.token_count.prompt_details.audio"}
	outputAudioAttrs = []string{attrAudioOutput, "llm.token_count.completion_details.audio"}
	inputImageAttrs  = []string{attrImageInput}
	inputVideoAttrs  = []string{attrVideoInput}
	cacheAudioAttrs  = []string{attrCacheReadAudio}
	outputImageAttrs = []string{attrImageOutput}
	reasoningAttrs   = []string{
		attrReasoning,
		"gen_ai.usage.reasoning_tokens",                // OpenLIT, OpenLLMetry
		"llm.usage.reasoning_tokens",                   // OpenLLMetry (older)
		"llm.token_count.completion_details.reasoning", // OpenInference
		"ai.usage.reasoningTokens",                     // Vercel AI SDK
	}
)

// Vercel AI SDK provider names (first segment of ai.model.provider) that are not provider aliases.
var vercelProviders = map[string]string{
	"amazon-bedrock": "aws.bedrock",
	"azure-openai":   "azure.ai.openai",
	"azure":          "azure.ai.openai",
	"google-vertex":  "gcp.vertex_ai",
	"vertex":         "gcp.vertex_ai",
	"mistral":        "mistral_ai",
}
