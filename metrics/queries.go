package metrics

import (
	"context"
	"fmt"
	"math"
)

// The queries group's score names.
const (
	groupQueries    = "queries"
	nameQueryError  = "query_relative_error"
	nameCategoryMRE = "query_category_mre"
)

// Queries evaluates policy queries (Input.Queries, or the shipped
// rules/paper/population.queries when the synthetic table has its
// columns) on the real and the synthetic table and reports
//
//   - query_relative_error per query: |synth − real| / |real|, Params the
//     query ("name: expression"), its category and both values; undefined
//     when either value is (an aggregate over no households) or the real
//     value is 0;
//   - query_category_mre per category (a query's [label]; "" when it has
//     none), in order of first appearance: the mean of the category's
//     defined relative errors, Params the category and the number of
//     queries averaged (LLMSynthor §5.2, Table 4).
//
// Queries run over each table's groups (its GroupKey) or, when ungrouped,
// its rows. Lower is better.
func Queries(ctx context.Context, in Input) ([]Score, error) {
	if in.Real == nil || in.Synth == nil {
		return nil, fmt.Errorf("queries: need a real and a synthetic table")
	}
	set := in.Queries
	if set == nil {
		var err error
		if set, err = pickShipped(in.Synth, []string{"population.queries"}); err != nil {
			return nil, err
		}
		if set == nil {
			return []Score{Undefined(nameQueryError, groupQueries, nil, Lower,
				"no queries given, and the shipped population queries do not fit the columns")}, nil
		}
		if in.Real.GroupKey == "" || in.Synth.GroupKey == "" {
			return []Score{Undefined(nameQueryError, groupQueries, nil, Lower,
				"the shipped population queries need grouped tables (a group key such as household_id, from a schema)")}, nil
		}
	}
	var out []Score
	type acc struct {
		sum float64
		n   int
	}
	cats := map[string]*acc{}
	var order []string
	for _, d := range set.Defs {
		if _, seen := cats[d.Label]; !seen {
			cats[d.Label] = &acc{}
			order = append(order, d.Label)
		}
		params := map[string]any{"query": d.String(), "category": d.Label}
		if miss := missingColumns(in.Real, d.Columns); len(miss) > 0 {
			out = append(out, withParams(Undefined(nameQueryError, groupQueries, d.Columns, Lower,
				fmt.Sprintf("the real table lacks column %v", miss)), params))
			continue
		}
		if miss := missingColumns(in.Synth, d.Columns); len(miss) > 0 {
			out = append(out, withParams(Undefined(nameQueryError, groupQueries, d.Columns, Lower,
				fmt.Sprintf("the synthetic table lacks column %v", miss)), params))
			continue
		}
		r, rok, err := d.Value(ctx, in.Real, in.Real.GroupKey)
		if err != nil {
			return nil, fmt.Errorf("queries: real table: %w", err)
		}
		s, sok, err := d.Value(ctx, in.Synth, in.Synth.GroupKey)
		if err != nil {
			return nil, fmt.Errorf("queries: synthetic table: %w", err)
		}
		params["real"], params["synth"] = jsonNumber(r), jsonNumber(s)
		var sc Score
		switch {
		case !rok:
			sc = Undefined(nameQueryError, groupQueries, d.Columns, Lower, "the query is undefined on the real table")
		case !sok:
			sc = Undefined(nameQueryError, groupQueries, d.Columns, Lower, "the query is undefined on the synthetic table")
		case r == 0:
			sc = Undefined(nameQueryError, groupQueries, d.Columns, Lower, "the real value is 0: no relative error")
		default:
			e := RelativeError(r, s)
			sc = Score{Name: nameQueryError, Group: groupQueries, Columns: d.Columns, Value: e, Better: Lower}
			cats[d.Label].sum += e
			cats[d.Label].n++
		}
		out = append(out, withParams(sc, params))
	}
	for _, c := range order {
		a := cats[c]
		params := map[string]any{"category": c, "queries": a.n}
		if a.n == 0 {
			out = append(out, withParams(Undefined(nameCategoryMRE, groupQueries, nil, Lower,
				"no query of the category has a relative error"), params))
			continue
		}
		out = append(out, Score{Name: nameCategoryMRE, Group: groupQueries, Columns: []string{},
			Value: a.sum / float64(a.n), Better: Lower, Params: params})
	}
	return out, nil
}

// RelativeError returns |synth − real| / |real|: NaN when real is 0.
func RelativeError(real, synth float64) float64 {
	if real == 0 {
		return math.NaN()
	}
	return math.Abs(synth-real) / math.Abs(real)
}

func withParams(s Score, p map[string]any) Score {
	s.Params = p
	return s
}
