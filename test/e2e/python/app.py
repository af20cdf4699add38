"""A Python service that sends only traces: the real openai client, instrumented by one of

  openinference  openinference-instrumentation-openai (OpenInference: llm.* attributes)
  openai-v2      opentelemetry-instrumentation-openai-v2 (the official one: GenAI semconv gen_ai.*)

exporting OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, calling the OpenAI API at OPENAI_BASE_URL (the simulator in
the tests). Usage: python app.py <openinference|openai-v2>. It makes, in this order, each in its own feature
(app.feature, set on every span by a span processor, as an app's attribution code would):

  chat       a chat completion
  stream     a streamed chat completion with stream_options.include_usage
  cached     a chat completion whose prompt was mostly served from the prompt cache
  embed      an embeddings request
  no-usage   a streamed chat completion without include_usage (the API sends no usage)

and prints one JSON line with what the client saw (the usage of each call), then flushes and exits.
"""

import contextvars
import json
import os
import sys

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

FEATURE = contextvars.ContextVar("feature", default=None)


class Attribution(SpanProcessor):
    """Puts the current feature on every span (what withAttribution does in @otel-llm-cost/node)."""

    def on_start(self, span, parent_context=None):
        feature = FEATURE.get()
        if feature:
            span.set_attribute("app.feature", feature)


def main() -> None:
    which = sys.argv[1]
    resource = Resource.create(
        {
            "service.name": os.environ.get("OTEL_SERVICE_NAME", f"py-{which}"),
            "deployment.environment.name": "prod",
        }
    )
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(Attribution())
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)

    if which == "openinference":
        from openinference.instrumentation.openai import OpenAIInstrumentor
    elif which == "openai-v2":
        from opentelemetry.instrumentation.openai_v2 import OpenAIInstrumentor
    else:
        raise SystemExit(f"unknown instrumentation {which!r}")
    OpenAIInstrumentor().instrument(tracer_provider=provider)

    import openai

    client = openai.OpenAI(api_key="sk-test", base_url=os.environ["OPENAI_BASE_URL"], max_retries=0)
    seen = {}

    def call(feature, fn):
        token = FEATURE.set(feature)
        try:
            seen[feature] = fn()
        finally:
            FEATURE.reset(token)

    def chat():
        r = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "chat"}])
        return r.usage.model_dump()

    def stream(include_usage, content):
        def run():
            kwargs = {"stream_options": {"include_usage": True}} if include_usage else {}
            usage = None
            for chunk in client.chat.completions.create(
                model="gpt-4o-mini", messages=[{"role": "user", "content": content}], stream=True, **kwargs
            ):
                if chunk.usage is not None:
                    usage = chunk.usage.model_dump()
            return usage

        return run

    def cached():
        r = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "cached"}])
        return r.usage.model_dump()

    def embed():
        r = client.embeddings.create(model="text-embedding-3-small", input=["embed one", "embed two"])
        return r.usage.model_dump()

    call("chat", chat)
    call("stream", stream(True, "stream"))
    call("cached", cached)
    call("embed", embed)
    call("no-usage", stream(False, "no-usage"))

    provider.shutdown()  # flushes the batch processor
    print(json.dumps(seen), flush=True)


if __name__ == "__main__":
    main()
