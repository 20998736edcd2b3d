package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newDatasetsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "datasets",
		Short: "(not built yet)",
		RunE: func(*cobra.Command, []string) error {
			return errors.New("datasets: not built yet")
		},
	}
}
