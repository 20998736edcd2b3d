package rules

import (
	"context"
	"fmt"
	"math"

	"github.com/synthor/synthor/table"
)

// Result is the outcome of one rule over a table.
type Result struct {
	Def *Def
	// Checked counts the records (rows for a record rule, groups for a
	// group rule) the rule was checked on; Violations those that broke it.
	Checked, Violations int
}

// Rate returns Violations / Checked, NaN when nothing was checked.
func (r Result) Rate() float64 {
	if r.Checked == 0 {
		return math.NaN()
	}
	return float64(r.Violations) / float64(r.Checked)
}

// Report is the outcome of a rule set over a table.
type Report struct {
	// Rows counts the rows, Groups the groups (0 for an ungrouped check).
	Rows, Groups int
	// BadRows counts rows breaking a record rule; BadGroups counts groups
	// breaking a group rule or holding a bad row.
	BadRows, BadGroups int
	// Results holds one entry per rule, in set order.
	Results []Result
}

// RowRejection returns BadRows / Rows, NaN for no rows.
func (r *Report) RowRejection() float64 {
	if r.Rows == 0 {
		return math.NaN()
	}
	return float64(r.BadRows) / float64(r.Rows)
}

// GroupRejection returns BadGroups / Groups, NaN for no groups.
func (r *Report) GroupRejection() float64 {
	if r.Groups == 0 {
		return math.NaN()
	}
	return float64(r.BadGroups) / float64(r.Groups)
}

// Violations returns the violation count of the named rule, -1 when the
// report has no such rule.
func (r *Report) Violations(name string) int {
	for _, x := range r.Results {
		if x.Def.Name == name {
			return x.Violations
		}
	}
	return -1
}

// GroupRows groups the rows of t by the values of column key, groups in
// order of first appearance, rows in table order (the rows of one group need
// not be contiguous). Rows whose key is missing form one group. An empty key
// makes every row its own group.
func GroupRows(t *table.Table, key string) ([][]int, error) {
	n := t.NumRows()
	if key == "" {
		out := make([][]int, n)
		for i := range out {
			out[i] = []int{i}
		}
		return out, nil
	}
	c := t.Col(key)
	if c == nil {
		return nil, fmt.Errorf("group key %q: %w", key, table.ErrNoColumn)
	}
	var out [][]int
	if c.Kind == table.Integer {
		index := map[int64]int{}
		missing := -1
		for i := 0; i < n; i++ {
			g, ok := 0, false
			if c.IsNull(i) {
				g, ok = missing, missing >= 0
			} else {
				g, ok = index[c.Ints[i]]
			}
			if !ok {
				g = len(out)
				if c.IsNull(i) {
					missing = g
				} else {
					index[c.Ints[i]] = g
				}
				out = append(out, nil)
			}
			out[g] = append(out[g], i)
		}
		return out, nil
	}
	index := map[string]int{}
	for i := 0; i < n; i++ {
		k := "v" + c.String(i)
		if c.IsNull(i) {
			k = "missing"
		}
		g, ok := index[k]
		if !ok {
			g = len(out)
			index[k] = g
			out = append(out, nil)
		}
		out[g] = append(out[g], i)
	}
	return out, nil
}

// compiled is a rule bound to a table.
type compiled struct {
	expr, cond evalFn
}

func (c compiled) holds(f *frame) bool {
	return c.cond != nil && !c.cond(f).truth() || c.expr(f).truth()
}

func (d *Def) compile(t *table.Table, s scope, grouped bool) (compiled, error) {
	cp := &compiler{t: t, grouped: grouped}
	var out compiled
	var err error
	if out.expr, err = cp.compile(d.expr, s); err != nil {
		return out, d.wrap(err)
	}
	if d.cond != nil {
		if out.cond, err = cp.compile(d.cond, s); err != nil {
			return out, d.wrap(err)
		}
	}
	return out, nil
}

// Check applies every rule of the set to t. Groups are the rows sharing a
// value of the column key (t.GroupKey when key is ""); with no key at all
// the table is ungrouped and a group rule is an error. A group is bad when
// it breaks a group rule or any of its rows breaks a record rule. A missing
// value makes any comparison false (so "income >= 0" fails on a missing
// income, and "when age < 5 then ..." does not apply to a missing age). It
// fails when a rule reads a column t lacks, naming the rule and column.
func (s *Set) Check(ctx context.Context, t *table.Table, key string) (*Report, error) {
	if key == "" {
		key = t.GroupKey
	}
	rep := &Report{Rows: t.NumRows(), Results: make([]Result, len(s.Defs))}
	fns := make([]compiled, len(s.Defs))
	for i, d := range s.Defs {
		rep.Results[i].Def = d
		sc := rowScope
		if d.Group {
			if key == "" {
				return nil, d.wrap(errAt(0, "a group rule needs a grouped table (a group key)"))
			}
			sc = groupScope
		}
		var err error
		if fns[i], err = d.compile(t, sc, key != ""); err != nil {
			return nil, err
		}
	}
	var groups [][]int
	if key != "" {
		var err error
		if groups, err = GroupRows(t, key); err != nil {
			return nil, err
		}
		rep.Groups = len(groups)
	} else {
		groups, _ = GroupRows(t, "")
	}
	var f frame
	for gi, rows := range groups {
		if gi%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		bad := false
		for _, i := range rows {
			f.row = i
			rowBad := false
			for k, d := range s.Defs {
				if d.Group {
					continue
				}
				rep.Results[k].Checked++
				if !fns[k].holds(&f) {
					rep.Results[k].Violations++
					rowBad = true
				}
			}
			if rowBad {
				rep.BadRows++
				bad = true
			}
		}
		f.rows = rows
		for k, d := range s.Defs {
			if !d.Group {
				continue
			}
			rep.Results[k].Checked++
			if !fns[k].holds(&f) {
				rep.Results[k].Violations++
				bad = true
			}
		}
		if bad && key != "" {
			rep.BadGroups++
		}
	}
	return rep, nil
}

// Value evaluates a query over the whole table t, its groups being the
// rows sharing a value of key (t.GroupKey when ""; no key: the rows). ok is
// false when the value is undefined (an aggregate over no members, a
// division by zero). A query with a "when" condition, or one reading a
// column outside any aggregate, is an error.
func (d *Def) Value(ctx context.Context, t *table.Table, key string) (v float64, ok bool, err error) {
	if err := ctx.Err(); err != nil {
		return 0, false, err
	}
	if d.cond != nil {
		return 0, false, d.wrap(errAt(0, "a query takes no when condition"))
	}
	if key == "" {
		key = t.GroupKey
	}
	fn, err := d.compile(t, tableScope, key != "")
	if err != nil {
		return 0, false, err
	}
	f := frame{}
	if key != "" {
		if f.groups, err = GroupRows(t, key); err != nil {
			return 0, false, err
		}
	} else {
		all := make([]int, t.NumRows())
		for i := range all {
			all[i] = i
		}
		f.groups = [][]int{all}
	}
	x, okx := fn.expr(&f).number()
	if !okx {
		return math.NaN(), false, nil
	}
	return x, true, nil
}
