// Command llmcost-ottl prints a contrib `transform` processor config that prices LLM spans for the
// listed models with OTTL, from the price data bundled with the llmcost processor.
//
//	go run ./cmd/llmcost-ottl [-at 2026-11-20] openai:gpt-4o anthropic:claude-sonnet-4-0 > llmcost-ottl.yaml
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor/internal/ottlgen"
	"github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor/internal/pricing"
)

func main() {
	at := flag.String("at", "", "price date YYYY-MM-DD (default: today, UTC)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: llmcost-ottl [-at YYYY-MM-DD] provider:model ...   (genai-prices ids, e.g. openai:gpt-4o)")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	t := time.Now().UTC()
	if *at != "" {
		var err error
		if t, err = time.Parse("2006-01-02", *at); err != nil {
			fail(fmt.Errorf("-at %q: write the date as YYYY-MM-DD", *at))
		}
	}
	var specs []ottlgen.Spec
	for _, a := range flag.Args() {
		s, err := ottlgen.ParseSpec(a)
		if err != nil {
			fail(err)
		}
		specs = append(specs, s)
	}
	d, err := pricing.Bundled()
	if err != nil {
		fail(err)
	}
	out, err := ottlgen.Generate(d, specs, t)
	if err != nil {
		fail(err)
	}
	fmt.Print(out)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "llmcost-ottl:", err)
	os.Exit(1)
}
