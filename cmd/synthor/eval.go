package main

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/synthor/synthor/bench"
	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/internal/guard"
	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/metrics"
	"github.com/synthor/synthor/reports"
	"github.com/synthor/synthor/rules"
	"github.com/synthor/synthor/table"
)

// evalOptions are the flags of synthor eval.
type evalOptions struct {
	real, holdout   string
	synths          []string
	schema, targets string
	groups          string
	joints          string
	bins            int
	format          string
	pairFilter      string
	seed            uint64
	c2stRows        int
	rules           string
	target, truth   string
	overrides       []string
	maxMemory       string
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
target of the synthesizer. Given --synth more than once, eval scores each file
and prints one comparison with a value column per file.`,
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
	f.StringVar(&o.joints, "joints", "", `column groups scored as contingency tables, e.g. "a,b,c;c,x" (default: all pairs)`)
	f.IntVar(&o.bins, "bins", macro.DefaultBins, "quantile bins per numeric column in frequency tables")
	f.StringVar(&o.format, "format", "table", "output format: table, markdown, json or csv")
	f.StringVar(&o.pairFilter, "pair-filter", metrics.PairFilterSDMetrics, "SDMetrics pair convention: sdmetrics or all")
	f.Uint64Var(&o.seed, "seed", 0, "seed of the classifier test's subsample and split")
	f.IntVar(&o.c2stRows, "c2st-rows", metrics.DefaultC2STRows, "rows drawn from each side for the classifier test (0 skips it)")
	f.StringVar(&o.maxMemory, "max-memory", "", "refuse input estimated or read past this memory (8GiB, 500MB, 75%; default: half the physical memory)")
	f.StringVar(&o.rules, "rules", "", "plausibility rule `FILE` for the plausibility group (default: a shipped set that fits the columns)")
	f.StringVar(&o.target, "target", "", "label `COLUMN` of the utility group (default: the dataset catalog's target)")
	f.StringVar(&o.truth, "truth", "", "score against the truth too: `N` fresh records of the real table's generator, or a FILE")
	f.StringArrayVar(&o.overrides, "overrides", nil, "what-if overrides `var=category:share` the synthetic table was made under, comma-separated or repeated (adaptability group)")
	return cmd
}

// parseJoints parses "a,b,c;c,x" into column groups.
func parseJoints(s string) ([][]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out [][]string
	for g := range strings.SplitSeq(s, ";") {
		var cols []string
		for c := range strings.SplitSeq(g, ",") {
			c = strings.TrimSpace(c)
			if c == "" {
				return nil, fmt.Errorf("--joints: empty column name in group %q", g)
			}
			cols = append(cols, c)
		}
		if len(cols) < 2 {
			return nil, fmt.Errorf("--joints: group %q needs at least two columns", g)
		}
		out = append(out, cols)
	}
	return out, nil
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
	joints, err := parseJoints(o.joints)
	if err != nil {
		return nil, nil, nil, usagef("eval: %w", err)
	}
	for _, ov := range o.overrideList() {
		if _, err := metrics.ParseOverride(ov); err != nil {
			return nil, nil, nil, usagef("eval: --overrides: %w", err)
		}
	}
	return groups, names, joints, nil
}

func runEval(cmd *cobra.Command, o evalOptions) error {
	groups, names, joints, err := o.validate()
	if err != nil {
		return err
	}
	if o.maxMemory != "" {
		if _, err := guard.ParseSize(o.maxMemory); err != nil {
			return usagef("eval: --max-memory: %v", err)
		}
	}
	limit, source := memoryLimit(o.maxMemory)
	if err := checkEvalFiles(o, limit, source); err != nil {
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
	if holdout != nil {
		alignMissing(real, holdout)
		if err := sameColumns(real, holdout, o.real, o.holdout); err != nil {
			return err
		}
	}
	for _, g := range joints {
		for _, c := range g {
			if real.Col(c) == nil {
				return fmt.Errorf("eval: --joints: column %q is not in %s", c, o.real)
			}
		}
	}
	if err := checkEvalSize(real, o.bins, joints, limit, source); err != nil {
		return err
	}
	in := metrics.Input{
		Real: real, Holdout: holdout,
		Joints: joints, Bins: o.bins, PairFilter: o.pairFilter, Seed: o.seed,
		C2STRows: o.c2stRows,
	}
	if o.c2stRows == 0 {
		in.C2STRows = -1
	}
	in.Overrides = o.overrideList()
	if o.rules != "" {
		if in.Rules, err = rules.ParseFile(o.rules); err != nil {
			return fmt.Errorf("eval: --rules: %w", err)
		}
	}
	if err := utilityInputs(&in, o, names, read); err != nil {
		return err
	}
	if o.targets != "" {
		tg, err := loadTargets("eval", o.targets, limit, source, "use fewer variables or categories in a joint")
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		if err := checkEvalTargets(o.targets, tg, real); err != nil {
			return err
		}
		in.Targeted = targetKeys(tg)
	}
	var runs [][]metrics.Score
	for _, path := range o.synths {
		synth, err := read(path)
		if err != nil {
			return err
		}
		alignMissing(real, synth)
		if err := sameColumns(real, synth, o.real, path); err != nil {
			return err
		}
		if in.Synth, err = datasets.Derive(synth, in.Target); err != nil {
			return fmt.Errorf("eval: %s: %w", path, err)
		}
		var scores []metrics.Score
		for i, g := range groups {
			s, err := g.Scores(cmd.Context(), in)
			if err != nil {
				return fmt.Errorf("eval: %s: %s: %w", path, names[i], err)
			}
			scores = append(scores, s...)
			t, err := metrics.TruthScores(cmd.Context(), names[i], g, in)
			if err != nil {
				return fmt.Errorf("eval: %s: %s against the truth: %w", path, names[i], err)
			}
			scores = append(scores, t...)
		}
		runs = append(runs, scores)
	}
	if len(runs) > 1 {
		var buf bytes.Buffer
		if err := reports.WriteComparison(&buf, o.format, o.synths, runs); err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		_, err = cmd.OutOrStdout().Write(buf.Bytes())
		return err
	}
	scores := runs[0]
	// Render to a buffer first: a failure never leaves half a report.
	// In the terminal table the sdmetrics group is shown as its summary
	// (overall, properties, worst five columns and pairs), not row by row.
	var buf bytes.Buffer
	shown := scores
	summary := o.format == "table" && slices.Contains(names, "sdmetrics")
	if summary {
		shown = slices.DeleteFunc(slices.Clone(scores), func(s metrics.Score) bool { return s.Group == "sdmetrics" })
	}
	if len(shown) > 0 || !summary {
		if err := reports.WriteScores(&buf, o.format, shown); err != nil {
			return fmt.Errorf("eval: %w", err)
		}
	}
	if summary {
		if err := writeSummary(&buf, scores); err != nil {
			return fmt.Errorf("eval: %w", err)
		}
	}
	_, err = cmd.OutOrStdout().Write(buf.Bytes())
	return err
}

// compatible reports whether a column kind in one file can be scored
// against another: the same kind, or integer against float.
func compatible(a, b table.Kind) bool {
	num := func(k table.Kind) bool { return k == table.Integer || k == table.Float }
	return a == b || (num(a) && num(b))
}

// alignMissing gives a column that is missing in every row of one table
// the kind of its namesake in the other: a reader cannot infer the kind of
// a column with no values, and such a column must be scored (with reasons),
// not rejected as a kind mismatch.
func alignMissing(a, b *table.Table) {
	for _, c := range a.Cols {
		d := b.Col(c.Name)
		if d == nil || compatible(c.Kind, d.Kind) {
			continue
		}
		switch {
		case d.NullCount() == d.Len():
			replaceColumn(b, table.NewNull(c.Field, d.Len()))
		case c.NullCount() == c.Len():
			replaceColumn(a, table.NewNull(d.Field, c.Len()))
		}
	}
}

// replaceColumn swaps in c for the column of t with the same name.
func replaceColumn(t *table.Table, c *table.Column) {
	for i, old := range t.Cols {
		if old.Name == c.Name {
			t.Cols[i] = c
		}
	}
}

// sameColumns checks that b has exactly a's columns with compatible kinds,
// naming the first column that disagrees.
func sameColumns(a, b *table.Table, aName, bName string) error {
	for _, c := range a.Cols {
		d := b.Col(c.Name)
		if d == nil {
			return fmt.Errorf("eval: column %q of %s is missing from %s", c.Name, aName, bName)
		}
		if !compatible(c.Kind, d.Kind) {
			return fmt.Errorf("eval: column %q is %s in %s but %s in %s", c.Name, c.Kind, aName, d.Kind, bName)
		}
	}
	for _, d := range b.Cols {
		if a.Col(d.Name) == nil {
			return fmt.Errorf("eval: column %q of %s is not in %s", d.Name, bName, aName)
		}
	}
	return nil
}

// targetKeys returns the Input.Targeted keys of targets: each marginal's
// and joint's columns, sorted and comma-joined.
func targetKeys(tg *macro.Targets) map[string]bool {
	out := make(map[string]bool)
	for _, c := range tg.Tables() {
		names := c.Names()
		slices.Sort(names)
		out[strings.Join(names, ",")] = true
	}
	return out
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

// overrideList returns the --overrides values, comma-separated ones split.
func (o evalOptions) overrideList() []string {
	var out []string
	for _, v := range o.overrides {
		out = append(out, bench.SplitList(v)...)
	}
	return out
}
