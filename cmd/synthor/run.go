package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/synthor/synthor/bench"
	"github.com/synthor/synthor/reports"
)

// writeReports renders the reports of a finished run into its directory:
// DIR/report.md and DIR/report.html.
var writeReports = reports.WriteDirWith

// cellCommand returns the child process that runs a cell's spec file; nil
// is this executable's hidden cell command.
var cellCommand func(spec string) *exec.Cmd

type runFlags struct {
	out, shard                 string
	workers                    int
	resume, quiet, retryFailed bool
	wide                       bool
	sets                       []string
}

func newRunCmd() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run CONFIG.yaml [--out DIR] [--workers N] [--shard I/N] [--resume]",
		Short: "Run an experiment: every dataset × method × seed cell of a config",
		Long: `run expands a config (datasets, methods, seeds, metrics, limits) into cells, runs
each cell in a child process (killed at limits.timeout or limits.memory and recorded
as timeout or oom), --workers at once, and appends one JSON line per finished cell to
DIR/results.jsonl. It writes DIR/report.md and DIR/report.html and prints the
scorecard first: per dataset the headline scores of each method (the config's
scorecard key, else the default set) as the mean and 95% t interval over the seeds
with their reference, the ranking on them with its significance, and the methods that
copy records. A run any of whose cells failed, timed out or ran out of memory says so
in its last line and exits 1 (skipped cells do not count).

--resume skips the cells already recorded (and refuses a directory holding a run of
another config); cells that failed, timed out or ran out of memory are kept unless
--retry-failed runs them again. A directory holding files no run wrote is refused.
Ctrl-C or SIGTERM stops after recording what finished. --shard I/N (or JOB_COMPLETION_INDEX with JOB_COMPLETIONS, or
SLURM_ARRAY_TASK_ID with SLURM_ARRAY_TASK_COUNT) runs every N-th cell and writes
DIR/results.shard-I-of-N.jsonl; synthor merge DIR... joins the shards.`,
		Example: `  synthor run configs/quickstart.yaml
  synthor run configs/paper-ecommerce.yaml --out out/paper --workers 4
  synthor run configs/adult.yaml --shard 2/3 && synthor merge out/adult`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runRun(cmd, args[0], f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.out, "out", "", "run directory (default: the config's output, else out/NAME)")
	fl.IntVar(&f.workers, "workers", 0, "cells run at once (default: limits.workers, else the cores)")
	fl.StringVar(&f.shard, "shard", "", "run shard I of N (I/N)")
	fl.BoolVar(&f.resume, "resume", false, "skip the cells whose results are recorded")
	fl.BoolVar(&f.retryFailed, "retry-failed", false, "with --resume, run again the cells recorded as failed, timeout or oom")
	fl.BoolVar(&f.quiet, "quiet", false, "no progress on stderr")
	fl.BoolVar(&f.wide, "wide", false, "print the summary whole, however wide (default: fit 100 columns)")
	fl.StringArrayVar(&f.sets, "set", nil, "set a config key: key=value (repeatable), e.g. limits.workers=2")
	return cmd
}

func runRun(cmd *cobra.Command, file string, f runFlags) error {
	if f.workers < 0 {
		return usagef("run: --workers must be positive, got %d", f.workers)
	}
	if f.retryFailed && !f.resume {
		return usagef("run: --retry-failed is for --resume")
	}
	if err := checkRunOut(f.out); err != nil {
		return err
	}
	cfg, err := bench.LoadConfig(file, f.sets)
	if err != nil {
		return err
	}
	var card reports.ScorecardOptions
	if len(cfg.Scorecard) > 0 {
		if card.Scores, err = reports.ParseHeadline(cfg.Scorecard); err != nil {
			return usagef("run: config %s: %v", file, err)
		}
	}
	o := bench.RunOptions{Dir: f.out, Workers: f.workers, Resume: f.resume, RetryFailed: f.retryFailed,
		Inputs: []string{file}, Version: version, Command: cellCommand}
	if f.shard != "" {
		if o.Shard, err = bench.ParseShard(f.shard); err != nil {
			return usageError{err}
		}
	} else if s, ok, err := bench.ShardFromEnv(os.Getenv); err != nil {
		return usageError{err}
	} else if ok {
		o.Shard = s
	}
	workers := o.Workers
	if workers == 0 {
		workers = cfg.Limits.Workers
	}
	if !f.quiet {
		o.Progress = newProgress(cmd.ErrOrStderr(), workers)
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	sum, err := bench.Run(ctx, cfg, o)
	if errors.Is(err, bench.ErrRunDir) {
		return usageError{fmt.Errorf("run: %w", err)}
	}
	if sum == nil {
		return err
	}
	if errors.Is(err, bench.ErrInterrupted) {
		return err
	}
	if err != nil {
		return err
	}
	if err := writeReports(sum.Dir, sum.Results, card); err != nil {
		return fmt.Errorf("run: report: %w", err)
	}
	var b bytes.Buffer
	if err := reports.WriteSummary(&b, reports.BuildWith(sum.Results, card), tableWidth(f.wide)); err != nil {
		return err
	}
	fmt.Fprintf(&b, "\nEvery score of every cell:\n  %s\n  %s\n", filepath.Join(sum.Dir, "report.md"), filepath.Join(sum.Dir, "report.html"))
	fmt.Fprintf(&b, "\n%d cells (%d run, %d resumed) in\n  %s\n", len(sum.Results), sum.Ran, sum.Resumed, sum.ResultsFile)
	if sum.Kept > 0 {
		fmt.Fprintf(&b, "%d of the resumed cells failed, timed out or ran out of memory and were kept: --resume --retry-failed runs them again\n", sum.Kept)
	}
	notOK := notOKCells(sum.Results)
	if notOK != "" {
		fmt.Fprintf(&b, "%s\n", notOK)
	}
	if _, err := cmd.OutOrStdout().Write(b.Bytes()); err != nil {
		return err
	}
	if notOK != "" {
		return fmt.Errorf("run: %s; see %s", notOK, filepath.Join(sum.Dir, "report.md"))
	}
	return nil
}

// notOKCells says how many cells failed, timed out or ran out of memory
// ("3 cells did not end ok: 2 failed, 1 timeout"); "" when none did.
// Skipped cells do not count.
func notOKCells(rs []bench.Result) string {
	counts := map[bench.Status]int{}
	n := 0
	for _, r := range rs {
		if r.Status != bench.StatusOK && r.Status != bench.StatusSkipped {
			counts[r.Status]++
			n++
		}
	}
	if n == 0 {
		return ""
	}
	var parts []string
	for _, s := range []bench.Status{bench.StatusFailed, bench.StatusTimeout, bench.StatusOOM} {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
			delete(counts, s)
		}
	}
	for _, s := range slices.Sorted(maps.Keys(counts)) { // statuses the list above does not know
		parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
	}
	return fmt.Sprintf("%d of %d cells did not end ok: %s", n, len(rs), strings.Join(parts, ", "))
}

// checkRunOut refuses a --out that names an existing file: a run
// directory holds many files.
func checkRunOut(out string) error {
	if out == "" {
		return nil
	}
	if st, err := os.Stat(out); err == nil && !st.IsDir() {
		return usagef("run: --out %s is a file, not a directory (a run writes results.jsonl, reports and cells into it)", out)
	}
	return nil
}

// newProgress draws a bar on a terminal and plain lines otherwise.
func newProgress(w io.Writer, workers int) bench.Progress {
	if workers <= 0 {
		workers = bench.DefaultWorkers()
	}
	if isTerminal(w) {
		return bench.BarProgress(w, workers)
	}
	return bench.LineProgress(w, workers)
}

// tableWidth is the columns a terminal table may take: all it needs with
// --wide, else reports.DefaultWidth.
func tableWidth(wide bool) int {
	if wide {
		return 0
	}
	return reports.DefaultWidth
}

// isTerminal reports whether w is a terminal.
var isTerminal = func(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
}

func newCellCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "cell SPEC.json",
		Short:  "Run one cell of synthor run (internal)",
		Hidden: true,
		Args:   cobra.ExactArgs(1),
		RunE:   func(cmd *cobra.Command, args []string) error { return bench.RunCell(cmd.Context(), args[0]) },
	}
}

func newMergeCmd() *cobra.Command {
	var out, same string
	var wide bool
	cmd := &cobra.Command{
		Use:   "merge DIR... [--out DIR]",
		Short: "Merge the results of run directories (the shards of a run) and print the summary",
		Long: `merge reads every results file (results.jsonl, results.shard-I-of-N.jsonl) of each
DIR, keeps one row per cell id in matrix order (an ok row over a failed one), prints
the scorecard that synthor run prints and, with --out, writes the merged rows to
OUT/results.jsonl. --same-as DIR fails unless the merged rows equal DIR's, timings
aside. synthor report DIR... renders every score of the same merged rows.`,
		Example: `  synthor merge out/adult
  synthor merge shard1/ shard2/ shard3/ --out out/merged
  synthor merge out/sharded --same-as out/single`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, dirs []string) error {
			if err := checkRunOut(out); err != nil {
				return fmt.Errorf("merge: %w", err)
			}
			if err := checkMergeOut(out, dirs, same); err != nil {
				return err
			}
			rs, err := bench.Merge(dirs...)
			if err != nil {
				return err
			}
			if out != "" {
				if err := os.MkdirAll(out, 0o755); err != nil {
					return err
				}
				if err := bench.WriteResults(filepath.Join(out, bench.ResultsFile), rs); err != nil {
					return err
				}
			}
			var b bytes.Buffer
			if err := reports.WriteSummary(&b, reports.Build(rs), tableWidth(wide)); err != nil {
				return err
			}
			if _, err = cmd.OutOrStdout().Write(b.Bytes()); err != nil {
				return err
			}
			if same != "" {
				want, err := bench.Merge(same)
				if err != nil {
					return err
				}
				if err := bench.Same(rs, want); err != nil {
					return fmt.Errorf("merge: the merged results differ from %s: %w", same, err)
				}
				_, err = fmt.Fprintf(cmd.ErrOrStderr(), "merge: %d results, the same as %s (timings aside)\n", len(rs), same)
				return err
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "write the merged rows to OUT/results.jsonl")
	cmd.Flags().BoolVar(&wide, "wide", false, "print the summary whole, however wide (default: fit 100 columns)")
	cmd.Flags().StringVar(&same, "same-as", "", "fail unless the merged results equal those of this run directory (timings aside)")
	return cmd
}
