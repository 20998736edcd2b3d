package metrics

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/table"
)

// The controls group's names.
const (
	groupControls  = "controls"
	NameControlRMS = "control_rmse_pct"
)

// Controls scores how well the synthetic table meets control totals
// (Input.Controls: a targets file's tables, grouped or flat), as
// population synthesis is judged (PopulationSim's validation summary; Ye
// et al. 2009 report the same per control). For each control table (a
// marginal or joint of either level, and the composition) it reports
// control_rmse_pct, the percentage root mean square error over the
// table's cells (the composition's columns are the group key and the
// member variable):
//
//	%RMSE = 100 · sqrt( (1/K) Σ_k (s_k − t_k)² ) / ( (1/K) Σ_k t_k )
//
// where s_k is the synthetic count of cell k (groups for a group-level
// table, members for a member-level one, groups with that composition),
// t_k the control's share of the cell times the synthetic table's number
// of groups (members: times the controls' members per group; with as many
// groups as the controls, the control count itself), and K the cells that
// either side holds (a cell empty on both sides is left out). PopulationSim
// takes the sum over zones of one control; with one zone, the cells of a
// table take their place. Params: level ("groups", "members" or "flat"),
// table (the table's key, or the composition's), cells (K) and
// max_cell_error_pct (the largest |s_k − t_k| / t_k over cells with
// t_k > 0), and real, the same measure on the real table when it has the
// columns. A last score (table "worst") is the largest %RMSE of all. Lower
// is better; 0 meets every control exactly.
func Controls(ctx context.Context, in Input) ([]Score, error) {
	tg := in.Controls
	if tg == nil {
		return []Score{Undefined(NameControlRMS, groupControls, nil, Lower,
			"no controls given (a targets file: eval --targets, synth --targets, or a run dataset with sample: and controls:)")}, nil
	}
	if in.Synth == nil {
		return nil, fmt.Errorf("controls: no synthetic table")
	}
	syn, err := newControlCounter(in.Synth, tg)
	if err != nil {
		return nil, err
	}
	var real *controlCounter
	if in.Real != nil && in.Real.GroupKey == in.Synth.GroupKey {
		real, _ = newControlCounter(in.Real, tg)
	}
	var out []Score
	worst := 0.0
	add := func(s Score, cols []string, level, key string, count func(*controlCounter) ([]float64, []float64, error)) {
		s.Name, s.Group, s.Columns, s.Better = NameControlRMS, groupControls, cols, Lower
		s.Params = map[string]any{"level": level, "table": key}
		s.Targeted = new(bool)
		*s.Targeted = true
		got, want, err := count(syn)
		if err != nil {
			s.Value, s.Reason = math.NaN(), err.Error()
			out = append(out, s)
			return
		}
		var k int
		s.Value, k, s.Params["max_cell_error_pct"] = rmsePct(got, want)
		s.Params["cells"] = k
		if real != nil {
			if g, w, err := count(real); err == nil {
				r, _, _ := rmsePct(g, w)
				s.Params["real"] = jsonNumber(r)
			}
		}
		if s.OK() {
			worst = math.Max(worst, s.Value)
		}
		out = append(out, s)
	}
	for li, l := range tg.Levels() {
		level := "flat"
		if tg.Members != nil {
			level = [...]string{"groups", "members"}[li]
		}
		for _, c := range l.Tables() {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			add(Score{}, c.Names(), level, c.Key(), func(cc *controlCounter) ([]float64, []float64, error) {
				return cc.table(c, li == 1)
			})
		}
		if li == 0 && tg.Grouping != nil && tg.Grouping.Composition != nil {
			comp := tg.Grouping.Composition
			cols := []string{tg.Grouping.Key, comp.Member} // the member's values within each group
			add(Score{}, cols, "groups", comp.Key(), func(cc *controlCounter) ([]float64, []float64, error) {
				return cc.composition(comp)
			})
		}
	}
	out = append(out, Score{Name: NameControlRMS, Group: groupControls, Columns: []string{}, Value: worst, Better: Lower,
		Params: map[string]any{"table": "worst", "tables": len(out)}})
	return out, nil
}

// rmsePct returns the %RMSE of got against want over the cells either
// holds, their number, and the largest relative cell error in percent.
func rmsePct(got, want []float64) (pct float64, cells int, maxErr float64) {
	var sq, tot float64
	for k := range want {
		if got[k] == 0 && want[k] == 0 {
			continue
		}
		d := got[k] - want[k]
		sq += d * d
		tot += want[k]
		cells++
		if want[k] > 0 {
			maxErr = math.Max(maxErr, 100*math.Abs(d)/want[k])
		}
	}
	if cells == 0 || tot == 0 {
		return math.NaN(), cells, maxErr
	}
	n := float64(cells)
	return 100 * math.Sqrt(sq/n) / (tot / n), cells, maxErr
}

// controlCounter counts a table's groups and members in control cells.
type controlCounter struct {
	t      *table.Table
	groups [][2]int
	first  *table.Table // one row per group
	ratio  float64      // control members per group
}

func newControlCounter(t *table.Table, tg *macro.Targets) (*controlCounter, error) {
	if tg.Members != nil && t.GroupKey == "" {
		return nil, fmt.Errorf("controls: the controls are grouped (groups: and members:) but the table is flat (read it with its group key: a schema with group_key)")
	}
	groups, err := t.Groups()
	if err != nil {
		return nil, fmt.Errorf("controls: %w", err)
	}
	first := make([]int, len(groups))
	for g, r := range groups {
		first[g] = r[0]
	}
	cc := &controlCounter{t: t, groups: groups, first: t.Take(first), ratio: 1}
	if tg.Members != nil {
		cc.ratio = tg.MembersPerGroup()
	}
	return cc, nil
}

// table returns the counts of control table c (member level: over every
// row) and the control's shares times the table's groups (times the
// controls' members per group for a member-level table).
func (cc *controlCounter) table(c *macro.Contingency, members bool) ([]float64, []float64, error) {
	src, scale := cc.first, float64(len(cc.groups))
	if members {
		src, scale = cc.t, scale*cc.ratio
	}
	if miss := missingColumns(src, c.Names()); len(miss) > 0 {
		return nil, nil, fmt.Errorf("the table lacks column %s", strings.Join(miss, ", "))
	}
	sp := &macro.Space{Vars: c.Vars}
	e, err := sp.Encode(src)
	if err != nil {
		return nil, nil, err
	}
	got := macro.NewContingency(c.Vars...)
	if err := got.Add(e, 0, e.N); err != nil {
		return nil, nil, err
	}
	want := c.Shares()
	for k := range want {
		want[k] *= scale
	}
	return got.Counts, want, nil
}

// composition returns the groups per composition cell (a composition the
// controls lack is a cell of its own with control 0) and the control's.
func (cc *controlCounter) composition(comp *macro.Composition) ([]float64, []float64, error) {
	col := cc.t.Col(comp.Member)
	if col == nil || !col.Kind.Numeric() {
		return nil, nil, fmt.Errorf("the table lacks numeric column %s", comp.Member)
	}
	want := make([]float64, len(comp.Cells))
	for i, cell := range comp.Cells {
		want[i] = cell.Count / comp.Total * float64(len(cc.groups))
	}
	got := make([]float64, len(want))
	extra := map[string]int{}
	members := make([]int, comp.Bands())
	for _, r := range cc.groups {
		clear(members)
		for i := r[0]; i < r[1]; i++ {
			if !col.IsNull(i) {
				members[comp.Band(col.Float(i))]++
			}
		}
		k := comp.Cell(members)
		if k < 0 {
			key := fmt.Sprint(members)
			j, ok := extra[key]
			if !ok {
				j = len(got)
				extra[key] = j
				got, want = append(got, 0), append(want, 0)
			}
			k = j
		}
		got[k]++
	}
	return got, want, nil
}
