package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// usageError marks bad command-line usage: exit status 2.
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

// usagef returns a usageError with a formatted message.
func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// run executes the CLI with args, writing to stdout and stderr. It returns
// the error to print; a usageError means exit status 2.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	root := newRootCmd(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err != nil && isCobraUsage(err) {
		return usageError{err}
	}
	return err
}

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "synthor",
		Short: "Synthesize micro-records aligned to macro-statistics, and benchmark synthesizers",
		Long: `synthor implements LLMSynthor (macro-aligned micro-record synthesis guided by a
planner: an LLM, or the offline "stat" planner that uses no LLM) and compares it
with baseline synthesizers on fidelity metrics.`,
		Example: `  synthor datasets export ecommerce-bn --rows 2000 --seed 1 --out ref.csv
  synthor synth --data ref.csv --method llmsynthor --rows 2000 --out synth.csv
  synthor eval --real ref.csv --synth synth.csv`,
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(
		newDatasetsCmd(),
		newEvalCmd(),
		newSynthCmd(),
		newLLMCmd(),
		newRunCmd(),
		newCellCmd(),
		newMergeCmd(),
		newReportCmd(),
	)
	for _, c := range root.Commands() {
		c.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	}
	return root
}

// isCobraUsage recognises cobra's own argument errors (unknown command,
// wrong number of arguments).
func isCobraUsage(err error) bool {
	var u usageError
	if errors.As(err, &u) {
		return false
	}
	msg := err.Error()
	for _, p := range []string{"unknown command", "accepts ", "requires at least", "requires at most", "unknown flag", "unknown shorthand", "required flag"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}
