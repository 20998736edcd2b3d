package metrics

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/rules"
	"github.com/synthor/synthor/settings"
	"github.com/synthor/synthor/table"
)

// The adaptability group's score names.
const (
	groupAdaptability = "adaptability"
	nameZeroConfig    = "zero_config_success_share"
	nameTargetGap     = "scenario_target_gap"
	nameDrift         = "scenario_drift"
)

// Run is the outcome of one method on one dataset with default settings,
// as a benchmark runner records it.
type Run struct {
	Dataset, Method string
	// Quality is the run's quality summary, higher is better (the
	// SDMetrics quality score); NaN when it was not computed.
	Quality float64
	// Err is why the run failed, nil when it ran.
	Err error
}

// ZeroConfigSuccess scores adaptability across datasets (LLMSynthor's claim
// that the method needs no per-dataset tuning): for every method but
// baseline, zero_config_success_share is the share of datasets on which the
// method ran with default settings and its Quality beat baseline's
// (strictly). Datasets where baseline has no quality cannot be judged and
// are left out (Params "unjudged"); the failures are named in Params
// "failures" ("dataset: why"). Methods are sorted by name; a method with
// no judged dataset gets an undefined score. Higher is better.
func ZeroConfigSuccess(runs []Run, baseline string) []Score {
	base := map[string]float64{}
	var datasets, methods []string
	for _, r := range runs {
		if !slices.Contains(datasets, r.Dataset) {
			datasets = append(datasets, r.Dataset)
		}
		if r.Method == baseline {
			if r.Err == nil && !math.IsNaN(r.Quality) {
				base[r.Dataset] = r.Quality
			}
		} else if !slices.Contains(methods, r.Method) {
			methods = append(methods, r.Method)
		}
	}
	sort.Strings(datasets)
	sort.Strings(methods)
	var out []Score
	for _, m := range methods {
		var failures, unjudged []string
		judged, wins := 0, 0
		for _, ds := range datasets {
			b, ok := base[ds]
			if !ok {
				unjudged = append(unjudged, ds)
				continue
			}
			judged++
			i := slices.IndexFunc(runs, func(r Run) bool { return r.Dataset == ds && r.Method == m })
			switch {
			case i < 0:
				failures = append(failures, ds+": not run")
			case runs[i].Err != nil:
				failures = append(failures, ds+": "+runs[i].Err.Error())
			case math.IsNaN(runs[i].Quality):
				failures = append(failures, ds+": no quality score")
			case runs[i].Quality <= b:
				failures = append(failures, fmt.Sprintf("%s: quality %.4f does not beat %s's %.4f", ds, runs[i].Quality, baseline, b))
			default:
				wins++
			}
		}
		params := map[string]any{"method": m, "baseline": baseline, "datasets": judged,
			"failures": nonNil(failures), "unjudged": nonNil(unjudged)}
		if judged == 0 {
			out = append(out, withParams(Undefined(nameZeroConfig, groupAdaptability, nil, Higher,
				"no dataset where "+baseline+" has a quality score"), params))
			continue
		}
		out = append(out, Score{Name: nameZeroConfig, Group: groupAdaptability, Columns: []string{},
			Value: float64(wins) / float64(judged), Better: Higher, Params: params})
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Override is one what-if change of a target: the share of Category in
// Var (settings.ParseOverride reads its text form "var=category:share").
type Override = settings.Override

// Adaptability is the adaptability group over one pair of tables: when
// Input.Overrides is set it scores the scenario alignment (Scenario);
// otherwise its scores are undefined. The cross-dataset share,
// ZeroConfigSuccess, needs many runs and is called by a runner.
func Adaptability(ctx context.Context, in Input) ([]Score, error) {
	if len(in.Overrides) == 0 {
		return []Score{
			Undefined(nameTargetGap, groupAdaptability, nil, Lower, "no overrides given"),
			Undefined(nameDrift, groupAdaptability, nil, Lower, "no overrides given"),
		}, nil
	}
	if in.Real == nil || in.Synth == nil {
		return nil, fmt.Errorf("adaptability: need a real and a synthetic table")
	}
	return Scenario(ctx, in.Real, in.Synth, in.Overrides, in.Bins)
}

// Scenario scores a what-if output synth, made from real with the target
// overrides ovs:
//
//   - scenario_target_gap per override: |share of Category in synth's Var −
//     Share|, Params the category, the target and the synthetic share;
//   - scenario_drift per column: the TVD between the scenario's reference
//     marginal and synth's (numeric columns in bins quantile bins of real,
//     macro.DefaultBins when 0, missing a cell of its own), Params
//     "unweighted" the TVD against real itself. The reference is real with
//     each override applied as macro.Targets.Override applies it: rows of
//     the overridden category weighted by Share/old, the others by
//     (1−Share)/(1−old), so that every distribution conditional on the
//     overridden variable keeps its shape. Drift is then what the output
//     changed beyond what the override asked for: the marginal of a column
//     independent of the variable should not move, that of a dependent
//     column should move only as the override implies. For an overridden
//     column it is the TVD over its other categories renormalised (Params
//     "among");
//   - scenario_drift with Params summary "max": the largest drift.
//
// For a grouped table, household-level columns (schema Group fields) are
// counted once per group, the others once per row. Lower is better. An
// independent draw of the same size from the real data's source, scored
// the same way without overrides, gives the sampling-noise floor.
func Scenario(ctx context.Context, real, synth *table.Table, ovs []Override, bins int) ([]Score, error) {
	var out []Score
	over := map[string][]string{}
	for _, o := range ovs {
		over[o.Var] = append(over[o.Var], o.Category)
		sc := synth.Col(o.Var)
		if sc == nil || sc.Kind != table.Categorical {
			out = append(out, Undefined(nameTargetGap, groupAdaptability, []string{o.Var}, Lower,
				"the synthetic table has no categorical column "+o.Var))
			continue
		}
		rows := levelRows(synth, sc)
		hit := 0
		for _, i := range rows {
			if !sc.IsNull(i) && sc.Dict[sc.Codes[i]] == o.Category {
				hit++
			}
		}
		params := map[string]any{"category": o.Category, "target": o.Share}
		if len(rows) == 0 {
			out = append(out, withParams(Undefined(nameTargetGap, groupAdaptability, []string{o.Var}, Lower, "no records"), params))
			continue
		}
		share := float64(hit) / float64(len(rows))
		params["synth"] = share
		out = append(out, Score{Name: nameTargetGap, Group: groupAdaptability, Columns: []string{o.Var},
			Value: math.Abs(share - o.Share), Better: Lower, Params: params})
	}
	weights, err := scenarioWeights(real, ovs)
	if err != nil {
		return nil, err
	}
	worst := math.NaN()
	for _, rc := range real.Cols {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if rc.Name == real.GroupKey || rc.Kind == table.Text {
			continue
		}
		cols := []string{rc.Name}
		sc := synth.Col(rc.Name)
		if sc == nil || sc.Kind != rc.Kind {
			out = append(out, Undefined(nameDrift, groupAdaptability, cols, Lower, "the synthetic table lacks the column or holds another kind"))
			continue
		}
		cats, overridden := over[rc.Name]
		p, q, p0, err := marginals(rc, sc, levelRows(real, rc), levelRows(synth, sc), bins, weights)
		if err != nil {
			out = append(out, Undefined(nameDrift, groupAdaptability, cols, Lower, err.Error()))
			continue
		}
		params := map[string]any{}
		if u, err := TVD(p0.Counts, q.Counts); err == nil {
			params["unweighted"] = u
		}
		if overridden {
			// Keep the cells of the other categories (missing included).
			var keepP, keepQ []float64
			labels := p.Vars[0]
			for k := range p.Counts {
				if slices.Contains(cats, labels.Label(k)) {
					continue
				}
				keepP, keepQ = append(keepP, p.Counts[k]), append(keepQ, q.Counts[k])
			}
			params["among"] = "categories other than " + strings.Join(cats, ", ")
			d, err := TVD(keepP, keepQ)
			out = append(out, withParams(valueOrReason(nameDrift, groupAdaptability, cols, Lower, d, err), params))
			if err == nil && !(d <= worst) {
				worst = d
			}
			continue
		}
		if rc.Kind.Numeric() {
			params["bins"] = p.Vars[0].Bins.Len()
		}
		d, err := TVD(p.Counts, q.Counts)
		out = append(out, withParams(valueOrReason(nameDrift, groupAdaptability, cols, Lower, d, err), params))
		if err == nil && !(d <= worst) {
			worst = d
		}
	}
	if math.IsNaN(worst) {
		out = append(out, withParams(Undefined(nameDrift, groupAdaptability, nil, Lower, "no column to compare"), map[string]any{"summary": "max"}))
	} else {
		out = append(out, Score{Name: nameDrift, Group: groupAdaptability, Columns: []string{}, Value: worst, Better: Lower,
			Params: map[string]any{"summary": "max"}})
	}
	return out, nil
}

func valueOrReason(name, group string, cols []string, better Direction, v float64, err error) Score {
	if err != nil {
		return Undefined(name, group, cols, better, err.Error())
	}
	return Score{Name: name, Group: group, Columns: cols, Value: v, Better: better}
}

// levelRows returns the rows a column is counted on: the first row of each
// group for a household-level column of a grouped table, else every row.
func levelRows(t *table.Table, c *table.Column) []int {
	if t.GroupKey != "" && c.Group {
		gs, err := rules.GroupRows(t, t.GroupKey)
		if err == nil {
			out := make([]int, len(gs))
			for i, g := range gs {
				out[i] = g[0]
			}
			return out
		}
	}
	out := make([]int, c.Len())
	for i := range out {
		out[i] = i
	}
	return out
}

// scenarioWeights returns the weight of every row of real under the
// overrides, applied in order as macro.Targets.Override applies them (nil
// when there are none). An override of a variable real lacks, or of a
// category it has no rows of, is an error.
func scenarioWeights(real *table.Table, ovs []Override) ([]float64, error) {
	if len(ovs) == 0 {
		return nil, nil
	}
	w := make([]float64, real.NumRows())
	for i := range w {
		w[i] = 1
	}
	for _, o := range ovs {
		c := real.Col(o.Var)
		if c == nil || c.Kind != table.Categorical {
			return nil, fmt.Errorf("override %s=%s: the real table has no categorical column %q", o.Var, o.Category, o.Var)
		}
		code := c.Code(o.Category)
		in := func(i int) bool { return !c.IsNull(i) && c.Codes[i] == code }
		tot, hit := 0.0, 0.0
		for _, i := range levelRows(real, c) {
			tot += w[i]
			if in(i) {
				hit += w[i]
			}
		}
		old := hit / tot
		if code < 0 || old == 0 {
			return nil, fmt.Errorf("override %s=%s: the real table has no such records to scale", o.Var, o.Category)
		}
		fIn, fOut := o.Share/old, 0.0
		if old < 1 {
			fOut = (1 - o.Share) / (1 - old)
		}
		for i := range w {
			if in(i) {
				w[i] *= fIn
			} else {
				w[i] *= fOut
			}
		}
	}
	return w, nil
}

// marginals counts one column of each side, on the given rows, over cells
// built on the real side (macro.NewSpace): p weights real's rows by w (nil:
// 1 each), p0 does not.
func marginals(rc, sc *table.Column, rrows, srows []int, bins int, w []float64) (p, q, p0 *macro.Contingency, err error) {
	rt := table.MustNew(rc.Take(rrows))
	st := table.MustNew(sc.Take(srows))
	space, err := macro.NewSpace(rt, bins, st)
	if err != nil {
		return nil, nil, nil, err
	}
	if len(space.Vars) != 1 {
		return nil, nil, nil, fmt.Errorf("column %q cannot be binned", rc.Name)
	}
	count := func(t *table.Table, rows []int, w []float64) (*macro.Contingency, error) {
		e, err := space.Encode(t)
		if err != nil {
			return nil, err
		}
		c := macro.NewContingency(space.Vars[0])
		for k, cell := range e.Cells[0] {
			x := 1.0
			if w != nil {
				x = w[rows[k]]
			}
			c.Counts[cell] += x
		}
		return c, nil
	}
	if p, err = count(rt, rrows, w); err != nil {
		return nil, nil, nil, err
	}
	if p0, err = count(rt, rrows, nil); err != nil {
		return nil, nil, nil, err
	}
	q, err = count(st, srows, nil)
	return p, q, p0, err
}
