package main

import (
	"fmt"
	"io"

	"github.com/synthor/synthor/llm"
	"github.com/synthor/synthor/synthor"
)

// plannerRun is the planner a synth run uses, with its LLM backend (nil for
// the stat planner).
type plannerRun struct {
	planner synthor.Planner
	backend *llm.Backend
}

// close releases the backend.
func (p plannerRun) close() {
	if p.backend != nil {
		p.backend.Close()
	}
}

// accounting renders the backend's LLM accounting for the summary line,
// or "" for the stat planner.
func (p plannerRun) accounting() string {
	if p.backend == nil {
		return ""
	}
	a := p.backend.Stats()
	est := ""
	if a.TokensEstimated {
		est = " (estimated)"
	}
	return fmt.Sprintf("; LLM %s: %d calls, %d cache hits, %d retries, %d parse failures, tokens %d prompt + %d completion%s, cost $%.4f, latency p50 %.0f ms",
		p.backend.Config().Model, a.Calls, a.CacheHits, a.Retries, a.ParseFailures, a.PromptTokens, a.CompletionTokens, est, a.CostUSD, a.LatencyP50MS)
}

// newPlanner returns the planner the settings name: the stat planner (no
// LLM), or the LLM planner over the backend configured by the llm keys,
// logging retries to logw.
func newPlanner(cfg synthor.Config, file string, sets []string, logw io.Writer) (plannerRun, error) {
	if cfg.Planner == "" || cfg.Planner == "stat" {
		return plannerRun{planner: synthor.Stat{}}, nil
	}
	p, b, err := openLLMPlanner(file, sets, logw)
	if err != nil {
		return plannerRun{}, fmt.Errorf("llm: %w", err)
	}
	return plannerRun{planner: p, backend: b}, nil
}
