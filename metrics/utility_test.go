package metrics

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/synthor/synthor/cart"
	"github.com/synthor/synthor/table"
)

func readCSV(t *testing.T, path string) *table.Table {
	t.Helper()
	tb, err := table.ReadFile(path, table.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

type goldenScores struct {
	Accuracy float64 `json:"accuracy"`
	MacroF1  float64 `json:"macro_f1"`
	AUC      float64 `json:"auc"`
}

// TestUtilityGolden checks logistic regression and the decision tree
// against scikit-learn with the same hyper-parameters on fixed data
// (testdata/utility_golden.py).
func TestUtilityGolden(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "utility_golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var golden map[string]json.RawMessage
	if err := json.Unmarshal(b, &golden); err != nil {
		t.Fatal(err)
	}
	train := readCSV(t, filepath.Join("testdata", "utility", "train.csv"))
	test := readCSV(t, filepath.Join("testdata", "utility", "test.csv"))
	for _, target := range []string{"y2", "y3"} {
		for _, clf := range []string{ClassifierLogistic, ClassifierTree, ClassifierForest} {
			t.Run(clf+"_"+target, func(t *testing.T) {
				var want goldenScores
				if err := json.Unmarshal(golden[clf+"_"+target], &want); err != nil {
					t.Fatal(err)
				}
				skip := []string{"y2", "y3"}
				tol := 0.01
				if clf != ClassifierLogistic {
					skip = append(skip, "c") // scikit-learn's trees have numeric features only
				}
				if clf == ClassifierTree {
					defer func(o cart.Options) { utilityTree = o }(utilityTree)
					utilityTree.MaxDepth = 4 // as in the golden script
				}
				if clf == ClassifierForest {
					tol = 0.03 // other bootstrap draws
				}
				feats := encodeTables(skip, train, train, test)
				y := encodeCategorical(target, []*table.Column{train.Col(target), train.Col(target), test.Col(target)})
				rows := labelled(y.codes[2])
				res, err := classify(context.Background(), clf, feats, y.codes[0], y.levels, 0, rows, 0)
				if err != nil {
					t.Fatal(err)
				}
				acc, _ := Accuracy(res.pred, y.codes[2])
				f1, _ := MacroF1(res.pred, y.codes[2], y.levels)
				auc, err := MacroAUC(res.proba, y.codes[2], y.levels)
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range []struct {
					name      string
					got, want float64
				}{{"accuracy", acc, want.Accuracy}, {"macro_f1", f1, want.MacroF1}, {"auc", auc, want.AUC}} {
					t.Logf("%s %.4f, scikit-learn %.4f", c.name, c.got, c.want)
					if math.Abs(c.got-c.want) > tol {
						t.Errorf("%s = %.4f, scikit-learn %.4f", c.name, c.got, c.want)
					}
				}
			})
		}
	}
}

// TestMacroAUCTies checks tied scores against scikit-learn's roc_auc_score
// and the binary case against a hand count of the Mann–Whitney statistic.
func TestMacroAUCTies(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "utility_golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		Binary struct {
			Scores []float64 `json:"scores"`
			Labels []int32   `json:"labels"`
			AUC    float64   `json:"auc"`
		} `json:"ties_binary"`
		OVR struct {
			Proba  [][]float64 `json:"proba"`
			Labels []int32     `json:"labels"`
			AUC    float64     `json:"auc"`
		} `json:"ties_ovr"`
	}
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	proba := make([][]float64, len(g.Binary.Scores))
	for i, s := range g.Binary.Scores {
		proba[i] = []float64{1 - s, s}
	}
	got, err := MacroAUC(proba, g.Binary.Labels, 2)
	if err != nil || math.Abs(got-g.Binary.AUC) > 1e-12 {
		t.Errorf("binary AUC = %v, %v; scikit-learn %v", got, err, g.Binary.AUC)
	}
	// Hand count: P(positive > negative) + ½ P(tie) over the 4 × 4 pairs.
	var wins float64
	for i, si := range g.Binary.Scores {
		for j, sj := range g.Binary.Scores {
			if g.Binary.Labels[i] == 1 && g.Binary.Labels[j] == 0 {
				switch {
				case si > sj:
					wins++
				case si == sj:
					wins += 0.5
				}
			}
		}
	}
	if want := wins / 16; math.Abs(got-want) > 1e-12 {
		t.Errorf("binary AUC = %v, Mann–Whitney %v", got, want)
	}
	got, err = MacroAUC(g.OVR.Proba, g.OVR.Labels, 3)
	if err != nil || math.Abs(got-g.OVR.AUC) > 1e-12 {
		t.Errorf("one-vs-rest AUC = %v, %v; scikit-learn %v", got, err, g.OVR.AUC)
	}
	if _, err := MacroAUC([][]float64{{1, 0}, {0.5, 0.5}}, []int32{0, 0}, 2); err == nil {
		t.Error("one class: no error")
	}
}

func TestAccuracyMacroF1(t *testing.T) {
	pred := []int32{0, 0, 1, 1, 2, 0}
	truth := []int32{0, 1, 1, 1, 2, 2}
	acc, _ := Accuracy(pred, truth)
	if acc != 4.0/6 {
		t.Errorf("accuracy %v", acc)
	}
	// F1: class 0: TP 1, FP 2, FN 0 → 1/2; class 1: TP 2, FN 1 → 4/5;
	// class 2: TP 1, FN 1 → 2/3.
	f1, _ := MacroF1(pred, truth, 3)
	if want := (1.0/2 + 4.0/5 + 2.0/3) / 3; math.Abs(f1-want) > 1e-12 {
		t.Errorf("macro-F1 %v, want %v", f1, want)
	}
	r2, _ := R2([]float64{1, 2, 3}, []float64{1, 2, 4})
	if want := 1 - 1/(14.0/3); math.Abs(r2-want) > 1e-12 {
		t.Errorf("R² %v, want %v", r2, want)
	}
	mae, _ := MAE([]float64{1, 2, 3}, []float64{1, 2, 5})
	if mae != 2.0/3 {
		t.Errorf("MAE %v", mae)
	}
	if _, err := R2([]float64{1, 2}, []float64{3, 3}); err == nil {
		t.Error("constant truth: no error")
	}
}

// smallUtility returns a real, synthetic and holdout table where y follows
// x.
func smallUtility() (real, synth, hold *table.Table) {
	mk := func(off int) *table.Table {
		n := 80
		x := make([]float64, n)
		v := make([]float64, n)
		c := make([]int32, n)
		y := make([]int32, n)
		for i := range x {
			x[i] = float64((i*7+off)%40) / 4
			c[i] = int32(i % 3)
			v[i] = 2*x[i] + float64(c[i])
			if x[i] > 5 {
				y[i] = 1
			}
		}
		return table.MustNew(table.NewFloat("x", x), table.NewCategorical("c", []string{"p", "q", "r"}, c),
			table.NewFloat("v", v), table.NewCategorical("y", []string{"no", "yes"}, y))
	}
	return mk(0), mk(3), mk(5)
}

func TestUtilityScores(t *testing.T) {
	real, synth, hold := smallUtility()
	ctx := context.Background()
	s, err := Utility(ctx, Input{Real: real, Synth: synth, Holdout: hold, Target: "y"})
	if err != nil {
		t.Fatal(err)
	}
	if len(s) != 21 {
		t.Fatalf("%d scores, want 21", len(s))
	}
	for _, sc := range s {
		if !sc.OK() {
			t.Errorf("%s %v: %s", sc.Name, sc.Params["classifier"], sc.Reason)
		}
		if sc.Name == NameTRTRAccuracy && sc.Value < 0.9 {
			t.Errorf("%v trtr accuracy %v on a separable target", sc.Params["classifier"], sc.Value)
		}
	}
	s, err = Utility(ctx, Input{Real: real, Synth: synth, Holdout: hold, Target: "v"})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, sc := range s {
		names[sc.Name] = true
		if !sc.OK() {
			t.Errorf("%s: %s", sc.Name, sc.Reason)
		}
		if sc.Name == NameTSTRR2 && sc.Value < 0.8 {
			t.Errorf("%v tstr R² %v", sc.Params["classifier"], sc.Value)
		}
	}
	for _, n := range []string{NameTSTRR2, NameTSTRMAE, NameTRTRR2, NameTRTRMAE} {
		if !names[n] {
			t.Errorf("no %s", n)
		}
	}
}

// TestUtilityReasons checks that every missing input gives scores with a
// reason, never an error.
func TestUtilityReasons(t *testing.T) {
	real, synth, hold := smallUtility()
	one := table.MustNew(table.NewFloat("x", []float64{1, 2, 3}), table.NewCategorical("c", []string{"p"}, []int32{0, 0, 0}),
		table.NewFloat("v", []float64{1, 2, 3}), table.NewCategorical("y", []string{"no"}, []int32{0, 0, 0}))
	for _, c := range []struct {
		name string
		in   Input
		want string
	}{
		{"no target", Input{Real: real, Synth: synth, Holdout: hold}, "no target"},
		{"no holdout", Input{Real: real, Synth: synth, Target: "y"}, "holdout"},
		{"absent target", Input{Real: real, Synth: synth, Holdout: hold, Target: "zz"}, `no target column "zz"`},
		{"one class", Input{Real: real, Synth: one, Holdout: hold, Target: "y"}, "1 class"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := Utility(context.Background(), c.in)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, sc := range s {
				if !sc.OK() {
					if sc.Reason == "" {
						t.Errorf("%s undefined without a reason", sc.Name)
					}
					found = found || strings.Contains(sc.Reason, c.want)
				}
			}
			if !found {
				t.Errorf("no reason containing %q in %v", c.want, s)
			}
		})
	}
}

func TestUtilityCancelled(t *testing.T) {
	real, synth, hold := smallUtility()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Utility(ctx, Input{Real: real, Synth: synth, Holdout: hold, Target: "y"}); err == nil {
		t.Error("no error from a cancelled context")
	}
	if _, err := Privacy(ctx, Input{Real: real, Synth: synth, Holdout: hold}); err == nil {
		t.Error("privacy: no error from a cancelled context")
	}
}
