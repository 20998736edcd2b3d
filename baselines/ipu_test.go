package baselines

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/table"
)

// ye2009 is the frequency matrix of Ye et al. (2009), Table 1, by
// household: household types 1 and 2, person types 1, 2 and 3.
var ye2009 = [][5]float64{
	{1, 0, 1, 1, 1}, {1, 0, 1, 0, 1}, {1, 0, 2, 1, 0}, {0, 1, 1, 0, 2},
	{0, 1, 0, 2, 1}, {0, 1, 1, 1, 0}, {0, 1, 2, 1, 2}, {0, 1, 1, 1, 0},
}

func ye2009Controls() []control {
	totals := []float64{35, 65, 91, 65, 104}
	out := make([]control, len(totals))
	for j, t := range totals {
		out[j] = control{name: "c" + string(rune('1'+j)), target: t}
		for i, row := range ye2009 {
			if row[j] > 0 {
				out[j].hh = append(out[j].hh, int32(i))
				out[j].a = append(out[j].a, row[j])
			}
		}
	}
	return out
}

// TestIPUYe2009 checks IPU on the worked example of Ye et al. (2009): the
// first sweep and the converged weights against numpy
// (testdata/ipu_ye2009.py), and the converged weights against the
// paper's, printed to two decimals.
func TestIPUYe2009(t *testing.T) {
	var want struct {
		InitialDelta    float64   `json:"initial_delta"`
		FirstSweep      []float64 `json:"first_sweep"`
		FirstSweepDelta float64   `json:"first_sweep_delta"`
		Converged       []float64 `json:"converged"`
		Paper           []float64 `json:"paper_final_weights"`
	}
	b, err := os.ReadFile(filepath.Join("testdata", "ipu_ye2009.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	ones := []float64{1, 1, 1, 1, 1, 1, 1, 1}
	ctx := context.Background()
	one, err := ipu(ctx, ye2009Controls(), ones, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	close := func(what string, got, want []float64, tol float64) {
		t.Helper()
		for i := range want {
			if math.Abs(got[i]-want[i]) > tol {
				t.Fatalf("%s: weight %d is %.10g, want %.10g (±%g); all %v", what, i+1, got[i], want[i], tol, got)
			}
		}
	}
	close("first sweep", one.Weights, want.FirstSweep, 1e-9)
	if one.Sweeps != 1 || math.Abs(one.Delta-want.FirstSweepDelta) > 1e-12 {
		t.Fatalf("first sweep: %d sweeps, delta %v, want %v", one.Sweeps, one.Delta, want.FirstSweepDelta)
	}
	if none, _ := ipu(ctx, ye2009Controls(), ones, 0, 0); math.Abs(none.Delta-want.InitialDelta) > 1e-12 || !slices.Equal(none.Weights, ones) {
		t.Fatalf("no sweep: delta %v (want %v), weights %v", none.Delta, want.InitialDelta, none.Weights)
	}
	fit, err := ipu(ctx, ye2009Controls(), ones, 5000, 1e-12)
	if err != nil {
		t.Fatal(err)
	}
	close("converged (numpy)", fit.Weights, want.Converged, 1e-7)
	close("converged (the paper, 2 decimals)", fit.Weights, want.Paper, 0.005)
	if fit.Delta > 1e-12 || fit.Sweeps < 100 || fit.Sweeps >= 5000 {
		t.Fatalf("delta %v after %d sweeps", fit.Delta, fit.Sweeps)
	}
}

// TestIPUClosedForm: with household controls that partition the
// households, one sweep gives w_i = T_k / n_k, n_k the households of
// class k; a control with a zero total zeroes its households, and one no
// household meets is reported.
func TestIPUClosedForm(t *testing.T) {
	ctl := []control{
		{name: "a", target: 30, hh: []int32{0, 1, 2}, a: []float64{1, 1, 1}},
		{name: "b", target: 7, hh: []int32{3, 4}, a: []float64{1, 1}},
		{name: "c", target: 0, hh: []int32{5}, a: []float64{1}},
		{name: "d", target: 4},
	}
	fit, err := ipu(context.Background(), ctl, []float64{1, 1, 1, 1, 1, 1}, 10, 1e-9)
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{10, 10, 10, 3.5, 3.5, 0}; !slices.Equal(fit.Weights, want) {
		t.Fatalf("weights %v, want %v", fit.Weights, want)
	}
	if !slices.Equal(fit.Unsupported, []string{"d"}) || fit.Delta != 0 || fit.Sweeps != 1 {
		t.Fatalf("unsupported %v, delta %v, sweeps %d", fit.Unsupported, fit.Delta, fit.Sweeps)
	}
}

func TestBucketRound(t *testing.T) {
	// Scaled to 10: 2.5, 2.5, 2.5, 2.5 -> cumulative 2.5, 5, 7.5, 10,
	// rounded half away from zero 3, 5, 8, 10.
	if got := bucketRound([]float64{1, 1, 1, 1}, 10); !slices.Equal(got, []int{3, 2, 3, 2}) {
		t.Fatalf("counts %v", got)
	}
	w := []float64{0.3, 4.1, 0, 2.9, 7.77, 1.25}
	got := bucketRound(w, 25)
	tot, sum := 0.0, 0
	for _, x := range w {
		tot += x
	}
	for i, k := range got {
		e := 25 * w[i] / tot
		if float64(k) < math.Floor(e) || float64(k) > math.Ceil(e) {
			t.Fatalf("household %d: %d copies for weight %.3f", i+1, k, e)
		}
		sum += k
	}
	if sum != 25 {
		t.Fatalf("counts %v sum to %d", got, sum)
	}
}

// popSeed returns a population of households and a seed sample of about
// share of its households (every k-th).
func popSeed(households int, k int) (full, seed *table.Table) {
	full = datasets.Population(households, 7)
	groups, _ := full.Groups()
	var rows []int
	for g := 0; g < len(groups); g += k {
		for i := groups[g][0]; i < groups[g][1]; i++ {
			rows = append(rows, i)
		}
	}
	return full, full.Take(rows)
}

var popSpec = macro.ControlSpec{
	Groups:      []string{"num_persons", "housing_tenure", "householder_type", "num_vehicles"},
	Members:     []string{"age", "race", "education", "employment", "income"},
	Joints:      [][]string{{"housing_tenure", "num_vehicles"}, {"age", "employment"}},
	Composition: &macro.CompositionSpec{Member: "age", Cuts: []float64{18, 65}},
}

// TestIPUPopulation weights a 10% seed of the population generator to the
// full population's controls: the weighted controls are met far better
// than by the seed's uniform weights, every output household is a seed
// household, and the output is the seed's schema with n households.
func TestIPUPopulation(t *testing.T) {
	ctx := context.Background()
	full, seed := popSeed(3000, 10)
	tg, err := macro.ControlsFromTable(full, popSpec)
	if err != nil {
		t.Fatal(err)
	}
	uniform, _ := NewIPU(IPUConfig{Uniform: true})
	if err := uniform.FitSample(ctx, seed, tg); err != nil {
		t.Fatal(err)
	}
	s, _ := NewIPU(IPUConfig{})
	if err := s.FitSample(ctx, seed, tg); err != nil {
		t.Fatal(err)
	}
	if s.fit.Delta > uniform.fit.Delta/5 || s.fit.Delta > 0.04 {
		t.Fatalf("mean relative control error %.4f, with uniform weights %.4f", s.fit.Delta, uniform.fit.Delta)
	}
	tot := 0.0
	for _, w := range s.Weights() {
		tot += w
	}
	if math.Abs(tot-3000) > 30 {
		t.Fatalf("weights sum to %v households, want 3000 within 1%%", tot)
	}
	if !strings.Contains(s.Label(), "sweeps, mean relative control error") {
		t.Fatalf("label %q", s.Label())
	}
	out, err := s.Sample(ctx, 3000, 1)
	if err != nil {
		t.Fatal(err)
	}
	og, err := out.Groups()
	if err != nil || len(og) != 3000 || out.GroupKey != "household_id" || !slices.Equal(out.Names(), seed.Names()) {
		t.Fatalf("%d households (%v), key %q, columns %v", len(og), err, out.GroupKey, out.Names())
	}
	// Every output household is a seed household, key aside.
	seedHH := map[string]bool{}
	sg, _ := seed.Groups()
	for _, r := range sg {
		seedHH[householdText(seed, r)] = true
	}
	for _, r := range og {
		if !seedHH[householdText(out, r)] {
			t.Fatalf("household at rows %d-%d is not a seed household", r[0]+1, r[1])
		}
	}
	// The households by size are closer to their control than the seed's
	// own (uniformly weighted) shares are.
	sizeErr := func(out *table.Table) float64 {
		m := tg.Marginal("num_persons")
		groups, _ := out.Groups()
		got := make([]float64, len(m.Counts))
		for _, r := range groups {
			got[m.Vars[0].Bins.Index(out.Col("num_persons").Float(r[0]))]++
		}
		e := 0.0
		for k := range got {
			e += math.Abs(got[k]/float64(len(groups)) - m.Counts[k]/m.Total)
		}
		return e
	}
	if u, err := uniform.Sample(ctx, 3000, 1); err != nil || sizeErr(out) > sizeErr(u)/2 {
		t.Fatalf("households by size: L1 error %.4f, the seed's %.4f (%v)", sizeErr(out), sizeErr(u), err)
	}
	// Same seed, same bytes; trs draws with the seed, bucket does not.
	again, _ := s.Sample(ctx, 3000, 1)
	other, _ := s.Sample(ctx, 3000, 2)
	if !bytes.Equal(csvOf(t, out), csvOf(t, again)) || bytes.Equal(csvOf(t, out), csvOf(t, other)) {
		t.Fatal("trs: the seed does not fix the output")
	}
	bk, _ := NewIPU(IPUConfig{Integerise: IntegeriseBucket})
	if err := bk.FitSample(ctx, seed, tg); err != nil {
		t.Fatal(err)
	}
	b1, _ := bk.Sample(ctx, 1500, 1)
	b2, _ := bk.Sample(ctx, 1500, 2)
	if bg, _ := b1.Groups(); len(bg) != 1500 || !bytes.Equal(csvOf(t, b1), csvOf(t, b2)) {
		t.Fatal("bucket: not 1500 households, or not deterministic")
	}
}

func TestIPUErrors(t *testing.T) {
	ctx := context.Background()
	full, seed := popSeed(300, 10)
	tg, err := macro.ControlsFromTable(full, popSpec)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := NewIPU(IPUConfig{})
	if err := s.Fit(ctx, seed); err == nil || !strings.Contains(err.Error(), "ipu needs a seed sample") {
		t.Fatalf("Fit: %v", err)
	}
	flat := *tg
	flat.Members, flat.Grouping = nil, nil
	noIncome := table.MustNew(slices.DeleteFunc(slices.Clone(seed.Cols), func(c *table.Column) bool { return c.Name == "income" })...)
	noIncome.GroupKey = seed.GroupKey
	ungrouped := table.MustNew(seed.Cols...)
	for _, c := range []struct {
		name   string
		sample *table.Table
		tg     *macro.Targets
		want   string
	}{
		{"flat targets", seed, &flat, "the targets are flat"},
		{"a column missing", noIncome, tg, `ipu: fit: seed sample: column "income": no such column`},
		{"no group key", ungrouped, tg, "the seed sample has no group key"},
	} {
		if err := s.FitSample(ctx, c.sample, c.tg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	for _, c := range []IPUConfig{{Iterations: -1}, {Tolerance: math.NaN()}, {Integerise: "round"}} {
		if _, err := NewIPU(c); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
}

// householdText renders the rows of a household, its key column left out.
func householdText(t *table.Table, r [2]int) string {
	var b strings.Builder
	for i := r[0]; i < r[1]; i++ {
		for _, c := range t.Cols {
			if c.Name != t.GroupKey {
				b.WriteString(c.String(i) + ",")
			}
		}
		b.WriteByte(';')
	}
	return b.String()
}

func csvOf(t *testing.T, tb *table.Table) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := table.WriteCSV(&b, tb); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// BenchmarkIPU weights a 5% seed of the population generator to the
// controls of configs/population-sample.yaml (the composition with cuts 18
// and 65, the harder case) and expands it to the population's households,
// for two population sizes.
func BenchmarkIPU(b *testing.B) {
	ctx := context.Background()
	for _, households := range []int{20000, 100000} {
		full, seed := popSeed(households, 20)
		tg, err := macro.ControlsFromTable(full, popSpec)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("households=%d", households), func(b *testing.B) {
			for b.Loop() {
				s, _ := NewIPU(IPUConfig{})
				if err := s.FitSample(ctx, seed, tg); err != nil {
					b.Fatal(err)
				}
				if _, err := s.Sample(ctx, households, 1); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
