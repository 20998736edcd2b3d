package reports

import (
	"bytes"
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

// plant multiplies the named metric of label's cells by f.
func plant(rs []bench.Result, label, name string, cols []string, f float64) {
	for i := range rs {
		if rs[i].Method.Label != label {
			continue
		}
		for k, s := range rs[i].Metrics {
			if s.Name == name && slices.Equal(s.Columns, cols) {
				rs[i].Metrics[k].Value = s.Value * f
			}
		}
	}
}

func TestGateRerunPasses(t *testing.T) {
	base := mustLoad(t, testRun)
	regs := Compare(Build(rerun(base)), Build(base), DefaultTolerance)
	if len(regs) != 0 {
		t.Fatalf("a rerun regressed: %+v", regs)
	}
}

func TestGatePlantedRegressionFails(t *testing.T) {
	base := mustLoad(t, testRun)
	cur := rerun(base)
	// Price Wasserstein of llmsynthor-stat 5.02 ± 0.93 (n=3): tripled it
	// is 15 ± 2.8, 10 worse against an allowed 3·sqrt(0.93²/3 + 2.8²/3) ≈ 5.1.
	plant(cur, "llmsynthor-stat", "wasserstein", []string{"price"}, 3)
	regs := Compare(Build(cur), Build(base), DefaultTolerance)
	if len(regs) != 1 || regs[0].Method != "llmsynthor-stat" || regs[0].Metric != "wasserstein" || regs[0].Columns != "price" {
		t.Fatalf("regressions %+v, want the planted one", regs)
	}
	var buf bytes.Buffer
	if err := WriteRegressions(&buf, true, regs, DefaultTolerance); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "Regression gate: failed") || !strings.Contains(buf.String(), "| llmsynthor-stat |") {
		t.Fatalf("summary:\n%s", buf.String())
	}
}

func TestGateIsSeedAware(t *testing.T) {
	lo := metrics.Lower
	mk := func(vals ...float64) *Model {
		var rs []bench.Result
		for i, v := range vals {
			rs = append(rs, result(string(rune('a'+i)), "d", "m", uint64(i), score("tvd", v, lo, "x")))
		}
		return Build(rs)
	}
	// Baseline 1, 2, 3: mean 2, sd 1, n 3. Tolerance 2 standard errors and no
	// relative share: allowed 2·sqrt(1/3 + sd²/3).
	tol := Tolerance{SD: 2}
	cases := []struct {
		name string
		cur  *Model
		fail bool
	}{
		// 2.5, 3.5, 4.5: worse by 1.5, allowed 2·sqrt(2/3) = 1.63.
		{"within the spread", mk(2.5, 3.5, 4.5), false},
		// 3.5, 4.5, 5.5: worse by 2.5 > 1.63.
		{"beyond the spread", mk(3.5, 4.5, 5.5), true},
		// 3.9, 4, 4.1: worse by 2, sd 0.1: allowed 2·sqrt(1/3 + 0.01/3) = 1.16.
		{"tight and worse", mk(3.9, 4, 4.1), true},
		// Better is never a regression.
		{"better", mk(0, 0, 0), false},
	}
	for _, c := range cases {
		regs := Compare(c.cur, mk(1, 2, 3), tol)
		if (len(regs) > 0) != c.fail {
			t.Errorf("%s: regressions %+v, want fail=%v", c.name, regs, c.fail)
		}
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
	regs := Compare(Build(cur), Build(base), DefaultTolerance)
	if len(regs) != 1 || regs[0].Method != "independent" || !strings.Contains(regs[0].Note, "2 of 3 cells ok") {
		t.Fatalf("regressions %+v", regs)
	}
}
