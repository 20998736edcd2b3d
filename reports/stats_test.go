package reports

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"testing"
)

// statsGolden is testdata/stats_golden.json, written by
// testdata/stats_golden.py from SciPy.
type statsGolden struct {
	CI []struct {
		Values           []float64
		Mean, SD, Lo, Hi float64
	}
	Welch []struct {
		A, B                   []float64
		T, DF, Alpha, Critical float64
		PGreater               float64 `json:"p_greater"`
	}
	Holm []struct {
		P, Adjusted []float64
	}
	Friedman []struct {
		X         [][]float64
		ChiSq     float64 `json:"chi_sq"`
		P, FF, PF float64
		MeanRanks []float64 `json:"mean_ranks"`
	}
	Nemenyi []struct {
		K, N         int
		Alpha, Q, CD float64
	}
}

func loadStatsGolden(t *testing.T) statsGolden {
	t.Helper()
	b, err := os.ReadFile("testdata/stats_golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g statsGolden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	return g
}

func relNear(a, b, rel float64) bool {
	return math.Abs(a-b) <= rel*max(math.Abs(b), 1e-300)
}

func TestMeanCIMatchesSciPy(t *testing.T) {
	for _, c := range loadStatsGolden(t).CI {
		s := newStat(c.Values)
		lo, hi, ok := MeanCI(s, 0.95)
		if !ok || !relNear(s.Mean, c.Mean, 1e-12) || !relNear(s.SD, c.SD, 1e-10) || !relNear(lo, c.Lo, 1e-9) || !relNear(hi, c.Hi, 1e-9) {
			t.Errorf("%v: mean %v sd %v CI [%v, %v], SciPy %v %v [%v, %v]", c.Values, s.Mean, s.SD, lo, hi, c.Mean, c.SD, c.Lo, c.Hi)
		}
	}
	if _, _, ok := MeanCI(newStat([]float64{1}), 0.95); ok {
		t.Error("one value has an interval")
	}
}

func TestWelchMatchesSciPy(t *testing.T) {
	for _, c := range loadStatsGolden(t).Welch {
		w, err := WelchT(newStat(c.A), newStat(c.B))
		if err != nil {
			t.Fatal(err)
		}
		if !relNear(w.T, c.T, 1e-10) || !relNear(w.DF, c.DF, 1e-10) || !relNear(w.Upper(), c.PGreater, 1e-8) {
			t.Errorf("%v vs %v: t %v df %v p %v; SciPy t %v df %v p %v", c.A, c.B, w.T, w.DF, w.Upper(), c.T, c.DF, c.PGreater)
		}
		if got := w.Critical(c.Alpha); !relNear(got, c.Critical, 1e-8) {
			t.Errorf("%v vs %v: critical t at %g = %v, SciPy %v", c.A, c.B, c.Alpha, got, c.Critical)
		}
	}
}

func TestWelchEdges(t *testing.T) {
	if _, err := WelchT(newStat([]float64{1}), newStat([]float64{1, 2})); !errors.Is(err, ErrTooFewValues) {
		t.Errorf("one value: %v", err)
	}
	same := newStat([]float64{0.5, 0.5, 0.5})
	w, err := WelchT(same, same)
	if err != nil || w.T != 0 || w.Upper() != 1 {
		t.Errorf("no spread, equal: %+v p %v %v", w, w.Upper(), err)
	}
	w, _ = WelchT(newStat([]float64{1, 1, 1}), same)
	if !math.IsInf(w.T, 1) || w.Upper() != 0 {
		t.Errorf("no spread, higher: %+v p %v", w, w.Upper())
	}
	w, _ = WelchT(same, newStat([]float64{1, 1, 1}))
	if w.Upper() != 1 {
		t.Errorf("no spread, lower: p %v", w.Upper())
	}
}

func TestHolmMatchesClosedForm(t *testing.T) {
	for _, c := range loadStatsGolden(t).Holm {
		got := Holm(c.P)
		for i := range got {
			if !relNear(got[i], c.Adjusted[i], 1e-12) {
				t.Errorf("%v: adjusted %v, want %v", c.P, got, c.Adjusted)
				break
			}
		}
	}
}

func TestFriedmanMatchesSciPy(t *testing.T) {
	for _, c := range loadStatsGolden(t).Friedman {
		f, err := FriedmanTest(c.X)
		if err != nil {
			t.Fatal(err)
		}
		if !relNear(f.ChiSq, c.ChiSq, 1e-10) || !relNear(f.P, c.P, 1e-9) || !relNear(f.FF, c.FF, 1e-9) || !relNear(f.PF, c.PF, 1e-8) {
			t.Errorf("%v: χ² %v p %v F %v pF %v; SciPy %v %v %v %v", c.X, f.ChiSq, f.P, f.FF, f.PF, c.ChiSq, c.P, c.FF, c.PF)
		}
		for j := range f.MeanRanks {
			if !relNear(f.MeanRanks[j], c.MeanRanks[j], 1e-12) {
				t.Errorf("%v: mean ranks %v, want %v", c.X, f.MeanRanks, c.MeanRanks)
				break
			}
		}
	}
}

func TestFriedmanEdges(t *testing.T) {
	// Every block ranks the methods alike: χ² = N(k−1), F infinite.
	f, err := FriedmanTest([][]float64{{1, 2, 3}, {1, 2, 3}, {1, 2, 3}})
	if err != nil || !relNear(f.ChiSq, 6, 1e-12) || !math.IsInf(f.FF, 1) || f.PF != 0 {
		t.Errorf("unanimous: %+v %v", f, err)
	}
	// Every block ties every method: no evidence.
	f, err = FriedmanTest([][]float64{{1, 1}, {2, 2}})
	if err != nil || f.P != 1 || f.PF != 1 {
		t.Errorf("all ties: %+v %v", f, err)
	}
	for _, x := range [][][]float64{nil, {{1}}, {{1, 2}, {1}}} {
		if _, err := FriedmanTest(x); err == nil {
			t.Errorf("%v: no error", x)
		}
	}
}

func TestNemenyiMatchesSciPy(t *testing.T) {
	for _, c := range loadStatsGolden(t).Nemenyi {
		q := studentizedRangeQuantile(1-c.Alpha, c.K) / math.Sqrt2
		cd := NemenyiCD(c.K, c.N, c.Alpha)
		if !relNear(q, c.Q, 1e-6) || !relNear(cd, c.CD, 1e-6) {
			t.Errorf("k=%d n=%d α=%g: q %v CD %v; SciPy %v %v", c.K, c.N, c.Alpha, q, cd, c.Q, c.CD)
		}
	}
}
