// Command popcheck prints, from a synthor run directory of a seed-sample
// config (configs/population-sample.yaml), what BENCHMARKS.md's
// "Population synthesis from a seed sample" reports per method: the
// control_rmse_pct of every control table (the largest over the seeds),
// the worst table, the person and household rejection rates, and how
// many untargeted joints (jsd, fidelity group) are no worse than the
// reference method's (the seed expanded as it is: label seed-sample), and
// the seconds each method took to fit and sample.
//
//	go run ./scripts/popcheck DIR [REFERENCE-LABEL]
//
// A joint counts as no worse when the method's mean jsd over the seeds is
// at most the reference's. Person joints are pairs of person-level
// columns, household joints pairs of household-level ones, mixed the rest.
package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/synthor/synthor/bench"
	"github.com/synthor/synthor/metrics"
)

// stats accumulates one method's scores over its seeds.
type stats struct {
	control map[string]float64   // table -> largest %RMSE
	reject  map[string][]float64 // level -> rates
	jsd     map[string][]float64 // untargeted joint -> values
	level   map[string]string    // joint -> person, household or mixed
	cells   int
	secs    []float64 // fit + sample seconds per cell
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: popcheck DIR [REFERENCE-LABEL]")
		os.Exit(2)
	}
	ref := "seed-sample"
	if len(os.Args) > 2 {
		ref = os.Args[2]
	}
	res, err := bench.ReadResults(filepath.Join(os.Args[1], "results.jsonl"), false)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	by := map[string]*stats{}
	var order []string
	for _, r := range res {
		if r.Status != bench.StatusOK {
			fmt.Printf("%s seed %d: %s %s\n", r.Method.Label, r.Seed, r.Status, r.Reason)
			continue
		}
		st := by[r.Method.Label]
		if st == nil {
			st = &stats{control: map[string]float64{}, reject: map[string][]float64{}, jsd: map[string][]float64{}, level: map[string]string{}}
			by[r.Method.Label] = st
			order = append(order, r.Method.Label)
		}
		st.cells++
		st.secs = append(st.secs, r.Timings.FitS+r.Timings.SampleS)
		add(st, r.Metrics)
	}
	var tables []string
	for _, l := range order {
		for t := range by[l].control {
			if !slices.Contains(tables, t) {
				tables = append(tables, t)
			}
		}
	}
	slices.Sort(tables)
	fmt.Printf("| control_rmse_pct (largest over the seeds) | %s |\n|---|%s\n", strings.Join(order, " | "), strings.Repeat("---|", len(order)))
	for _, t := range tables {
		fmt.Printf("| %s |", t)
		for _, l := range order {
			fmt.Printf(" %.3f |", by[l].control[t])
		}
		fmt.Println()
	}
	for _, level := range []string{"record", "group"} {
		fmt.Printf("| rejection rate, %s (mean) |", level)
		for _, l := range order {
			fmt.Printf(" %.4f |", mean(by[l].reject[level]))
		}
		fmt.Println()
	}
	fmt.Printf("| fit + sample, seconds (mean of %d) |", by[order[0]].cells)
	for _, l := range order {
		fmt.Printf(" %.2f |", mean(by[l].secs))
	}
	fmt.Println()
	r := by[ref]
	if r == nil {
		fmt.Printf("no method labelled %q to compare untargeted joints with\n", ref)
		return
	}
	for _, kind := range []string{"person", "household", "mixed"} {
		fmt.Printf("| untargeted %s joints no worse than %s (jsd) |", kind, ref)
		for _, l := range order {
			st := by[l]
			n, ok, worst := 0, 0, ""
			gap := -math.MaxFloat64
			for j, xs := range st.jsd {
				if st.level[j] != kind || r.jsd[j] == nil {
					continue
				}
				n++
				if d := mean(xs) - mean(r.jsd[j]); d <= 0 {
					ok++
				} else if d > gap {
					gap, worst = d, fmt.Sprintf(" (worst %s: %.4f vs %.4f)", j, mean(xs), mean(r.jsd[j]))
				}
			}
			fmt.Printf(" %d of %d%s |", ok, n, worst)
		}
		fmt.Println()
	}
}

// add folds one cell's scores into st.
func add(st *stats, scores []metrics.Score) {
	person := map[string]bool{"age": true, "race": true, "education": true, "employment": true, "income": true, "person_id": true}
	for _, s := range scores {
		switch {
		case s.Name == metrics.NameControlRMS:
			t, _ := s.Params["table"].(string)
			st.control[t] = math.Max(st.control[t], s.Value)
		case s.Name == "rule_rejection_rate" && s.Params["rule"] == "all":
			l, _ := s.Params["level"].(string)
			st.reject[l] = append(st.reject[l], s.Value)
		case s.Group == "fidelity" && s.Name == metrics.NameJSD && len(s.Columns) == 2 && s.Targeted != nil && !*s.Targeted:
			j := strings.Join(s.Columns, ", ")
			st.jsd[j] = append(st.jsd[j], s.Value)
			switch a, b := person[s.Columns[0]], person[s.Columns[1]]; {
			case a && b:
				st.level[j] = "person"
			case !a && !b:
				st.level[j] = "household"
			default:
				st.level[j] = "mixed"
			}
		}
	}
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(max(1, len(xs)))
}
