package main

import (
	"fmt"

	"github.com/synthor/synthor/llm"
	"github.com/synthor/synthor/synthor"
)

// newPlanner returns the planner the settings name: the stat planner (no
// LLM), or the LLM planner over the configured backend. closeFn releases
// the backend.
func newPlanner(cfg synthor.Config, file string, sets []string) (synthor.Planner, func(), error) {
	if cfg.Planner == "" || cfg.Planner == "stat" {
		return synthor.Stat{}, func() {}, nil
	}
	lc, err := loadLLMConfig(file, sets)
	if err != nil {
		return nil, nil, err
	}
	b, err := openBackend(lc)
	if err != nil {
		return nil, nil, err
	}
	return nil, func() { b.Close() }, fmt.Errorf("planner llm: not wired yet")
}

func openBackend(lc llm.Config) (*llm.Backend, error) {
	b, err := llm.Open(lc)
	if err != nil {
		return nil, fmt.Errorf("llm: %w", err)
	}
	return b, nil
}
