package metrics

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/synthor/synthor/rules"
	"github.com/synthor/synthor/table"
)

// The plausibility group's score names.
const (
	groupPlausibility = "plausibility"
	nameRejection     = "rule_rejection_rate"
)

// shippedRules are the rule files Plausibility tries, in order, when
// Input.Rules is nil.
var shippedRules = []string{"population.rules", "ecommerce.rules"}

// Plausibility checks the plausibility rules (Input.Rules, or a shipped set
// that fits the synthetic table's columns) on the synthetic table and, for
// reference, on the real one, and reports rule_rejection_rate:
//
//   - one score per rule: the share of records (rows, for a record rule) or
//     groups (for a group rule) that break it; Columns are the columns the
//     rule reads, Params hold the rule's name ("rule") and expression
//     ("text"), its level
//     ("record" or "group"), the violation and checked counts and the real
//     table's rate ("real");
//   - one overall score per level, Params rule "all": the share of rows
//     breaking any record rule and, for a grouped table, of groups breaking
//     a group rule or holding a bad row (LLMSynthor §5.2's person and
//     household rejection rates).
//
// Groups are the rows sharing the synthetic table's group key. A rule
// reading a column the synthetic table lacks but the real one has gets an
// undefined score; a given rule reading a column neither table has is an
// error naming the rule and the column (a typo in a rule file).
// Lower is better; the real table's rate is the floor a synthesizer can be
// expected to reach.
func Plausibility(ctx context.Context, in Input) ([]Score, error) {
	if in.Synth == nil {
		return nil, fmt.Errorf("plausibility: no synthetic table")
	}
	set, err := in.Rules, error(nil)
	if set == nil {
		if set, err = pickShipped(in.Synth, shippedRules); err != nil {
			return nil, err
		}
		if set == nil {
			return []Score{Undefined(nameRejection, groupPlausibility, nil, Lower,
				"no rules given, and no shipped rule set (rules/paper) fits the columns")}, nil
		}
	}
	perRule := make([]*Score, len(set.Defs)) // undefined scores, by rule
	usable := &rules.Set{File: set.File}
	var index []int // set index of each usable rule
	for k, d := range set.Defs {
		if miss := missingColumns(in.Synth, d.Columns); len(miss) > 0 {
			if in.Rules != nil && (in.Real == nil || len(missingColumns(in.Real, miss)) == len(miss)) {
				return nil, fmt.Errorf("plausibility: %s:%d: rule %q: no column %q in the tables", d.File, d.Line, d.Name, miss[0])
			}
			s := Undefined(nameRejection, groupPlausibility, d.Columns, Lower,
				"the synthetic table lacks column "+strings.Join(miss, ", "))
			s.Params = ruleParams(d)
			perRule[k] = &s
			continue
		}
		if d.Group && in.Synth.GroupKey == "" {
			s := Undefined(nameRejection, groupPlausibility, d.Columns, Lower, "a group rule needs a grouped table")
			s.Params = ruleParams(d)
			perRule[k] = &s
			continue
		}
		usable.Defs = append(usable.Defs, d)
		index = append(index, k)
	}
	rep, err := usable.Check(ctx, in.Synth, in.Synth.GroupKey)
	if err != nil {
		return nil, fmt.Errorf("plausibility: %w", err)
	}
	var real *rules.Report
	if in.Real != nil && in.Real.GroupKey == in.Synth.GroupKey && len(missingColumns(in.Real, columnsOf(usable))) == 0 {
		if real, err = usable.Check(ctx, in.Real, in.Real.GroupKey); err != nil {
			return nil, fmt.Errorf("plausibility: real table: %w", err)
		}
	}
	for i, r := range rep.Results {
		s := Score{Name: nameRejection, Group: groupPlausibility, Columns: r.Def.Columns, Value: r.Rate(), Better: Lower,
			Params: ruleParams(r.Def)}
		s.Params["violations"], s.Params["checked"] = r.Violations, r.Checked
		if real != nil {
			s.Params["real"] = jsonNumber(real.Results[i].Rate())
		}
		if r.Checked == 0 {
			s.Reason = "no records to check"
		}
		perRule[index[i]] = &s
	}
	out := make([]Score, 0, len(perRule)+2)
	for _, s := range perRule {
		out = append(out, *s)
	}
	overall := func(level string, rate float64, bad, n int, realRate func() float64) {
		s := Score{Name: nameRejection, Group: groupPlausibility, Columns: []string{}, Value: rate, Better: Lower,
			Params: map[string]any{"rule": "all", "level": level, "violations": bad, "checked": n}}
		if real != nil {
			s.Params["real"] = jsonNumber(realRate())
		}
		if n == 0 {
			s.Reason = "no records to check"
		}
		out = append(out, s)
	}
	overall("record", rep.RowRejection(), rep.BadRows, rep.Rows, func() float64 { return real.RowRejection() })
	if in.Synth.GroupKey != "" {
		overall("group", rep.GroupRejection(), rep.BadGroups, rep.Groups, func() float64 { return real.GroupRejection() })
	}
	return out, nil
}

// ruleParams are the Params every rejection score of a rule carries.
func ruleParams(d *rules.Def) map[string]any {
	level := "record"
	if d.Group {
		level = "group"
	}
	return map[string]any{"rule": d.Name, "text": d.Source(), "level": level}
}

// pickShipped returns the first shipped definition file whose columns t
// has, or nil.
func pickShipped(t *table.Table, names []string) (*rules.Set, error) {
	for _, name := range names {
		s, err := rules.Paper(name)
		if err != nil {
			return nil, err
		}
		if len(missingColumns(t, columnsOf(s))) == 0 {
			return s, nil
		}
	}
	return nil, nil
}

// columnsOf lists the columns any definition of s reads.
func columnsOf(s *rules.Set) []string {
	var out []string
	for _, d := range s.Defs {
		for _, c := range d.Columns {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	return out
}

// missingColumns returns the names t lacks.
func missingColumns(t *table.Table, names []string) []string {
	var out []string
	for _, n := range names {
		if t.Col(n) == nil {
			out = append(out, n)
		}
	}
	return out
}

// jsonNumber returns x, or nil when it is NaN or infinite (JSON has no
// such numbers).
func jsonNumber(x float64) any {
	if x != x || x > 1e308 || x < -1e308 {
		return nil
	}
	return x
}
