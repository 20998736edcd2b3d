package main

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/synthor/synthor/bench"
	"github.com/synthor/synthor/internal/guard"
	"github.com/synthor/synthor/reports"
	"github.com/synthor/synthor/settings"
	"github.com/synthor/synthor/table"
)

// reportOptions are the flags of synthor report.
type reportOptions struct {
	format, out, baseline string
	failOnRegression      bool
	wide                  bool
	real                  []string
	gate                  gateFlags
}

func newReportCmd() *cobra.Command {
	var o reportOptions
	cmd := &cobra.Command{
		Use:   "report DIR... [--format table|markdown|html|csv|json] [--out FILE]",
		Short: "Render the results of one or more runs; gate a run against a baseline",
		Long: `report reads DIR/results.jsonl (and DIR/results*.jsonl of shards) of each run
directory or results file given, merges them (a cell id appears once), and renders
per dataset the methods (label, planner, backend), the mean ± sd over seeds of every
metric with the best marked, the cells that failed or timed out with their reason,
and a ranking by mean rank; no cell is run. The table format fits 100 columns
(--wide prints every table whole). --format html writes one self-contained page with
plots (no network at view time), to --out or a redirected stdout (to a terminal it is
refused); it draws real against synthetic data from the run's training split, or from
--real DATASET=FILE.

The scorecard comes first in every format: per dataset the headline scores of each
method (mean and 95% t interval over the seeds, with the reference), the ranking on
them with the Friedman and Nemenyi tests, and the methods that copy records.
--scorecard picks the headline set (default: the run's config, else ` + strings.Join(reports.DefaultHeadlineKeys, ",") + `).

With --baseline OLD, report gates the run against OLD: each scorecard score of each
(dataset, method) in both is tested for "worse than OLD" with a one-sided Welch's t
test, and Holm–Bonferroni holds the chance of any false alarm over all comparisons at
--alpha. It prints the verdict, what was compared and how many comparisons were made
(Markdown for a CI job summary with --format markdown, JSON with --format json) and
writes the full report only to --out. --gate-all compares every score of every cell;
--min-effect SCORE=X (or X%) ignores worsenings up to X. Exit status: 1 when something
regressed and --fail-on-regression is set; 2 when the gate compared nothing (a
baseline with nothing in common), with or without it.`,
		Example: `  synthor report out/run
  synthor report out/shard-0 out/shard-1 out/shard-2 --format html --out report.html
  synthor report out/new --baseline out/old --fail-on-regression --format markdown`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runReport(cmd, args, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.format, "format", "table", "output format: "+strings.Join(reports.Formats, ", "))
	f.StringVar(&o.out, "out", "", "write the report to `FILE` (atomically) instead of stdout")
	f.StringVar(&o.baseline, "baseline", "", "baseline run `DIR` (or results file) to compare with")
	f.BoolVar(&o.failOnRegression, "fail-on-regression", false, "exit 1 when a score got significantly worse than --baseline's")
	o.gate.register(cmd)
	f.BoolVar(&o.wide, "wide", false, "table format: every table whole, however wide (default: fit 100 columns)")
	f.StringArrayVar(&o.real, "real", nil, "`DATASET=FILE`: the real table of a dataset, for the HTML report's marginals and heat maps; repeatable")
	return cmd
}

func runReport(cmd *cobra.Command, dirs []string, o reportOptions) error {
	if !slices.Contains(reports.Formats, o.format) {
		return usagef("report: --format %q is not one of %s", o.format, strings.Join(reports.Formats, ", "))
	}
	if o.failOnRegression && o.baseline == "" {
		return usagef("report: --fail-on-regression needs --baseline")
	}
	if o.format == "html" && o.out == "" && o.baseline == "" && isTerminal(cmd.OutOrStdout()) {
		return usagef("report: --format html writes a whole page; give --out report.html (or redirect stdout to a file)")
	}
	if err := checkReportOut(dirs, o); err != nil {
		return err
	}
	run, err := reports.Open(dirs...)
	if err != nil {
		return err
	}
	if err := checkReportFiles(run, o.out); err != nil {
		return err
	}
	if err := readReal(run, o.real); err != nil {
		return err
	}
	if o.format == "html" {
		run.LoadPrepared()
	}
	headline, gate, err := o.gate.options(dirs[0])
	if err != nil {
		return usageError{fmt.Errorf("report: %w", err)}
	}
	m := reports.BuildWith(run.Results, reports.ScorecardOptions{Scores: headline})
	stdout := cmd.OutOrStdout()
	width := tableWidth(o.wide)
	if o.out != "" {
		if err := table.WriteAtomic(o.out, func(w io.Writer) error { return reports.WriteWidth(w, o.format, run, m, width) }); err != nil {
			return fmt.Errorf("report: %w", err)
		}
	} else if o.baseline == "" {
		var buf bytes.Buffer
		if err := reports.WriteWidth(&buf, o.format, run, m, width); err != nil {
			return fmt.Errorf("report: %w", err)
		}
		_, err := stdout.Write(buf.Bytes())
		return err
	}
	if o.baseline == "" {
		return nil
	}
	return runGate(stdout, run.Results, o, gate)
}

// runGate gates results against --baseline and prints the verdict.
func runGate(stdout io.Writer, results []bench.Result, o reportOptions, opts reports.GateOptions) error {
	base, err := reports.Load(o.baseline)
	if err != nil {
		return err
	}
	g, gateErr := reports.Gate(results, base, opts)
	format := "table"
	if o.format == "markdown" || o.format == "json" {
		format = o.format
	}
	var buf bytes.Buffer
	if err := reports.WriteGate(&buf, g, format); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if _, err := stdout.Write(buf.Bytes()); err != nil {
		return err
	}
	if gateErr != nil {
		return usageError{fmt.Errorf("report: %w against %s", gateErr, o.baseline)}
	}
	if n := len(g.Regressions()); n > 0 && o.failOnRegression {
		return fmt.Errorf("report: %d of %d comparisons regressed against %s", n, len(g.Comparisons)+len(g.Lost), o.baseline)
	}
	return nil
}

// readReal reads the --real tables into run.Real; a dataset the run did
// not use is a usage error naming those it did.
func readReal(run *reports.Run, specs []string) error {
	var names []string
	for _, r := range run.Results {
		if !slices.Contains(names, r.Dataset) {
			names = append(names, r.Dataset)
		}
	}
	for _, spec := range specs {
		name, file, ok := strings.Cut(spec, "=")
		if !ok || name == "" || file == "" {
			return usagef("report: --real %q is not DATASET=FILE", spec)
		}
		if !slices.Contains(names, name) {
			return usagef("report: --real %s: no dataset %q in the results (datasets: %s)", settings.Quote(spec), name, strings.Join(names, ", "))
		}
		t, err := readTable(file, table.ReadOptions{}, budget(guard.DefaultLimit(), len(specs)), "half the physical memory", "give a sample of the real table")
		if err != nil {
			return fmt.Errorf("report: --real %s: %w", name, err)
		}
		if run.Real == nil {
			run.Real = map[string]*table.Table{}
		}
		run.Real[name] = t
	}
	return nil
}
