package main

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

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
	tol                   reports.Tolerance
	real                  []string
}

func newReportCmd() *cobra.Command {
	o := reportOptions{tol: reports.DefaultTolerance}
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

With --baseline OLD, report compares each metric's seed mean with OLD's and lists
those that got worse by more than max(K standard errors, REL × |baseline|); it
prints that verdict (Markdown for a CI comment with --format markdown, JSON with
--format json) and writes
the full report only to --out. --fail-on-regression makes a regression exit 1.`,
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
	f.BoolVar(&o.failOnRegression, "fail-on-regression", false, "exit 1 when a metric got worse than --baseline beyond the tolerance")
	f.Float64Var(&o.tol.SD, "tolerance-sd", o.tol.SD, "allowed worsening in standard errors of the difference of seed means (`K`)")
	f.Float64Var(&o.tol.Rel, "tolerance", o.tol.Rel, "allowed worsening as a share of the baseline mean (`REL`)")
	f.BoolVar(&o.wide, "wide", false, "table format: every table whole, however wide (default: fit 100 columns)")
	f.StringArrayVar(&o.real, "real", nil, "`DATASET=FILE`: the real table of a dataset, for the HTML report's marginals and heat maps; repeatable")
	return cmd
}

func runReport(cmd *cobra.Command, dirs []string, o reportOptions) error {
	if !slices.Contains(reports.Formats, o.format) {
		return usagef("report: --format %q is not one of %s", o.format, strings.Join(reports.Formats, ", "))
	}
	if o.tol.SD < 0 || o.tol.Rel < 0 {
		return usagef("report: --tolerance-sd and --tolerance must not be negative")
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
	m := reports.Build(run.Results)
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
	base, err := reports.Load(o.baseline)
	if err != nil {
		return err
	}
	regs := reports.Compare(m, reports.Build(base), o.tol)
	var buf bytes.Buffer
	if o.format == "json" {
		err = reports.WriteRegressionsJSON(&buf, regs, o.tol)
	} else {
		err = reports.WriteRegressions(&buf, o.format == "markdown", regs, o.tol)
	}
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if _, err := stdout.Write(buf.Bytes()); err != nil {
		return err
	}
	if len(regs) > 0 && o.failOnRegression {
		return fmt.Errorf("report: %d metrics regressed against %s", len(regs), o.baseline)
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
