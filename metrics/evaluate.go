package metrics

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/table"
)

// LabelFunc derives the label column target on t after generation (for
// example ecommerce-bn's discount_propensity), returning t itself when
// there is nothing to derive and never modifying t. Evaluate calls it for
// the utility group only. It is a function, not an import, because the
// catalog that knows the labels (package datasets) sits above metrics.
type LabelFunc func(t *table.Table, target string) (*table.Table, error)

// TableNames are what a Request's tables are called in errors (file paths
// for eval, the dataset's split for a run cell); an empty name falls back
// to "real", "synthetic", "holdout" or "truth".
type TableNames struct {
	Real, Synth, Holdout, Truth string
}

// Request is what Evaluate scores: the tables and options of Input, the
// metric groups by name, and what the scoring path adds around them.
type Request struct {
	// Input holds the tables (Real, Synth, optional Holdout and Truth) and
	// the options every group reads (Joints, Bins, PairFilter, Seed,
	// C2STRows, Rules, Queries, Overrides, Target). Input.Targeted is
	// replaced when Targets is set.
	Input
	// Groups are the metric group names (see Lookup), scored in this order;
	// a repeated name is scored once.
	Groups []string
	// Targets, when set, marks each score whose column set is one of its
	// marginals or joints as targeted (see TargetKeys).
	Targets *macro.Targets
	// Label derives Input.Target on every table for the utility group (and
	// its truth scores) only; nil derives nothing. The other groups score
	// the columns as they are.
	Label LabelFunc
	// Names name the tables in errors.
	Names TableNames
	// NoReference skips the reference scores even when a holdout is given.
	NoReference bool
}

// Evaluate is the one scoring path: synthor eval, run cells, the examples
// and the scripts all call it. In order:
//
//  1. Columns are aligned: a column missing in every row of one table
//     takes the kind of its namesake in the real table (a reader cannot
//     infer the kind of an empty column), then Synth, Holdout and Truth
//     must have exactly Real's columns with compatible kinds (integer and
//     float are compatible); the first disagreement is an error naming
//     both tables. The caller's tables are not modified.
//  2. Input.Joints must name columns of Real; Targets become Input.Targeted.
//  3. Each group in Groups is scored (Group.Scores), followed by its scores
//     against Input.Truth (TruthScores). For the utility group only, Label
//     derives Input.Target on every table first: a group never changes
//     another group's columns.
//  4. With a holdout (and not NoReference), every score gets its reference:
//     the same group scored with the holdout in the synthetic table's place
//     (see Reference). A score whose group set ReferenceKind keeps it.
//
// The scores come back in group order; same request, same scores.
func Evaluate(ctx context.Context, r Request) ([]Score, error) {
	if r.Real == nil || r.Synth == nil {
		return nil, fmt.Errorf("evaluate: a real and a synthetic table are required")
	}
	groups, err := lookupGroups(r.Groups)
	if err != nil {
		return nil, err
	}
	in, err := r.aligned()
	if err != nil {
		return nil, err
	}
	if err := checkJoints(in.Real, in.Joints, r.Names.real()); err != nil {
		return nil, err
	}
	if r.Targets != nil {
		in.Targeted = TargetKeys(r.Targets)
	}
	var out []Score
	for _, g := range groups {
		scores, err := r.scoreGroup(ctx, g, in)
		if err != nil {
			return nil, err
		}
		if in.Holdout != nil && !r.NoReference {
			if err := r.reference(ctx, g, in, scores); err != nil {
				return nil, err
			}
		}
		if out == nil {
			out = scores // no copy: a wide table's list is large
		} else {
			out = append(out, scores...)
		}
	}
	return out, nil
}

// namedGroup is a registered group with its name.
type namedGroup struct {
	name string
	g    Group
}

// lookupGroups resolves names, dropping repeats.
func lookupGroups(names []string) ([]namedGroup, error) {
	var out []namedGroup
	for _, n := range names {
		g, err := Lookup(n)
		if err != nil {
			return nil, err
		}
		if !slices.ContainsFunc(out, func(x namedGroup) bool { return x.name == n }) {
			out = append(out, namedGroup{n, g})
		}
	}
	return out, nil
}

// scoreGroup scores one group and its truth scores on in, deriving the
// utility labels first.
func (r Request) scoreGroup(ctx context.Context, g namedGroup, in Input) ([]Score, error) {
	in, err := r.labelled(g.name, in)
	if err != nil {
		return nil, err
	}
	scores, err := g.g.Scores(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", g.name, err)
	}
	truth, err := TruthScores(ctx, g.name, g.g, in)
	if err != nil {
		return nil, fmt.Errorf("%s against the truth: %w", g.name, err)
	}
	if len(truth) == 0 {
		return scores, nil // no copy: a wide table's list is large
	}
	return append(scores, truth...), nil
}

// labelled derives Input.Target on every table of in when the group is
// utility and a LabelFunc is set; other groups get in unchanged.
func (r Request) labelled(group string, in Input) (Input, error) {
	if group != utilityGroup || r.Label == nil || in.Target == "" {
		return in, nil
	}
	for _, t := range []**table.Table{&in.Real, &in.Synth, &in.Holdout, &in.Truth} {
		if *t == nil {
			continue
		}
		d, err := r.Label(*t, in.Target)
		if err != nil {
			return in, fmt.Errorf("utility: target %s: %w", in.Target, err)
		}
		*t = d
	}
	return in, nil
}

// TargetKeys returns the Input.Targeted keys of targets: each marginal's
// and joint's columns, sorted and comma-joined.
func TargetKeys(tg *macro.Targets) map[string]bool {
	out := make(map[string]bool)
	for _, l := range tg.Levels() {
		for _, c := range l.Tables() {
			out[key(c.Names())] = true
		}
	}
	return out
}

// checkJoints refuses a joint that names a column real lacks.
func checkJoints(real *table.Table, joints [][]string, realName string) error {
	for _, g := range joints {
		for _, c := range g {
			if real.Col(c) == nil {
				return fmt.Errorf("joint [%s]: column %q is not in %s", strings.Join(g, ", "), c, realName)
			}
		}
	}
	return nil
}

func (n TableNames) real() string  { return orName(n.Real, "the real table") }
func (n TableNames) synth() string { return orName(n.Synth, "the synthetic table") }
func (n TableNames) hold() string  { return orName(n.Holdout, "the holdout table") }
func (n TableNames) truth() string { return orName(n.Truth, "the truth table") }

func orName(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
