package metrics

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"slices"
	"testing"
)

// golden mirrors testdata/golden.json, written by testdata/golden.py with
// SciPy 1.10.1 and scikit-learn 1.2.1.
type golden struct {
	Samples []struct {
		Name        string
		X, Y        []*float64
		KS          float64 `json:"ks"`
		Wasserstein float64
	}
	Freqs []struct {
		Name                       string
		P, Q                       []float64
		TVD, JSD, Hellinger, SRMSE float64
	}
	Correlations []struct {
		Name              string
		X, Y              []*float64
		Pearson, Spearman float64
	}
	CramersV []struct {
		Name       string
		Rows, Cols int
		Counts     []float64
		CramersV   float64 `json:"cramers_v"`
	} `json:"cramers_v"`
	AUC []struct {
		Name   string
		Scores []float64
		Labels []bool
		AUC    float64
	}
}

func loadGolden(t *testing.T) golden {
	t.Helper()
	b, err := os.ReadFile("testdata/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Samples) == 0 || len(g.Freqs) == 0 || len(g.Correlations) == 0 || len(g.CramersV) == 0 || len(g.AUC) == 0 {
		t.Fatal("golden.json has an empty section")
	}
	return g
}

// nans turns JSON nulls into NaN (missing).
func nans(v []*float64) []float64 {
	out := make([]float64, len(v))
	for i, p := range v {
		if p == nil {
			out[i] = math.NaN()
		} else {
			out[i] = *p
		}
	}
	return out
}

const tol = 1e-12

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > tol {
		t.Errorf("%s = %.17g, want %.17g (tolerance %g)", what, got, want, tol)
	}
}

func TestGoldenSamples(t *testing.T) {
	for _, c := range loadGolden(t).Samples {
		t.Run(c.Name, func(t *testing.T) {
			x, y := nans(c.X), nans(c.Y)
			ks, err := KS(x, y)
			if err != nil {
				t.Fatal(err)
			}
			near(t, "KS", ks, c.KS, tol)
			w, err := Wasserstein(x, y)
			if err != nil {
				t.Fatal(err)
			}
			near(t, "Wasserstein", w, c.Wasserstein, 1e-9)
			// Both are symmetric.
			ks2, _ := KS(y, x)
			near(t, "KS(y, x)", ks2, c.KS, tol)
			w2, _ := Wasserstein(y, x)
			near(t, "Wasserstein(y, x)", w2, c.Wasserstein, 1e-9)
		})
	}
}

func TestGoldenFrequencies(t *testing.T) {
	for _, c := range loadGolden(t).Freqs {
		t.Run(c.Name, func(t *testing.T) {
			for _, m := range []struct {
				name string
				f    func(p, q []float64) (float64, error)
				want float64
			}{
				{"TVD", TVD, c.TVD},
				{"JSD", JSD, c.JSD},
				{"Hellinger", Hellinger, c.Hellinger},
				{"SRMSE", SRMSE, c.SRMSE},
			} {
				got, err := m.f(c.P, c.Q)
				if err != nil {
					t.Fatalf("%s: %v", m.name, err)
				}
				near(t, m.name, got, m.want, 1e-12)
			}
		})
	}
}

func TestGoldenCorrelations(t *testing.T) {
	for _, c := range loadGolden(t).Correlations {
		t.Run(c.Name, func(t *testing.T) {
			x, y := nans(c.X), nans(c.Y)
			r, err := Pearson(x, y)
			if err != nil {
				t.Fatal(err)
			}
			near(t, "Pearson", r, c.Pearson, 1e-12)
			s, err := Spearman(x, y)
			if err != nil {
				t.Fatal(err)
			}
			near(t, "Spearman", s, c.Spearman, 1e-12)
		})
	}
}

func TestGoldenCramersV(t *testing.T) {
	for _, c := range loadGolden(t).CramersV {
		t.Run(c.Name, func(t *testing.T) {
			v, err := CramersV(c.Counts, c.Rows, c.Cols)
			if err != nil {
				t.Fatal(err)
			}
			near(t, "CramersV", v, c.CramersV, 1e-12)
		})
	}
}

func TestGoldenAUC(t *testing.T) {
	for _, c := range loadGolden(t).AUC {
		t.Run(c.Name, func(t *testing.T) {
			a, err := AUC(c.Scores, c.Labels)
			if err != nil {
				t.Fatal(err)
			}
			near(t, "AUC", a, c.AUC, 1e-12)
		})
	}
}

func TestErrors(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name string
		f    func() (float64, error)
		want error
	}{
		{"ks empty side", func() (float64, error) { return KS([]float64{1}, []float64{nan, nan}) }, ErrEmpty},
		{"wasserstein empty side", func() (float64, error) { return Wasserstein(nil, []float64{1}) }, ErrEmpty},
		{"tvd no mass", func() (float64, error) { return TVD([]float64{0, 0}, []float64{1, 2}) }, ErrEmpty},
		{"jsd length", func() (float64, error) { return JSD([]float64{1}, []float64{1, 2}) }, ErrLength},
		{"pearson constant", func() (float64, error) { return Pearson([]float64{1, 1, 1}, []float64{1, 2, 3}) }, ErrConstant},
		{"pearson one row", func() (float64, error) { return Pearson([]float64{1, nan}, []float64{1, 2}) }, ErrEmpty},
		{"spearman constant", func() (float64, error) { return Spearman([]float64{1, 2, 3}, []float64{4, 4, 4}) }, ErrConstant},
		{"cramers v one row", func() (float64, error) { return CramersV([]float64{1, 2, 0, 0}, 2, 2) }, ErrConstant},
		{"cramers v empty", func() (float64, error) { return CramersV([]float64{0, 0, 0, 0}, 2, 2) }, ErrEmpty},
		{"auc one class", func() (float64, error) { return AUC([]float64{0.1, 0.2}, []bool{true, true}) }, ErrEmpty},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, err := c.f()
			if !errors.Is(err, c.want) {
				t.Fatalf("error %v, want %v", err, c.want)
			}
			if !math.IsNaN(v) {
				t.Errorf("value %g with an error, want NaN", v)
			}
		})
	}
}

// TestClosedForm checks the bounds every distance reaches: 0 on identical
// inputs and its maximum on disjoint supports.
func TestClosedForm(t *testing.T) {
	same := []float64{3, 1, 4, 1, 5}
	disj1, disj2 := []float64{1, 1, 0, 0}, []float64{0, 0, 2, 5}
	for _, c := range []struct {
		name      string
		f         func(p, q []float64) (float64, error)
		same, max float64
	}{
		{"tvd", TVD, 0, 1},
		{"jsd", JSD, 0, 1},
		{"hellinger", Hellinger, 0, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			v, _ := c.f(same, same)
			near(t, "identical", v, c.same, 1e-15)
			v, _ = c.f(disj1, disj2)
			near(t, "disjoint", v, c.max, 1e-15)
		})
	}
	t.Run("srmse point masses", func(t *testing.T) {
		// Two point masses on different cells: m = 2, Σd² = 2, SRMSE = 2 = sqrt(2m).
		v, _ := SRMSE([]float64{5, 0, 0}, []float64{0, 3, 0})
		near(t, "srmse", v, 2, 1e-15)
	})
	t.Run("ks disjoint", func(t *testing.T) {
		v, _ := KS([]float64{1, 2}, []float64{3, 4, 5})
		near(t, "ks", v, 1, 0)
		w, _ := Wasserstein([]float64{0, 0}, []float64{3, 3, 3})
		near(t, "w1 = shift", w, 3, 1e-15)
	})
}

func TestRanks(t *testing.T) {
	for _, c := range []struct {
		name string
		x    []float64
		want []float64
	}{
		{"integers (lookup table)", []float64{3, 1, 3, 2, -5}, []float64{4.5, 2, 4.5, 3, 1}},
		{"fractions (binary search)", []float64{0.5, 0.25, 0.5, 1e9}, []float64{2.5, 1, 2.5, 4}},
		{"wide integers (binary search)", []float64{1e12, 0, 1e12}, []float64{2.5, 1, 2.5}},
		{"empty", nil, []float64{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := Ranks(c.x)
			if len(got) != len(c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Fatalf("got %v, want %v", got, c.want)
				}
			}
		})
	}
}

// TestSortedCopy checks both sorting paths against slices.Sort.
func TestSortedCopy(t *testing.T) {
	rng := newRand(8)
	for _, c := range []struct {
		name string
		gen  func() float64
	}{
		{"small integers (counting sort)", func() float64 { return float64(rng.IntN(50) - 25) }},
		{"wide integers", func() float64 { return float64(rng.Int64N(1e12)) }},
		{"floats", func() float64 { return rng.NormFloat64() }},
		{"integers with missing", func() float64 {
			if rng.IntN(10) == 0 {
				return math.NaN()
			}
			return float64(rng.IntN(7))
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			x := make([]float64, 1000)
			for i := range x {
				x[i] = c.gen()
			}
			want := dropNaN(x)
			slices.Sort(want)
			if got := sortedCopy(x); !slices.Equal(got, want) {
				t.Fatalf("sortedCopy differs from slices.Sort")
			}
		})
	}
}
