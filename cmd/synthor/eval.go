package main

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/internal/guard"
	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/metrics"
	"github.com/synthor/synthor/reports"
	"github.com/synthor/synthor/rules"
	"github.com/synthor/synthor/settings"
	"github.com/synthor/synthor/table"
)

// evalOptions are the flags of synthor eval.
type evalOptions struct {
	real, holdout   string
	synths          []string
	schema, targets string
	groups          string
	joints          settings.Joints
	bins            int
	format          string
	pairFilter      string
	seed            settings.Seed
	c2stRows        int
	c2stClassifier  string
	rules           string
	target, truth   string
	overrides       settings.Overrides
	maxMemory       guard.Limit
	wide            bool
}

func newEvalCmd() *cobra.Command {
	var o evalOptions
	cmd := &cobra.Command{
		Use:   "eval --real FILE --synth FILE",
		Short: "Score a synthetic table against the real one",
		Long: `eval reads a real and a synthetic table (CSV, JSON lines or Parquet), checks that
they have the same columns with the same kinds, and computes the requested metric
groups. The fidelity group compares each column (tvd, ks, wasserstein, jsd,
hellinger), each pair of columns or each --joints group (jsd, tvd, srmse,
pearson_diff, spearman_diff, cramers_v_diff), runs a classifier two-sample test
(c2st_gap, c2st_auc) and adds the SDMetrics summary scores. Numeric columns are
cut into --bins quantile bins of the real data for frequency tables; missing
values are a category of their own there and are dropped from ks, wasserstein
and correlations. With --targets, each score says whether its columns were a
target of the synthesizer. With --holdout, each score also carries its
reference: the same metric with the holdout in the synthetic table's place, at
the same size and seed (what unseen real data scores). Given --synth more than
once, eval scores each file and prints one comparison with a value column per
file. Scoring goes through metrics.Evaluate, as a run cell's does.`,
		Example: `  synthor eval --real ref.csv --synth synth.csv
  synthor eval --real ref.csv --synth synth.csv --joints "age,gender,category;category,price" --format json
  synthor eval --real ref.csv --synth synth.csv --metrics fidelity,sdmetrics --targets targets.yaml
  synthor eval --real ref.csv --synth llmsynthor.csv --synth bayes-net.csv --synth independent.csv --format markdown`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runEval(cmd, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.real, "real", "", "real (reference) table `FILE`")
	f.StringArrayVar(&o.synths, "synth", nil, "synthetic table `FILE`; repeat it to compare several side by side")
	f.StringVar(&o.holdout, "holdout", "", "optional held-out real table `FILE` (for groups that use one)")
	f.StringVar(&o.schema, "schema", "", "schema `FILE` (YAML or JSON) applied to every table; kinds are inferred without it")
	f.StringVar(&o.targets, "targets", "", "macro aggregates `FILE`: scores over a targeted marginal or joint are marked targeted")
	f.StringVar(&o.groups, "metrics", "fidelity", "comma-separated metric `GROUPS` ("+strings.Join(metrics.GroupNames(), ", ")+")")
	f.Var(&o.joints, "joints", `column groups scored as contingency tables, e.g. "a,b,c;c,x" (default: all pairs)`)
	f.IntVar(&o.bins, "bins", macro.DefaultBins, "quantile bins per numeric column in frequency tables")
	f.StringVar(&o.format, "format", "table", "output format: table, markdown, json or csv")
	f.StringVar(&o.pairFilter, "pair-filter", metrics.PairFilterSDMetrics, "SDMetrics pair convention: sdmetrics or all")
	f.Var(&o.seed, "seed", "seed of the classifier test's subsample and split (default 0)")
	f.IntVar(&o.c2stRows, "c2st-rows", metrics.DefaultC2STRows, "rows drawn from each side for the classifier test (0 skips it)")
	f.StringVar(&o.c2stClassifier, "c2st-classifier", metrics.C2STHGB, "classifier of the two-sample (detection) test: "+strings.Join(metrics.C2STClassifiers, " (5-fold cross-validated, the default) or ")+" (20 trees, one 70/30 split)")
	f.StringVar(&o.rules, "rules", "", "plausibility rule `FILE` for the plausibility group (default: a shipped set that fits the columns)")
	f.StringVar(&o.target, "target", "", "label `COLUMN` of the utility group (default: the dataset catalog's target)")
	f.StringVar(&o.truth, "truth", "", "score against the truth too: `N` fresh records of the real table's generator, or a FILE")
	f.Var(&o.maxMemory, "max-memory", "refuse, before scoring, tables whose scores would need more memory than `SIZE` (e.g. 8GiB, 75%; default: half the physical memory)")
	f.BoolVar(&o.wide, "wide", false, "table format: the whole table, however wide (default: fit 100 columns)")
	f.Var(&o.overrides, "overrides", "what-if overrides `var=category:share` the synthetic table was made under, comma-separated or repeated (adaptability group)")
	return cmd
}

// validate checks the flags; its errors are usage errors.
func (o evalOptions) validate() ([]metrics.Group, []string, [][]string, error) {
	if o.real == "" || len(o.synths) == 0 {
		return nil, nil, nil, usagef("eval: --real and --synth are required")
	}
	if !slices.Contains(reports.ScoreFormats, o.format) {
		return nil, nil, nil, usagef("eval: --format %q is not one of %s", o.format, strings.Join(reports.ScoreFormats, ", "))
	}
	if o.pairFilter != metrics.PairFilterSDMetrics && o.pairFilter != metrics.PairFilterAll {
		return nil, nil, nil, usagef("eval: --pair-filter %q is not one of sdmetrics, all", o.pairFilter)
	}
	if o.bins < 1 {
		return nil, nil, nil, usagef("eval: --bins %d must be at least 1", o.bins)
	}
	if o.c2stRows < 0 {
		return nil, nil, nil, usagef("eval: --c2st-rows %d is negative", o.c2stRows)
	}
	if !slices.Contains(metrics.C2STClassifiers, o.c2stClassifier) {
		return nil, nil, nil, usagef("eval: --c2st-classifier %s is not one of %s", settings.Quote(o.c2stClassifier), strings.Join(metrics.C2STClassifiers, ", "))
	}
	var groups []metrics.Group
	var names []string
	for n := range strings.SplitSeq(o.groups, ",") {
		n = strings.TrimSpace(n)
		g, err := metrics.Lookup(n)
		if err != nil {
			return nil, nil, nil, usagef("eval: --metrics: %w", err)
		}
		if slices.Contains(names, n) {
			continue
		}
		groups, names = append(groups, g), append(names, n)
	}
	return groups, names, o.joints, nil
}

func runEval(cmd *cobra.Command, o evalOptions) error {
	_, names, joints, err := o.validate()
	if err != nil {
		return err
	}
	limit, source := memoryLimit(o.maxMemory)
	if err := checkEvalFiles(o, limit, source); err != nil {
		return err
	}
	if err := checkEvalHeader(o, limit, source); err != nil {
		return err
	}
	opts := table.ReadOptions{}
	if o.schema != "" {
		s, err := table.LoadSchema(o.schema)
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		opts.Schema = s
	}
	readFile := func(path string) (*table.Table, error) {
		if path == "" {
			return nil, nil
		}
		t, err := readTable(path, opts, budget(limit, 3), source, "score a sample of the files")
		if err != nil {
			return nil, fmt.Errorf("eval: %w", err)
		}
		return t, checkEvalTable(path, t)
	}
	// The real table, the holdout and the first synthetic table are read
	// at once (each read is parallel inside, but its start and end are
	// not); later synthetic tables are read when their turn comes, so that
	// one of them is held at a time.
	read := prefetch(readFile, o.real, o.holdout, o.synths[0])
	real, err := read(o.real)
	if err != nil {
		return err
	}
	holdout, err := read(o.holdout)
	if err != nil {
		return err
	}
	for _, g := range joints {
		for _, c := range g {
			if real.Col(c) == nil {
				return usagef("eval: --joints: column %q is not in %s", c, o.real)
			}
		}
	}
	req := metrics.Request{
		Input: metrics.Input{
			Real: real, Holdout: holdout,
			Joints: joints, Bins: o.bins, PairFilter: o.pairFilter, Seed: uint64(o.seed),
			C2STRows: o.c2stRows, C2STClassifier: o.c2stClassifier, Overrides: o.overrides,
		},
		Groups: names,
		Label:  datasets.Derive,
		Names:  metrics.TableNames{Real: o.real, Holdout: o.holdout, Truth: o.truth},
	}
	if o.c2stRows == 0 {
		req.C2STRows = -1
	}
	need, err := checkEvalSize(o, real, joints)
	if err != nil {
		return err
	}
	// The garbage collector keeps the heap within the estimate.
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(int64(min(need, math.MaxInt64/2))))
	if o.rules != "" {
		if req.Rules, err = rules.ParseFile(o.rules); err != nil {
			return fmt.Errorf("eval: --rules: %w", err)
		}
	}
	if err := utilityInputs(&req.Input, o, names, read); err != nil {
		return err
	}
	if derived, _ := datasets.Derive(req.Real, o.target); o.target != "" && (derived == nil || derived.Col(o.target) == nil) {
		return usagef("eval: --target %s is not a column of %s (columns: %s)", settings.Quote(o.target), o.real, strings.Join(req.Real.Names(), ", "))
	}
	if o.targets != "" {
		tg, err := loadTargets("eval", o.targets, limit, source, "use fewer variables or categories in a joint")
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		if err := checkEvalTargets(o.targets, tg, real); err != nil {
			return err
		}
		req.Targets, req.Controls = tg, tg
	}
	var runs [][]metrics.Score
	for _, path := range o.synths {
		if req.Synth, err = read(path); err != nil {
			return err
		}
		req.Names.Synth = path
		scores, err := metrics.Evaluate(cmd.Context(), req)
		if err != nil {
			return fmt.Errorf("eval: %s: %w", path, err)
		}
		runs = append(runs, scores)
	}
	return writeEval(cmd.OutOrStdout(), o, names, runs)
}

// writeEval renders the score lists: a comparison for several synthetic
// files, else one list (in the terminal table the sdmetrics group as its
// summary: overall, properties, worst five columns and pairs). The table
// and Markdown formats render to a buffer first, so that a failure never
// leaves half a report; JSON and CSV list every score (1.9 million for
// 1,000 columns, 390 MB of JSON) and stream them to w one at a time, so a
// failed write leaves what came before it.
func writeEval(w io.Writer, o evalOptions, names []string, runs [][]metrics.Score) error {
	if o.format == "json" || o.format == "csv" {
		var err error
		if len(runs) > 1 {
			err = reports.WriteComparison(w, o.format, o.synths, runs)
		} else {
			err = reports.WriteScores(w, o.format, runs[0])
		}
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		return nil
	}
	var buf bytes.Buffer
	if len(runs) > 1 {
		if err := reports.WriteComparisonWidth(&buf, o.format, o.synths, runs, tableWidth(o.wide)); err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		_, err := w.Write(buf.Bytes())
		return err
	}
	scores := runs[0]
	shown := scores
	summary := o.format == "table" && slices.Contains(names, "sdmetrics")
	if summary {
		shown = slices.DeleteFunc(slices.Clone(scores), func(s metrics.Score) bool { return s.Group == "sdmetrics" })
	}
	note := ""
	if o.format == "table" || o.format == "markdown" {
		shown, note = summarizeWide(shown)
	}
	if len(shown) > 0 || !summary {
		if err := reports.WriteScoresWidth(&buf, o.format, shown, tableWidth(o.wide)); err != nil {
			return fmt.Errorf("eval: %w", err)
		}
	}
	if note != "" {
		fmt.Fprintf(&buf, "\n%s\n", note)
	}
	if summary {
		if err := writeSummary(&buf, scores); err != nil {
			return fmt.Errorf("eval: %w", err)
		}
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// writeSummary appends the SDMetrics quality summary of the sdmetrics
// group's scores to a table report.
func writeSummary(w *bytes.Buffer, scores []metrics.Score) error {
	var sd []metrics.Score
	for _, s := range scores {
		if s.Group == "sdmetrics" {
			sd = append(sd, s)
		}
	}
	if w.Len() > 0 {
		w.WriteByte('\n')
	}
	return metrics.WriteQualitySummary(w, sd)
}

// prefetch starts read on each path at once and returns a read function
// that waits for a started path's result (once) and reads any other path
// when asked.
func prefetch(read func(string) (*table.Table, error), paths ...string) func(string) (*table.Table, error) {
	type result struct {
		t   *table.Table
		err error
	}
	started := map[string]chan result{}
	for _, p := range paths {
		if _, ok := started[p]; ok || p == "" {
			continue
		}
		ch := make(chan result, 1)
		started[p] = ch
		go func() {
			t, err := read(p)
			ch <- result{t, err}
		}()
	}
	return func(p string) (*table.Table, error) {
		ch, ok := started[p]
		if !ok {
			return read(p)
		}
		delete(started, p)
		r := <-ch
		return r.t, r.err
	}
}
