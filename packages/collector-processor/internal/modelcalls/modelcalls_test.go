package modelcalls

import (
	"testing"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

func attrs(kv ...string) pcommon.Map {
	m := pcommon.NewMap()
	for i := 0; i+1 < len(kv); i += 2 {
		m.PutStr(kv[i], kv[i+1])
	}
	return m
}

func TestClassify(t *testing.T) {
	tbl, err := Bundled()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, span, scope string
		attrs             pcommon.Map
		role              Role
		dialect           string
	}{
		{"vercel doGenerate", "ai.generateText.doGenerate", "ai", attrs("ai.operationId", "ai.generateText.doGenerate"), Call, "vercel_ai"},
		{"vercel doStream", "ai.streamText.doStream", "ai", attrs("ai.operationId", "ai.streamText.doStream"), Call, "vercel_ai"},
		{"vercel doEmbed", "ai.embedMany.doEmbed", "ai", attrs("ai.operationId", "ai.embedMany.doEmbed"), Call, "vercel_ai"},
		{"vercel outer", "ai.generateText", "ai", attrs("ai.operationId", "ai.generateText", "gen_ai.system", "openai.chat"), Summary, "vercel_ai"},
		{"vercel tool call", "ai.toolCall", "ai", attrs("ai.operationId", "ai.toolCall"), Summary, "vercel_ai"},
		{"openinference openai LLM", "ChatCompletion", "openinference.instrumentation.openai", attrs("openinference.span.kind", "LLM"), Call, "openinference"},
		{"openinference embedding", "CreateEmbeddings", "openinference.instrumentation.openai", attrs("openinference.span.kind", "EMBEDDING"), Call, "openinference"},
		{"openinference langchain LLM", "ChatOpenAI", "openinference.instrumentation.langchain", attrs("openinference.span.kind", "LLM"), Framework, "openinference"},
		{"openinference JS langchain", "ChatOpenAI", "@arizeai/openinference-instrumentation-langchain", attrs("openinference.span.kind", "LLM"), Framework, "openinference"},
		{"openinference openai_agents is not openai", "response", "openinference.instrumentation.openai_agents", attrs("openinference.span.kind", "LLM"), Framework, "openinference"},
		{"openinference chain", "RunnableSequence", "openinference.instrumentation.langchain", attrs("openinference.span.kind", "CHAIN"), Summary, "openinference"},
		{"openinference agent", "Crew.kickoff", "openinference.instrumentation.crewai", attrs("openinference.span.kind", "AGENT"), Summary, "openinference"},
		{"openllmetry workflow", "joke.workflow", "traceloop.tracer", attrs("traceloop.span.kind", "workflow"), Summary, "openllmetry"},
		{"openllmetry chat", "openai.chat", "opentelemetry.instrumentation.openai.v1", attrs("llm.request.type", "chat", "gen_ai.system", "openai"), Call, "openllmetry"},
		{"openllmetry embedding", "openai.embeddings", "opentelemetry.instrumentation.openai.v1", attrs("llm.request.type", "embedding"), Call, "openllmetry"},
		{"semconv chat", "chat gpt-4o", "opentelemetry.instrumentation.openai_v2", attrs("gen_ai.operation.name", "chat"), Call, "semconv"},
		{"semconv embeddings", "embeddings text-embedding-3-small", "x", attrs("gen_ai.operation.name", "embeddings"), Call, "semconv"},
		{"semconv invoke_agent", "invoke_agent Helper", "x", attrs("gen_ai.operation.name", "invoke_agent"), Summary, "semconv"},
		{"semconv execute_tool", "execute_tool search", "x", attrs("gen_ai.operation.name", "execute_tool"), Summary, "semconv"},
		{"semconv chat of a framework", "chat gpt-4o", "opentelemetry.instrumentation.langchain", attrs("gen_ai.operation.name", "chat", "gen_ai.framework", "langchain"), Framework, "semconv"},
		{"openlit framework chat", "chat gpt-4o", "openlit.otel.tracing", attrs("gen_ai.operation.name", "chat", "gen_ai.system", "langchain"), Framework, "openlit"},
		{"openlit openai chat", "chat gpt-4o", "openlit.otel.tracing", attrs("gen_ai.operation.name", "chat", "gen_ai.system", "openai"), Call, "semconv"},
		{"openlit framework op", "langchain.retrieve", "openlit.otel.tracing", attrs("gen_ai.operation.name", "framework"), Summary, "semconv"},
		{"anthropic sdk create", "anthropic.messages.create", "com.anthropic.sdk.typescript", attrs("gen_ai.operation.name", "chat"), Call, "anthropic_sdk"},
		{"anthropic sdk count_tokens", "anthropic.messages.count_tokens", "com.anthropic.sdk.typescript", attrs("gen_ai.provider.name", "anthropic"), Other, "anthropic_sdk"},
		{"no rule", "GET /health", "http", attrs("http.route", "/health"), None, ""},
		{"usage only (fallback)", "custom", "x", attrs("gen_ai.system", "openai"), None, ""},
		{"kind is not a string", "x", "x", func() pcommon.Map { m := pcommon.NewMap(); m.PutInt("openinference.span.kind", 1); return m }(), Summary, "openinference"},
		{"operation is not a string", "x", "x", func() pcommon.Map { m := pcommon.NewMap(); m.PutInt("gen_ai.operation.name", 1); return m }(), None, ""},
	}
	for _, c := range cases {
		role, dialect := tbl.Classify(c.attrs, c.span, c.scope)
		if role != c.role || dialect != c.dialect {
			t.Errorf("%s: %v (%s), want %v (%s)", c.name, role, dialect, c.role, c.dialect)
		}
		// ClassifyValues, from the values the caller looked up, decides the same.
		var v Values
		for i, k := range tbl.Keys() {
			v.Values[i], v.Found[i] = c.attrs.Get(k)
		}
		if role, dialect := tbl.ClassifyValues(&v, c.span, c.scope); role != c.role || dialect != c.dialect {
			t.Errorf("%s: ClassifyValues %v (%s), want %v (%s)", c.name, role, dialect, c.role, c.dialect)
		}
	}
}

func TestParseRejectsBadTables(t *testing.T) {
	for name, doc := range map[string]string{
		"not json":        `{`,
		"version":         `{"version": 2, "roles": {"call": ""}, "rules": []}`,
		"unknown role":    `{"version": 1, "roles": {"call": ""}, "rules": [{"dialect": "x", "role": "bogus", "when": [{"attribute": "a", "present": true}]}]}`,
		"undocumented":    `{"version": 1, "roles": {}, "rules": [{"dialect": "x", "role": "call", "when": [{"attribute": "a", "present": true}]}]}`,
		"no condition":    `{"version": 1, "roles": {"call": ""}, "rules": [{"dialect": "x", "role": "call", "when": []}]}`,
		"two kinds":       `{"version": 1, "roles": {"call": ""}, "rules": [{"dialect": "x", "role": "call", "when": [{"attribute": "a", "present": true, "in": ["b"]}]}]}`,
		"no attribute":    `{"version": 1, "roles": {"call": ""}, "rules": [{"dialect": "x", "role": "call", "when": [{"in": ["b"]}]}]}`,
		"scope with attr": `{"version": 1, "roles": {"call": ""}, "rules": [{"dialect": "x", "role": "call", "when": [{"attribute": "a", "scope_prefix": ["b"]}]}]}`,
		"no dialect":      `{"version": 1, "roles": {"call": ""}, "rules": [{"role": "call", "when": [{"attribute": "a", "present": true}]}]}`,
	} {
		if _, err := Parse([]byte(doc)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestClassifyAllocatesNothing(t *testing.T) {
	tbl, _ := Bundled()
	m := attrs("gen_ai.operation.name", "chat", "gen_ai.provider.name", "openai", "gen_ai.request.model", "gpt-4o")
	if n := testing.AllocsPerRun(100, func() { tbl.Classify(m, "chat gpt-4o", "x") }); n != 0 {
		t.Errorf("%v allocations per span", n)
	}
}

func BenchmarkClassify(b *testing.B) {
	tbl, _ := Bundled()
	m := attrs("gen_ai.operation.name", "chat", "gen_ai.provider.name", "openai", "gen_ai.request.model", "gpt-4o",
		"gen_ai.response.model", "gpt-4o-2024-08-06", "server.address", "api.openai.com", "app.feature", "rag")
	m.PutInt("gen_ai.usage.input_tokens", 1000)
	m.PutInt("gen_ai.usage.output_tokens", 100)
	b.ReportAllocs()
	for b.Loop() {
		tbl.Classify(m, "chat gpt-4o", "opentelemetry.instrumentation.openai_v2")
	}
}
