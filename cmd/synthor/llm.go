package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newLLMCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "llm",
		Short: "(not built yet)",
		RunE: func(*cobra.Command, []string) error {
			return errors.New("llm: not built yet")
		},
	}
}
