package cart

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"testing"
)

// hgbGolden mirrors testdata/hgb_golden.json, written by
// testdata/hgb_golden.py with scikit-learn 1.2.1.
type hgbGolden struct {
	Sklearn    string
	Thresholds map[string][]float64
	Cases      []struct {
		Name   string
		Params struct {
			MaxIter        int     `json:"max_iter"`
			LearningRate   float64 `json:"learning_rate"`
			MaxLeafNodes   *int    `json:"max_leaf_nodes"`
			MaxDepth       int     `json:"max_depth"`
			MinSamplesLeaf int     `json:"min_samples_leaf"`
			L2             float64 `json:"l2_regularization"`
			MaxBins        int     `json:"max_bins"`
		}
		NIter int `json:"n_iter"`
		Proba []float64
	}
}

// hgbGoldenData reads testdata/hgb/NAME.csv: x1, x2, x3 numeric, c1 and c2
// categorical codes (NaN missing), y.
func hgbGoldenData(t *testing.T, name string) (Features, Target) {
	t.Helper()
	_, rows := readGolden(t, "testdata/hgb/"+name+".csv")
	X := Features{Numeric("x1", column(rows, 0)), Numeric("x2", column(rows, 1)), Numeric("x3", column(rows, 2))}
	for _, c := range []struct {
		j      int
		name   string
		levels int
	}{{3, "c1", 6}, {4, "c2", 30}} {
		codes := make([]int32, len(rows))
		for i, r := range rows {
			codes[i] = -1
			if !math.IsNaN(r[c.j]) {
				codes[i] = int32(r[c.j])
			}
		}
		X = append(X, Categorical(c.name, codes, c.levels))
	}
	y := make([]int32, len(rows))
	for i, r := range rows {
		y[i] = int32(r[5])
	}
	return X, Classes(y, 2)
}

// TestHGBMatchesScikitLearn checks the bin thresholds and the predicted
// probabilities against HistGradientBoostingClassifier with early stopping
// off (deterministic on both sides). Gradients are float32 on both sides;
// sums differ in order only, so probabilities agree to rounding (1e-9
// allowed) unless a near-tie flips a split.
func TestHGBMatchesScikitLearn(t *testing.T) {
	raw, err := os.ReadFile("testdata/hgb_golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g hgbGolden
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Cases) == 0 || len(g.Thresholds) == 0 {
		t.Fatal("hgb_golden.json has an empty section")
	}
	X, y := hgbGoldenData(t, "train")
	Xt, _ := hgbGoldenData(t, "test")

	t.Run("bin thresholds", func(t *testing.T) {
		bn := fitBinner(X, allRows(X.Len()), 255, rand.New(rand.NewPCG(0, 0)))
		for j, name := range []string{"x1", "x2", "x3"} {
			want, got := g.Thresholds[name], bn.thresholds[j]
			if len(got) != len(want) {
				t.Fatalf("%s: %d thresholds, want %d", name, len(got), len(want))
			}
			for k := range want {
				if got[k] != want[k] {
					t.Errorf("%s threshold %d = %.17g, want %.17g", name, k, got[k], want[k])
				}
			}
		}
	})
	for _, c := range g.Cases {
		t.Run(c.Name, func(t *testing.T) {
			o := HGBOptions{MaxIter: c.Params.MaxIter, LearningRate: c.Params.LearningRate, MaxDepth: c.Params.MaxDepth,
				MinSamplesLeaf: c.Params.MinSamplesLeaf, L2: c.Params.L2, MaxBins: c.Params.MaxBins, EarlyStopping: EarlyStopOff}
			if c.Params.MaxLeafNodes != nil {
				o.MaxLeafNodes = *c.Params.MaxLeafNodes
			} else if c.Params.MaxDepth > 0 {
				o.MaxLeafNodes = 1 << 20 // scikit-learn's None: no cap
			}
			m, err := FitHGB(X, y, o)
			if err != nil {
				t.Fatal(err)
			}
			if m.Iterations != c.NIter {
				t.Errorf("%d iterations, want %d", m.Iterations, c.NIter)
			}
			p, err := m.PredictProba(Xt, nil)
			if err != nil {
				t.Fatal(err)
			}
			worst, off := 0.0, 0
			for i, want := range c.Proba {
				d := math.Abs(p[i] - want)
				worst = max(worst, d)
				if d > 1e-9 {
					off++
				}
			}
			t.Logf("max |p − sklearn| = %.3g over %d rows; %d beyond 1e-9", worst, len(p), off)
			if worst > 1e-9 {
				t.Errorf("max |p − sklearn| = %.3g (%d rows beyond 1e-9)", worst, off)
			}
		})
	}
}

func allRows(n int) []int32 {
	r := make([]int32, n)
	for i := range r {
		r[i] = int32(i)
	}
	return r
}
