package metrics

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/rules"
	"github.com/synthor/synthor/settings"
	"github.com/synthor/synthor/table"
)

// Input is what a metric group scores: a real table, a synthetic table with
// the same columns, and the options that shape the scores.
type Input struct {
	Real    *table.Table
	Synth   *table.Table
	Holdout *table.Table // optional
	// Joints are the column groups scored as contingency tables; nil means
	// all pairs.
	Joints [][]string
	// Bins is the number of quantile bins for numeric columns in frequency
	// and contingency tables (0: the default).
	Bins int
	// PairFilter is the SDMetrics pair convention: "sdmetrics" (default) or "all".
	PairFilter string
	// Targeted, when set, names the statistics the synthesizer targeted, as
	// sorted, comma-joined column lists ("price" or "product_category,price").
	Targeted map[string]bool
	// Seed drives every random choice (C2ST splits and subsamples).
	Seed uint64
	// C2STRows caps the rows drawn from each side for the classifier
	// two-sample test: 0 means DefaultC2STRows (50,000), a negative value
	// skips the test.
	C2STRows int
	// Rules are the plausibility rules the plausibility group checks on
	// both tables; nil picks a shipped set whose columns the synthetic
	// table has (rules/paper: population.rules, then ecommerce.rules).
	Rules *rules.Set
	// Queries are the policy queries the queries group evaluates on both
	// tables; nil picks rules/paper/population.queries when the synthetic
	// table has its columns.
	Queries *rules.Set
	// Overrides are the what-if target overrides the synthetic table was
	// made under; the adaptability group scores how close the output is to
	// them and how far the rest drifted from the real table.
	Overrides settings.Overrides
	// Target names the label column of the utility group (from --target or
	// the dataset catalog); empty: the group reports why it has no score.
	Target string
	// Truth, when set, is a large fresh sample of the generator of a
	// controlled dataset: TruthScores scores against it as well.
	Truth *table.Table
	// Controls, when set, are the control totals (a targets file, grouped
	// or flat) the controls group scores the synthetic table against.
	Controls *macro.Targets
}

// Group computes the scores of one metric group.
type Group interface {
	Scores(ctx context.Context, in Input) ([]Score, error)
}

// GroupFunc adapts a function to the Group interface.
type GroupFunc func(ctx context.Context, in Input) ([]Score, error)

// Scores calls f.
func (f GroupFunc) Scores(ctx context.Context, in Input) ([]Score, error) { return f(ctx, in) }

// groups is the registry of metric groups by the name used in --metrics and
// configs.
var groups = map[string]Group{
	"fidelity":     GroupFunc(Fidelity),
	"sdmetrics":    GroupFunc(SDMetrics),
	"utility":      GroupFunc(Utility),
	"privacy":      GroupFunc(Privacy),
	"plausibility": GroupFunc(Plausibility),
	"queries":      GroupFunc(Queries),
	"adaptability": GroupFunc(Adaptability),
	"controls":     GroupFunc(Controls),
}

// Lookup returns the named group, or an error listing the valid names.
func Lookup(name string) (Group, error) {
	if g, ok := groups[name]; ok {
		return g, nil
	}
	return nil, fmt.Errorf("unknown metric group %q (valid: %s)", name, strings.Join(GroupNames(), ", "))
}

// GroupNames returns the registered group names, sorted.
func GroupNames() []string {
	out := make([]string, 0, len(groups))
	for k := range groups {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
