// Command priorcheck summarises a synthor run directory on what
// BENCHMARKS.md's "LLMSynthor with a model prior" reports, per dataset and
// method (mean ± sd over the seeds):
//
//   - SDMetrics quality, exact_match_rate and dcr_share (from the results);
//
//   - targeted TVD: the mean over LLMSynthor's targeted tables (its
//     marginals and dependency joints, in its own bins) of the total
//     variation distance at the end of the run (Result.Discrepancy);
//
//   - detection AUC of a gradient-boosted classifier, read from
//     DIR/detect.jsonl (written by scripts/detect.py) when present;
//
//   - a distance membership attack: how well the distance from a real row
//     to its closest synthetic row (Gower) tells training rows (members)
//     from holdout rows (non-members), as an AUC (0.5: no better than
//     chance), on up to 2,000 rows of each drawn with a fixed seed;
//
//   - seconds (fit + sample).
//
//     go run ./scripts/priorcheck DIR
//
// It first writes each dataset's training table as DIR/csv/NAME.train.csv
// with NAME.kinds.json (each column's kind), which scripts/detect.py reads.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"

	"github.com/synthor/synthor/bench"
	"github.com/synthor/synthor/metrics"
	"github.com/synthor/synthor/table"
)

// attackRows is the most members and non-members the attack scores.
const attackRows = 2000

type cell struct {
	dataset, method                  string
	quality, exact, share, tvd, secs float64
	detect, attack                   float64
}

type split struct{ train, holdout *table.Table }

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: priorcheck DIR...")
		os.Exit(2)
	}
	var cells []cell
	for _, dir := range os.Args[1:] {
		c, err := run(dir)
		if err != nil {
			fmt.Fprintln(os.Stderr, "priorcheck:", err)
			os.Exit(1)
		}
		cells = append(cells, c...)
	}
	summarize(cells)
}

// run scores the ok cells of one run directory.
func run(dir string) ([]cell, error) {
	res, err := bench.ReadResults(filepath.Join(dir, "results.jsonl"), false)
	if err != nil {
		return nil, err
	}
	detect, err := readDetect(filepath.Join(dir, "detect.jsonl"))
	if err != nil {
		return nil, err
	}
	splits := map[string]split{}
	var cells []cell
	for _, r := range res {
		if r.Status != "ok" {
			fmt.Printf("%s %s seed %d: %s %s\n", r.Dataset, r.Method.Label, r.Seed, r.Status, r.Reason)
			continue
		}
		sp, ok := splits[r.Dataset]
		if !ok {
			if sp, err = loadSplit(dir, r.Dataset); err != nil {
				return nil, err
			}
			splits[r.Dataset] = sp
		}
		c, err := score(dir, r, sp)
		if err != nil {
			return nil, err
		}
		c.detect = math.NaN()
		if d, ok := detect[r.ID]; ok {
			c.detect = d
		}
		cells = append(cells, c)
	}
	return cells, nil
}

// loadSplit reads a dataset's training and holdout tables from the run
// directory and writes the training table and its kinds for detect.py.
func loadSplit(dir, dataset string) (split, error) {
	var sp split
	for _, part := range []string{"train", "holdout"} {
		m, _ := filepath.Glob(filepath.Join(dir, "data", "*-"+dataset+"."+part+".parquet"))
		if len(m) != 1 {
			return sp, fmt.Errorf("no %s file for %s in %s/data", part, dataset, dir)
		}
		t, err := bench.LoadTable(m[0])
		if err != nil {
			return sp, err
		}
		if part == "train" {
			sp.train = t
		} else {
			sp.holdout = t
		}
	}
	out := filepath.Join(dir, "csv")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return sp, err
	}
	if err := table.WriteFile(filepath.Join(out, dataset+".train.csv"), sp.train); err != nil {
		return sp, err
	}
	kinds := map[string]string{}
	for _, c := range sp.train.Cols {
		kinds[c.Name] = c.Kind.String()
		if c.Name == sp.train.GroupKey {
			kinds[c.Name] = "group"
		}
	}
	b, err := json.Marshal(kinds)
	if err != nil {
		return sp, err
	}
	return sp, os.WriteFile(filepath.Join(out, dataset+".kinds.json"), b, 0o644)
}

// score reads one cell's synthetic table and scores it.
func score(dir string, r bench.Result, sp split) (cell, error) {
	c := cell{dataset: r.Dataset, method: r.Method.Label, secs: r.Timings.FitS + r.Timings.SampleS,
		quality: math.NaN(), exact: math.NaN(), share: math.NaN(), tvd: math.NaN()}
	for _, s := range r.Metrics {
		switch s.Name {
		case metrics.NameSDMetricsQuality:
			c.quality = s.Value
		case metrics.NameExactMatchRate:
			c.exact = s.Value
		case metrics.NameDCRShare:
			c.share = s.Value
		}
	}
	if r.Synthor != nil && len(r.Synthor.Discrepancy) > 0 {
		sum := 0.0
		for _, v := range r.Synthor.Discrepancy {
			sum += v
		}
		c.tvd = sum / float64(len(r.Synthor.Discrepancy))
	}
	synth, err := table.ReadFile(filepath.Join(dir, "cells", r.ID, "synth.parquet"), table.ReadOptions{Schema: sp.train.Schema(), GroupKey: sp.train.GroupKey})
	if err != nil {
		return c, fmt.Errorf("%s: %w", r.ID, err)
	}
	if err := table.WriteFile(filepath.Join(dir, "csv", r.ID+".synth.csv"), synth); err != nil {
		return c, err
	}
	c.attack, err = attack(sp, synth)
	return c, err
}

// attack returns the AUC of the distance membership attack: members
// (training rows) should not lie closer to the synthetic rows than
// non-members (holdout rows).
func attack(sp split, synth *table.Table) (float64, error) {
	rng := rand.New(rand.NewPCG(1, 0x61747461636b))
	pick := func(t *table.Table) *table.Table {
		idx := rng.Perm(t.NumRows())[:min(attackRows, t.NumRows())]
		slices.Sort(idx)
		return t.Take(idx)
	}
	ctx := context.Background()
	var scores []float64
	var member []bool
	for k, t := range []*table.Table{sp.train, sp.holdout} {
		d, err := metrics.DCR(ctx, pick(t), synth)
		if err != nil {
			return math.NaN(), err
		}
		for _, x := range d.DCR {
			scores = append(scores, -x)
			member = append(member, k == 0)
		}
	}
	return metrics.AUC(scores, member)
}

func readDetect(path string) (map[string]float64, error) {
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := map[string]float64{}
	dec := json.NewDecoder(bytes.NewReader(b))
	for dec.More() {
		var d struct {
			ID  string  `json:"id"`
			AUC float64 `json:"auc"`
		}
		if err := dec.Decode(&d); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out[d.ID] = d.AUC
	}
	return out, nil
}

func summarize(cells []cell) {
	type key struct{ d, m string }
	groups := map[key][]cell{}
	var keys []key
	for _, c := range cells {
		k := key{c.dataset, c.method}
		if groups[k] == nil {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], c)
	}
	sort.SliceStable(keys, func(i, j int) bool { return keys[i].d < keys[j].d })
	fmt.Println("| dataset | method | SDMetrics quality | detection AUC (hgb) | targeted TVD | exact-match rate | DCR share | distance attack AUC | seconds |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|")
	for _, k := range keys {
		col := func(f func(cell) float64) string {
			var v []float64
			for _, c := range groups[k] {
				v = append(v, f(c))
			}
			return meanSD(v)
		}
		fmt.Printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", k.d, k.m,
			col(func(c cell) float64 { return c.quality }), col(func(c cell) float64 { return c.detect }),
			col(func(c cell) float64 { return c.tvd }), col(func(c cell) float64 { return c.exact }),
			col(func(c cell) float64 { return c.share }), col(func(c cell) float64 { return c.attack }),
			col(func(c cell) float64 { return c.secs }))
	}
}

// meanSD renders the mean ± the sample standard deviation (— when
// missing).
func meanSD(v []float64) string {
	v = slices.DeleteFunc(slices.Clone(v), math.IsNaN)
	if len(v) == 0 {
		return "—"
	}
	m := 0.0
	for _, x := range v {
		m += x
	}
	m /= float64(len(v))
	if len(v) < 2 {
		return fmt.Sprintf("%.3f", m)
	}
	ss := 0.0
	for _, x := range v {
		ss += (x - m) * (x - m)
	}
	return fmt.Sprintf("%.3f ± %.3f", m, math.Sqrt(ss/float64(len(v)-1)))
}
