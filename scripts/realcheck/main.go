// Command realcheck scores the cells of a synthor run directory on what
// BENCHMARKS.md's "LLMSynthor against independent columns on real tables"
// reports: SDMetrics quality under both pair conventions, c2st_auc, seconds,
// the largest missing-share gap and the domain defects of each synthetic
// table against its training table.
//
//	go run ./scripts/realcheck DIR [-v]
//
// Domain defects: values outside the real range (numeric and datetime
// columns); values of a discrete numeric (at most 32 distinct real values)
// that never occur in the real column; a column that is missing in every
// synthetic row but not in the real one.
package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/synthor/synthor/bench"
	"github.com/synthor/synthor/metrics"
	"github.com/synthor/synthor/table"
)

type row struct {
	dataset, method        string
	qsdm, qall, c2st, secs float64
	miss                   float64
	defects                []string
	worst                  string
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: realcheck DIR [-v]")
		os.Exit(2)
	}
	dir := os.Args[1]
	verbose := len(os.Args) > 2 && os.Args[2] == "-v"
	res, err := bench.ReadResults(filepath.Join(dir, "results.jsonl"), false)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	trains := map[string]*table.Table{}
	var rows []row
	for _, r := range res {
		if r.Status != "ok" {
			fmt.Printf("%s %s seed %d: %s %s\n", r.Dataset, r.Method.Label, r.Seed, r.Status, r.Reason)
			continue
		}
		cell := filepath.Join(dir, "cells", r.ID)
		train := trains[r.Dataset]
		if train == nil {
			matches, _ := filepath.Glob(filepath.Join(dir, "data", "*-"+r.Dataset+".train"+bench.DataExt))
			if len(matches) != 1 {
				fmt.Fprintln(os.Stderr, "no train file for", r.Dataset)
				os.Exit(1)
			}
			if train, err = bench.LoadTable(matches[0]); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			trains[r.Dataset] = train
		}
		synth, err := bench.LoadTable(filepath.Join(cell, "synth"+bench.DataExt))
		if err != nil {
			fmt.Printf("%s %s seed %d: reading synth: %v\n", r.Dataset, r.Method.Label, r.Seed, err)
			continue
		}
		x := row{dataset: r.Dataset, method: r.Method.Label, secs: r.Timings.FitS + r.Timings.SampleS, qsdm: math.NaN(), c2st: math.NaN()}
		for _, s := range r.Metrics {
			switch s.Name {
			case metrics.NameSDMetricsQuality:
				x.qsdm = s.Value
			case metrics.NameC2STAUC:
				x.c2st = s.Value
			}
		}
		all, err := metrics.Evaluate(context.Background(), metrics.Request{
			Input:  metrics.Input{Real: train, Synth: synth, PairFilter: metrics.PairFilterAll},
			Groups: []string{"sdmetrics"}})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		worst := 1.0
		for _, s := range all {
			switch {
			case s.Name == metrics.NameSDMetricsQuality:
				x.qall = s.Value
			case len(s.Columns) == 1 && s.Value < worst:
				worst, x.worst = s.Value, fmt.Sprintf("%s %.3f", s.Columns[0], s.Value)
			}
		}
		x.miss, x.defects = check(train, synth)
		rows = append(rows, x)
		if verbose {
			fmt.Printf("%-10s %-12s seed %d  q %.3f/%.3f c2st %.3f  %.1fs  miss %.3f  worst %s  %s\n", x.dataset, x.method, r.Seed, x.qsdm, x.qall, x.c2st, x.secs, x.miss, x.worst, strings.Join(x.defects, "; "))
		}
	}
	summarize(rows)
}

// check returns the largest |missing share| gap over columns and the
// domain defects of synth against real.
func check(real, synth *table.Table) (float64, []string) {
	var gap float64
	var defects []string
	for _, rc := range real.Cols {
		sc := synth.Col(rc.Name)
		if sc == nil {
			defects = append(defects, rc.Name+": absent")
			continue
		}
		rm := float64(rc.NullCount()) / float64(max(rc.Len(), 1))
		sm := float64(sc.NullCount()) / float64(max(sc.Len(), 1))
		gap = math.Max(gap, math.Abs(rm-sm))
		if sc.NullCount() == sc.Len() && rc.NullCount() < rc.Len() {
			defects = append(defects, rc.Name+": all missing")
			continue
		}
		switch rc.Kind {
		case table.Integer, table.Float, table.Datetime:
		default:
			continue
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		set := map[float64]bool{}
		for i := range rc.Len() {
			if rc.IsNull(i) {
				continue
			}
			v := rc.Float(i)
			lo, hi = math.Min(lo, v), math.Max(hi, v)
			if len(set) <= 32 {
				set[v] = true
			}
		}
		var out, off int
		for i := range sc.Len() {
			if sc.IsNull(i) {
				continue
			}
			v := sc.Float(i)
			if v < lo || v > hi {
				out++
			}
			if len(set) <= 32 && !set[v] {
				off++
			}
		}
		if out > 0 {
			defects = append(defects, fmt.Sprintf("%s: %d outside [%g, %g]", rc.Name, out, lo, hi))
		}
		if off > 0 {
			defects = append(defects, fmt.Sprintf("%s: %d off the %d real values", rc.Name, off, len(set)))
		}
	}
	return gap, defects
}

func summarize(rows []row) {
	type key struct{ d, m string }
	groups := map[key][]row{}
	var keys []key
	for _, r := range rows {
		k := key{r.dataset, r.method}
		if groups[k] == nil {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], r)
	}
	sort.SliceStable(keys, func(i, j int) bool { return keys[i].d < keys[j].d })
	fmt.Println("| dataset | method | quality sdmetrics | quality all | c2st_auc | seconds | max missing gap | domain defects (cells) |")
	fmt.Println("|---|---|---|---|---|---|---|---|")
	for _, k := range keys {
		g := groups[k]
		var qs, qa, c, s, m []float64
		nd := 0
		for _, r := range g {
			qs, qa, c, s, m = append(qs, r.qsdm), append(qa, r.qall), append(c, r.c2st), append(s, r.secs), append(m, r.miss)
			if len(r.defects) > 0 {
				nd++
			}
		}
		fmt.Printf("| %s | %s | %s | %s | %s | %.2f | %.3f | %d/%d |\n", k.d, k.m, ms(qs), ms(qa), ms(c), mean(s), slicesMax(m), nd, len(g))
	}
}

func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

func ms(v []float64) string {
	m := mean(v)
	if len(v) < 2 {
		return fmt.Sprintf("%.3f", m)
	}
	ss := 0.0
	for _, x := range v {
		ss += (x - m) * (x - m)
	}
	return fmt.Sprintf("%.3f ± %.3f", m, math.Sqrt(ss/float64(len(v)-1)))
}

func slicesMax(v []float64) float64 {
	m := 0.0
	for _, x := range v {
		m = math.Max(m, x)
	}
	return m
}
