package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newSynthCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "synth",
		Short: "(not built yet)",
		RunE: func(*cobra.Command, []string) error {
			return errors.New("synth: not built yet")
		},
	}
}
