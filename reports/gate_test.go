package reports

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/synthor/synthor/bench"
	"github.com/synthor/synthor/metrics"
)

// rerun returns a copy of rs as a rerun of the same config gives it: the
// same scores, other timings.
func rerun(rs []bench.Result) []bench.Result {
	out := make([]bench.Result, len(rs))
	for i, r := range rs {
		r.Metrics = slices.Clone(r.Metrics)
		r.Timings.TotalS *= 1.7
		out[i] = r
	}
	return out
}

// plant adds d to the named metric of label's cells.
func plant(rs []bench.Result, label, name string, cols []string, d float64) {
	for i := range rs {
		if rs[i].Method.Label != label {
			continue
		}
		for k, s := range rs[i].Metrics {
			if s.Name == name && (cols == nil || slices.Equal(s.Columns, cols)) {
				rs[i].Metrics[k].Value = s.Value + d
			}
		}
	}
}

func TestGateRerunPasses(t *testing.T) {
	base := mustLoad(t, testRun)
	g, err := Gate(rerun(base), base, GateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The fixture's scorecard: c2st_auc and target_error of 3 methods.
	if !g.Passed() || len(g.Comparisons) != 6 || !slices.Equal(g.Scores, []string{"c2st_auc", "target_error"}) {
		t.Fatalf("passed %v, %d comparisons of %v: %+v", g.Passed(), len(g.Comparisons), g.Scores, g.Regressions())
	}
}

// gateGolden is the "gate" part of testdata/stats_golden.json.
type gateGolden struct {
	Gate []struct {
		Alpha       float64
		Comparisons []struct {
			Key                                 string
			Better                              metrics.Direction
			Base, New                           []float64
			MinEffect                           float64 `json:"min_effect"`
			Worse, T, DF, P, Level, Allowed, SE float64
			Regressed                           bool
		}
	}
}

// TestGateMatchesSciPy runs the gate over the family of comparisons of
// stats_golden.py, one method each, and checks every statistic, Holm's
// level, the allowed worsening and the verdict against SciPy's.
func TestGateMatchesSciPy(t *testing.T) {
	b, err := os.ReadFile("testdata/stats_golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var gg gateGolden
	if err := json.Unmarshal(b, &gg); err != nil {
		t.Fatal(err)
	}
	for _, fam := range gg.Gate {
		var cur, base []bench.Result
		o := GateOptions{Alpha: fam.Alpha, MinEffect: map[string]Effect{}}
		for i, c := range fam.Comparisons {
			label := fmt.Sprintf("m%d", i)
			mk := func(side string, vals []float64) []bench.Result {
				var out []bench.Result
				for k, v := range vals {
					s := metrics.Score{Name: c.Key, Group: "x", Columns: []string{}, Value: v, Better: c.Better}
					out = append(out, result(side+label+fmt.Sprint(k), "d", label, uint64(k+1), s))
				}
				return out
			}
			base, cur = append(base, mk("b", c.Base)...), append(cur, mk("n", c.New)...)
			if c.MinEffect > 0 {
				o.MinEffect[c.Key] = Effect{Value: c.MinEffect}
			}
		}
		o.Scores, err = ParseHeadline([]string{"sdmetrics_quality", "dcr_share", "exact_match_rate"})
		if err != nil {
			t.Fatal(err)
		}
		g, err := Gate(cur, base, o)
		if err != nil {
			t.Fatal(err)
		}
		if len(g.Comparisons) != len(fam.Comparisons) {
			t.Fatalf("%d comparisons, want %d", len(g.Comparisons), len(fam.Comparisons))
		}
		for i, w := range fam.Comparisons {
			c := g.Comparisons[i]
			if c.Method != fmt.Sprintf("m%d", i) || c.Score != w.Key {
				t.Fatalf("comparison %d is %s %s", i, c.Method, c.Score)
			}
			if !near(c.Worse, w.Worse, 1e-12) || !relNear(c.T, w.T, 1e-9) || !relNear(c.DF, w.DF, 1e-9) || !relNear(c.P, w.P, 1e-8) ||
				!relNear(c.Level, w.Level, 1e-12) || !relNear(c.Allowed, w.Allowed, 1e-8) || c.Regressed != w.Regressed {
				t.Errorf("m%d %s: worse %v t %v df %v p %v level %v allowed %v regressed %v;\nSciPy     worse %v t %v df %v p %v level %v allowed %v regressed %v",
					i, w.Key, c.Worse, c.T, c.DF, c.P, c.Level, c.Allowed, c.Regressed, w.Worse, w.T, w.DF, w.P, w.Level, w.Allowed, w.Regressed)
			}
		}
		if g.Passed() || len(g.Regressions()) != 2 {
			t.Errorf("passed %v with %d regressions, want 2", g.Passed(), len(g.Regressions()))
		}
	}
}

// seeds3 makes a method's cells on dataset d at seeds from, from+1, ...
func seeds3(d, label string, from uint64, vals ...float64) []bench.Result {
	var out []bench.Result
	for k, v := range vals {
		s := uint64(k) + from
		out = append(out, result(fmt.Sprintf("%s-%s-%d", d, label, s), d, label, s, quality(v)))
	}
	return out
}

func TestGateNothingInCommon(t *testing.T) {
	base := append(seeds3("adult", "a", 1, 0.9, 0.91, 0.92), seeds3("adult", "b", 1, 0.8, 0.8, 0.81)...)
	cases := []struct {
		name string
		cur  []bench.Result
	}{
		{"other dataset", seeds3("census", "a", 4, 0.9, 0.91, 0.92)},
		{"other methods", seeds3("adult", "c", 4, 0.9, 0.91, 0.92)},
		{"empty run", nil},
		{"one seed each side", append(seeds3("adult", "a", 4, 0.9), seeds3("adult", "b", 4, 0.8)...)},
	}
	for _, c := range cases {
		g, err := Gate(c.cur, base, GateOptions{})
		if !errors.Is(err, ErrNothingCompared) || g.Passed() {
			t.Errorf("%s: error %v, passed %v", c.name, err, g != nil && g.Passed())
			continue
		}
		var buf bytes.Buffer
		if err := WriteGate(&buf, g, "markdown"); err != nil || !strings.Contains(buf.String(), "Regression gate: error: nothing compared") {
			t.Errorf("%s: %v\n%s", c.name, err, buf.String())
		}
	}
	// One seed on one side only is no test either, but says why.
	g, err := Gate(seeds3("adult", "a", 4, 0.9), seeds3("adult", "a", 1, 0.9, 0.91), GateOptions{})
	if !errors.Is(err, ErrNothingCompared) || len(g.NotCompared) == 0 || !strings.Contains(g.NotCompared[0], "needs two on each side") {
		t.Errorf("one value: %v %v", err, g.NotCompared)
	}
}

// TestGateMissingMethod: a (dataset, method) of the baseline missing from
// a run that shares others with it is a regression (not a silent pass).
func TestGateMissingMethod(t *testing.T) {
	base := append(seeds3("adult", "a", 1, 0.9, 0.91, 0.92), seeds3("adult", "b", 1, 0.8, 0.8, 0.81)...)
	g, err := Gate(seeds3("adult", "a", 4, 0.9, 0.91, 0.92), base, GateOptions{})
	if err != nil || g.Passed() {
		t.Fatalf("error %v, passed %v", err, g.Passed())
	}
	regs := g.Regressions()
	if len(regs) != 1 || regs[0].Method != "b" || !strings.Contains(regs[0].Note, "missing from the new run") {
		t.Errorf("regressions %+v, want adult/b missing", regs)
	}
	// More methods in the new run than in the baseline are noted only.
	g, err = Gate(base, seeds3("adult", "a", 4, 0.9, 0.91, 0.92), GateOptions{})
	if err != nil || !g.Passed() || !slices.ContainsFunc(g.NotCompared, func(s string) bool { return strings.Contains(s, "only in the new run: adult/b") }) {
		t.Errorf("error %v, passed %v, not compared %q", err, g.Passed(), g.NotCompared)
	}
}

// TestGateNoSpread: a score without spread on either side is compared
// exactly and left out of Holm's family, so it neither dilutes the tests
// nor passes a deterministic worsening.
func TestGateNoSpread(t *testing.T) {
	base := append(seeds3("d", "det", 1, 0.9, 0.9, 0.9), seeds3("d", "noisy", 1, 0.80, 0.82, 0.81)...)
	same := append(seeds3("d", "det", 4, 0.9, 0.9, 0.9), seeds3("d", "noisy", 4, 0.81, 0.80, 0.82)...)
	g, err := Gate(same, base, GateOptions{})
	if err != nil || !g.Passed() || g.Tests != 1 || len(g.Comparisons) != 2 {
		t.Fatalf("unchanged: error %v, passed %v, tests %d of %d comparisons", err, g.Passed(), g.Tests, len(g.Comparisons))
	}
	worse := append(seeds3("d", "det", 4, 0.899, 0.899, 0.899), seeds3("d", "noisy", 4, 0.81, 0.80, 0.82)...)
	g, err = Gate(worse, base, GateOptions{})
	if err != nil || g.Passed() {
		t.Fatalf("worse: error %v, passed %v", err, g.Passed())
	}
	if r := g.Regressions(); len(r) != 1 || r[0].Method != "det" || !r[0].NoSpread {
		t.Errorf("regressions %+v, want the exact one of det", r)
	}
	g, err = Gate(worse, base, GateOptions{MinEffect: map[string]Effect{"sdmetrics_quality": {Value: 0.002}}})
	if err != nil || !g.Passed() {
		t.Errorf("within the minimum effect: error %v, passed %v", err, g.Passed())
	}
}

// TestGateCopyFlag: a method that crosses the copy rule's line regresses
// only when the score that raised the flag is significantly worse; either
// way the verdict names the flag.
func TestGateCopyFlag(t *testing.T) {
	run := func(d, label string, from uint64, vals ...float64) []bench.Result {
		var out []bench.Result
		for k, v := range vals {
			s := uint64(k) + from
			out = append(out, result(fmt.Sprintf("%s-%s-%d", d, label, s), d, label, s, quality(0.9+float64(k)/1000),
				withRef(privacy("membership_auc", v), 0.5, "fixed")))
		}
		return out
	}
	base := run("d", "m", 1, 0.585, 0.595, 0.590) // 0.59: under the line at 0.6
	for _, c := range []struct {
		name    string
		cur     []bench.Result
		regress bool
	}{
		{"over the line by noise", run("d", "m", 4, 0.595, 0.615, 0.600), false},
		{"over the line, much worse", run("d", "m", 4, 0.700, 0.710, 0.705), true},
	} {
		g, err := Gate(c.cur, base, GateOptions{})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		i := g.comparisonOf("d", "m", "membership_auc")
		if i < 0 || !strings.Contains(g.Comparisons[i].Copies, "membership-attack AUC") {
			t.Fatalf("%s: the flag is not named: %+v", c.name, g.Comparisons)
		}
		if g.Passed() == c.regress || g.Comparisons[i].Regressed != c.regress {
			t.Errorf("%s: passed %v, membership regressed %v (p %g)", c.name, g.Passed(), g.Comparisons[i].Regressed, g.Comparisons[i].P)
		}
	}
}

func TestGateMinEffect(t *testing.T) {
	base := seeds3("d", "a", 1, 0.900, 0.901, 0.899)
	cur := seeds3("d", "a", 4, 0.890, 0.891, 0.889) // 0.01 worse, tight
	for _, c := range []struct {
		effect Effect
		fail   bool
	}{{Effect{}, true}, {Effect{Value: 0.005}, true}, {Effect{Value: 0.02}, false}, {Effect{Value: 0.05, Relative: true}, false}} {
		g, err := Gate(cur, base, GateOptions{MinEffect: map[string]Effect{"sdmetrics_quality": c.effect}})
		if err != nil {
			t.Fatal(err)
		}
		if g.Passed() == c.fail {
			t.Errorf("min effect %s: passed %v, %+v", c.effect, g.Passed(), g.Comparisons)
		}
	}
	for in, want := range map[string]Effect{"c2st_auc=0.02": {Value: 0.02}, "seconds=50%": {Value: 0.5, Relative: true}} {
		_, e, err := ParseEffect(in)
		if err != nil || e != want {
			t.Errorf("%q: %+v %v", in, e, err)
		}
	}
	for _, bad := range []string{"x", "x=", "=1", "x=-1", "x=abc%", "x=NaN"} {
		if _, _, err := ParseEffect(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

// TestGateWithoutSpread: scores without spread on either side (a
// deterministic method) pass when equal and regress when worse, and the
// JSON verdict still encodes (t infinite, df undefined: null).
func TestGateWithoutSpread(t *testing.T) {
	base := append(seeds3("d", "a", 1, 0.875, 0.875, 0.875), seeds3("d", "b", 1, 0.75, 0.75, 0.75)...)
	cur := append(seeds3("d", "a", 4, 0.875, 0.875, 0.875), seeds3("d", "b", 4, 0.5, 0.5, 0.5)...)
	g, err := Gate(cur, base, GateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	regs := g.Regressions()
	if len(g.Comparisons) != 2 || len(regs) != 1 || regs[0].Method != "b" || regs[0].P != 0 || g.Comparisons[0].P != 1 {
		t.Fatalf("comparisons %+v", g.Comparisons)
	}
	var buf bytes.Buffer
	if err := WriteGate(&buf, g, "json"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"t": null`) || !strings.Contains(buf.String(), `"df": null`) {
		t.Errorf("json:\n%s", buf.String())
	}
}

func TestGateCountsFailedCells(t *testing.T) {
	base := mustLoad(t, testRun)
	cur := rerun(base)
	for i := range cur {
		if cur[i].Method.Label == "independent" && cur[i].Seed == 2 {
			cur[i].Status, cur[i].Reason, cur[i].Metrics = bench.StatusOOM, "over 2 GiB", nil
		}
	}
	g, err := Gate(cur, base, GateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	regs := g.Regressions()
	if len(regs) != 1 || regs[0].Method != "independent" || !strings.Contains(regs[0].Note, "2 of 3 cells ok") {
		t.Fatalf("regressions %+v", regs)
	}
}

func TestGateAllScores(t *testing.T) {
	base := mustLoad(t, testRun)
	cur := rerun(base)
	// Price Wasserstein of llmsynthor-stat 5.02 ± 0.93 (n=3), 10 worse:
	// t = 10 / (0.93 · √(2/3)) = 13.2 on 4 df, one-sided p ≈ 1e-4, below
	// Holm's first level 0.05 / m for m under 500. Not a scorecard score:
	// only the gate over every score sees it.
	plant(cur, "llmsynthor-stat", "wasserstein", []string{"price"}, 10)
	g, err := Gate(cur, base, GateOptions{})
	if err != nil || !g.Passed() {
		t.Fatalf("scorecard gate: %v %+v", err, g.Regressions())
	}
	g, err = Gate(cur, base, GateOptions{All: true})
	if err != nil {
		t.Fatal(err)
	}
	regs := g.Regressions()
	if g.Scope != "all" || len(g.Comparisons) < 100 || len(regs) != 1 || regs[0].Method != "llmsynthor-stat" || !strings.Contains(regs[0].Label, "wasserstein [price]") {
		t.Fatalf("%d comparisons, regressions %+v", len(g.Comparisons), regs)
	}
}

func TestGateMarkdownSummary(t *testing.T) {
	base := append(seeds3("adult", "cart", 1, 0.978, 0.975, 0.981), seeds3("adult", "bayes-net", 1, 0.97, 0.965, 0.972)...)
	cur := append(seeds3("adult", "cart", 4, 0.80, 0.81, 0.79), seeds3("adult", "bayes-net", 4, 0.969, 0.967, 0.971)...)
	g, err := Gate(cur, base, GateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteGate(&buf, g, "markdown"); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	for _, want := range []string{"### Regression gate: failed", "2 comparisons", "α = 0.05", "Holm–Bonferroni",
		"#### Regressions (1)", "| adult   | cart   | quality ↑ | 0.978 ± 0.003 (n=3) | 0.800 ± 0.01 (n=3) | 0.178    |",
		"<details><summary>Every comparison (2)</summary>", "| bayes-net |"} {
		if !strings.Contains(md, want) {
			t.Errorf("summary lacks %q:\n%s", want, md)
		}
	}
	buf.Reset()
	if err := WriteGate(&buf, g, "table"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "adult / cart / quality ↑: 0.978 ± 0.003 (n=3) → 0.800 ± 0.01 (n=3), worse by 0.178") {
		t.Errorf("terminal:\n%s", buf.String())
	}
	buf.Reset()
	if err := WriteGate(&buf, g, "json"); err != nil {
		t.Fatal(err)
	}
	var back struct {
		Passed      bool
		Comparisons []Comparison
	}
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil || back.Passed || len(back.Comparisons) != 2 {
		t.Errorf("json: %v %+v", err, back)
	}
	if err := WriteGate(failWriter{}, g, "markdown"); !errors.Is(err, errWrite) {
		t.Errorf("write error %v", err)
	}
}

// TestGateFalseAlarmRate simulates 400 gates of 16 methods × 4 scores on
// three seeds a side drawn from one normal distribution per score (nothing
// changed): Holm–Bonferroni at α = 0.05 over the 64 one-sided Welch tests
// should fail at most 5 % of them (binomial slack: 3 standard errors,
// 3.3 %). A worsening of 15 standard deviations on one score (t ≈ 18 on 4
// df when the sample sds hit σ) must be caught in most gates (86 % here:
// three sample sds often overshoot σ, and Welch's df falls towards 2); 8
// standard deviations are caught in about half (t ≈ 10, p ≈ 3e-4 against
// Holm's first level 0.05/64 ≈ 8e-4): three seeds a side see large
// changes only.
func TestGateFalseAlarmRate(t *testing.T) {
	rng := rand.New(rand.NewPCG(26, 3))
	const gates = 400
	run := func(from uint64, shift float64) []bench.Result {
		var rs []bench.Result
		for m := range 16 {
			for s := range uint64(3) {
				seed := from + s
				var ss []metrics.Score
				for k, name := range []string{"sdmetrics_quality", "c2st_auc", "tstr_trtr_ratio", "dcr_share"} {
					sd := 0.002 * float64(k+1) * float64(m%4+1)
					v := 0.5 + sd*rng.NormFloat64()
					if m == 0 && k == 1 {
						v += shift * sd
					}
					ss = append(ss, metrics.Score{Name: name, Group: "x", Columns: []string{}, Value: v, Better: metrics.Lower,
						Params: map[string]any{"classifier": "forest"}})
				}
				rs = append(rs, result(fmt.Sprintf("m%d-%d", m, seed), "d", fmt.Sprintf("m%d", m), seed, ss...))
			}
		}
		return rs
	}
	alarms, caught := 0, 0
	for range gates {
		base := run(1, 0)
		g, err := Gate(run(4, 0), base, GateOptions{})
		if err != nil || len(g.Comparisons) != 64 {
			t.Fatalf("%v: %d comparisons", err, len(g.Comparisons))
		}
		if !g.Passed() {
			alarms++
		}
		if g, _ := Gate(run(4, 15), base, GateOptions{}); !g.Passed() {
			caught++
		}
	}
	if rate := float64(alarms) / gates; rate > 0.05+3*math.Sqrt(0.05*0.95/gates) {
		t.Errorf("false alarms in %d of %d gates (%.3f)", alarms, gates, rate)
	}
	if caught < gates*3/4 {
		t.Errorf("a 15-sd worsening caught in %d of %d gates", caught, gates)
	}
	t.Logf("false alarms %d of %d; 15-sd worsening caught %d of %d", alarms, gates, caught, gates)
}
