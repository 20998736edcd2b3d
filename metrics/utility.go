package metrics

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/synthor/synthor/cart"
	"github.com/synthor/synthor/table"
)

const utilityGroup = "utility"

// Names of the utility scores.
const (
	NameTSTRAccuracy = "tstr_accuracy"
	NameTSTRMacroF1  = "tstr_macro_f1"
	NameTSTRAUC      = "tstr_auc"
	NameTRTRAccuracy = "trtr_accuracy"
	NameTRTRMacroF1  = "trtr_macro_f1"
	NameTRTRAUC      = "trtr_auc"
	NameTSTRTRTR     = "tstr_trtr_ratio"
	NameTSTRR2       = "tstr_r2"
	NameTSTRMAE      = "tstr_mae"
	NameTRTRR2       = "trtr_r2"
	NameTRTRMAE      = "trtr_mae"
)

// The classifiers and regressors of the utility group, by the name given in
// the "classifier" param, in output order.
const (
	ClassifierLogistic = "logistic"
	ClassifierTree     = "tree"
	ClassifierForest   = "forest"
)

// Fixed hyper-parameters of the cart models (see Utility).
var (
	utilityTree   = cart.Options{MaxDepth: 20, MinLeaf: 1}
	utilityForest = cart.ForestOptions{Trees: 100, Tree: cart.Options{MinLeaf: 1}}
)

// Utility scores how well models trained on the synthetic table predict a
// target on real rows the synthesizer never saw: train on synthetic, test
// on real (TSTR), beside train on real, test on real (TRTR), both tested on
// Input.Holdout (the "test" param says "holdout", or "truth" under
// TruthScores). The target is Input.Target.
//
// A categorical target is predicted by three classifiers with fixed
// hyper-parameters, each scored by accuracy, macro-F1 (MacroF1) and ROC-AUC
// (MacroAUC: binary, or one-vs-rest macro average), and by the ratio
// tstr_accuracy / trtr_accuracy:
//
//   - logistic: L2-penalised logistic regression, C = 1, L-BFGS (gonum
//     optimize) to a gradient norm of 1e-7 or 1,000 iterations; binomial
//     for two classes, multinomial otherwise; numerics standardised on the
//     training table (missing → the mean), categoricals one-hot over the
//     training levels (missing a level of its own). As scikit-learn's
//     LogisticRegression(C=1, solver="lbfgs").
//   - tree: a cart classification tree, depth ≤ 20, leaves ≥ 1 row, Gini,
//     255 value bins per numeric column (SDGym's DecisionTreeClassifier
//     (max_depth=20)).
//   - forest: 100 cart trees on bootstrap samples, √p candidate columns per
//     split, leaves ≥ 1 row, grown in parallel from Input.Seed
//     (scikit-learn's RandomForestClassifier defaults).
//
// A numeric target is predicted by the tree and the forest as regressors
// (squared error; p/3 candidates per split in the forest) and scored by R²
// and MAE (tstr_r2, tstr_mae, trtr_r2, trtr_mae).
//
// Features are every other column the three tables share with compatible
// kinds, categorical codes over the union of their dictionaries (text
// columns and the group key are left out). Rows whose target is missing are
// dropped. Without a target, a holdout, or a target column in every table,
// the group gives one score (tstr_accuracy) with the reason; a model that
// cannot be fitted (one class in training, no feature) gives its scores with
// the reason.
//
// References: Esteban, Hyland & Rätsch (2017), "Real-valued (medical) time
// series generation with recurrent conditional GANs" (TSTR); Xu et al.
// (2019), SDGym's ML-efficacy protocol.
func Utility(ctx context.Context, in Input) ([]Score, error) {
	return utility(ctx, in, "holdout")
}

func utility(ctx context.Context, in Input, test string) ([]Score, error) {
	if reason := utilityMissing(in); reason != "" {
		cols := []string{}
		if in.Target != "" {
			cols = []string{in.Target}
		}
		return []Score{Undefined(NameTSTRAccuracy, utilityGroup, cols, Higher, reason)}, nil
	}
	ts := []*table.Table{in.Real, in.Synth, in.Holdout}
	feats := encodeTables([]string{in.Target}, ts...)
	tc := make([]*table.Column, 3)
	for k, t := range ts {
		tc[k] = t.Col(in.Target)
	}
	score := classificationScores
	if tc[0].Kind.Numeric() {
		score = regressionScores
	}
	out, err := score(ctx, in, feats, tc, test)
	for i := range out {
		if strings.HasPrefix(out[i].Name, "trtr_") {
			ownReference(&out[i], "trains and tests on real rows only: the synthetic table plays no part, so the score is its own reference")
		}
	}
	return out, err
}

// utilityMissing says why the utility group cannot run, or "".
func utilityMissing(in Input) string {
	switch {
	case in.Real == nil || in.Synth == nil:
		return "utility needs a real and a synthetic table"
	case in.Target == "":
		return "no target column: give --target, or use a dataset whose catalog entry names one"
	case in.Holdout == nil:
		return "utility needs a real holdout table the synthesizer never saw (--holdout)"
	}
	for _, t := range []struct {
		name string
		t    *table.Table
	}{{"real", in.Real}, {"synthetic", in.Synth}, {"holdout", in.Holdout}} {
		c := t.t.Col(in.Target)
		if c == nil {
			return fmt.Sprintf("the %s table has no target column %q", t.name, in.Target)
		}
		if c.Kind == table.Text {
			return fmt.Sprintf("target column %q is text; it must be categorical or numeric", in.Target)
		}
		if c.Kind.Numeric() != in.Real.Col(in.Target).Kind.Numeric() {
			return fmt.Sprintf("target column %q is %s in the %s table and %s in the real one", in.Target, c.Kind, t.name, in.Real.Col(in.Target).Kind)
		}
	}
	return ""
}

// labelled returns the rows of table k whose class code is not missing.
func labelled(codes []int32) []int {
	var rows []int
	for i, c := range codes {
		if c >= 0 {
			rows = append(rows, i)
		}
	}
	return rows
}

// classified holds one model's held-out predictions.
type classified struct {
	pred  []int32
	proba [][]float64
}

func classificationScores(ctx context.Context, in Input, feats []mixedCol, tc []*table.Column, test string) ([]Score, error) {
	y := encodeCategorical(in.Target, tc)
	k := max(y.levels, 1)
	testRows := labelled(y.codes[2])
	truth := make([]int32, len(testRows))
	for r, i := range testRows {
		truth[r] = y.codes[2][i]
	}
	cols := []string{in.Target}
	var out []Score
	for _, clf := range []string{ClassifierLogistic, ClassifierTree, ClassifierForest} {
		params := map[string]any{"classifier": clf, "target": in.Target, "test": test, "test_rows": len(testRows), "seed": in.Seed}
		var res [2]classified // 0: trained on real (TRTR), 1: on synthetic (TSTR)
		var errs [2]error
		for side := 0; side < 2; side++ {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			res[side], errs[side] = classify(ctx, clf, feats, y.codes[side], k, side, testRows, in.Seed)
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		var acc [2]float64
		for side, prefix := range []string{"trtr", "tstr"} {
			names := [3]string{prefix + "_accuracy", prefix + "_macro_f1", prefix + "_auc"}
			if errs[side] == nil && len(testRows) == 0 {
				errs[side] = fmt.Errorf("the %s table has no row with a target value", test)
			}
			if errs[side] != nil {
				reason := errs[side].Error()
				acc[side] = math.NaN()
				for _, n := range names {
					out = append(out, withParams(Undefined(n, utilityGroup, cols, Higher, reason), params))
				}
				continue
			}
			a, _ := Accuracy(res[side].pred, truth)
			f1, _ := MacroF1(res[side].pred, truth, k)
			acc[side] = a
			out = append(out,
				withParams(Score{Name: names[0], Group: utilityGroup, Columns: cols, Value: a, Better: Higher}, params),
				withParams(Score{Name: names[1], Group: utilityGroup, Columns: cols, Value: f1, Better: Higher}, params))
			auc, err := MacroAUC(res[side].proba, truth, k)
			if err != nil {
				out = append(out, withParams(Undefined(names[2], utilityGroup, cols, Higher, err.Error()), params))
			} else {
				out = append(out, withParams(Score{Name: names[2], Group: utilityGroup, Columns: cols, Value: auc, Better: Higher}, params))
			}
		}
		ratio := Score{Name: NameTSTRTRTR, Group: utilityGroup, Columns: cols, Value: acc[1] / acc[0], Better: Higher}
		switch {
		case math.IsNaN(acc[0]) || math.IsNaN(acc[1]):
			ratio = Undefined(NameTSTRTRTR, utilityGroup, cols, Higher, "tstr or trtr accuracy is undefined")
		case acc[0] == 0:
			ratio = Undefined(NameTSTRTRTR, utilityGroup, cols, Higher, "trtr accuracy is 0")
		}
		ratio.Params = map[string]any{"classifier": clf, "target": in.Target, "test": test, "score": "accuracy", "seed": in.Seed}
		out = append(out, ratio)
	}
	return out, nil
}

// classify fits classifier clf on table side (0 real, 1 synthetic) with
// class codes y and predicts the given rows of the test table (index 2).
func classify(ctx context.Context, clf string, feats []mixedCol, y []int32, k, side int, testRows []int, seed uint64) (classified, error) {
	train := labelled(y)
	present := map[int32]bool{}
	for _, i := range train {
		present[y[i]] = true
	}
	if len(present) < 2 {
		return classified{}, fmt.Errorf("the %s training rows hold %d class of the target", sideName(side), len(present))
	}
	if len(feats) == 0 {
		return classified{}, fmt.Errorf("no feature column besides the target")
	}
	out := classified{pred: make([]int32, len(testRows)), proba: make([][]float64, len(testRows))}
	switch clf {
	case ClassifierLogistic:
		keep := make([]bool, len(y))
		for _, i := range train {
			keep[i] = true
		}
		dc := newDesignCoder(feats, side, keep)
		d := dc.code(feats, side, train)
		yy := make([]int32, len(train))
		for r, i := range train {
			yy[r] = y[i]
		}
		lr, err := fitLogistic(ctx, d, yy, k)
		if err != nil {
			return classified{}, err
		}
		td := dc.code(feats, 2, testRows)
		for r := range testRows {
			out.proba[r] = lr.proba(td, r)
		}
	default:
		X, Xt := cartFeatures(feats, side), cartFeatures(feats, 2)
		var proba func(i int) []float64
		if clf == ClassifierTree {
			t, err := cart.Fit(X, cart.Classes(y, k), utilityTree)
			if err != nil {
				return classified{}, err
			}
			proba = func(i int) []float64 { return slices.Clone(t.PredictProba(Xt, i)) }
		} else {
			o := utilityForest
			o.Seed = seed
			f, err := cart.FitForest(X, cart.Classes(y, k), o)
			if err != nil {
				return classified{}, err
			}
			proba = func(i int) []float64 { return f.PredictProba(Xt, i) }
		}
		for r, i := range testRows {
			out.proba[r] = proba(i)
		}
	}
	for r, p := range out.proba {
		out.pred[r] = int32(argmaxFloat(p))
	}
	return out, nil
}

func sideName(side int) string {
	if side == 0 {
		return "real"
	}
	return "synthetic"
}

// argmaxFloat returns the index of the largest value, the lowest on a tie.
func argmaxFloat(v []float64) int {
	best := 0
	for c := range v {
		if v[c] > v[best] {
			best = c
		}
	}
	return best
}

// cartFeatures returns the features of table k.
func cartFeatures(feats []mixedCol, k int) cart.Features {
	X := make(cart.Features, len(feats))
	for j, c := range feats {
		if c.cat {
			X[j] = cart.Categorical(c.name, c.codes[k], max(c.levels, 1))
		} else {
			X[j] = cart.Numeric(c.name, c.num[k])
		}
	}
	return X
}

func regressionScores(ctx context.Context, in Input, feats []mixedCol, tc []*table.Column, test string) ([]Score, error) {
	ys := [3][]float64{floats(tc[0]), floats(tc[1]), floats(tc[2])}
	var testRows []int
	for i, v := range ys[2] {
		if !math.IsNaN(v) {
			testRows = append(testRows, i)
		}
	}
	truth := make([]float64, len(testRows))
	for r, i := range testRows {
		truth[r] = ys[2][i]
	}
	cols := []string{in.Target}
	var out []Score
	for _, reg := range []string{ClassifierTree, ClassifierForest} {
		params := map[string]any{"classifier": reg, "target": in.Target, "test": test, "test_rows": len(testRows), "seed": in.Seed}
		for side, prefix := range []string{"trtr", "tstr"} {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			pred, err := regress(reg, feats, ys[side], side, testRows, in.Seed)
			if err == nil && len(testRows) == 0 {
				err = fmt.Errorf("the %s table has no row with a target value", test)
			}
			r2n, maen := prefix+"_r2", prefix+"_mae"
			if err != nil {
				out = append(out,
					withParams(Undefined(r2n, utilityGroup, cols, Higher, err.Error()), params),
					withParams(Undefined(maen, utilityGroup, cols, Lower, err.Error()), params))
				continue
			}
			r2s := Score{Name: r2n, Group: utilityGroup, Columns: cols, Better: Higher}
			if v, err := R2(pred, truth); err != nil {
				r2s = Undefined(r2n, utilityGroup, cols, Higher, err.Error())
			} else {
				r2s.Value = v
			}
			mae, _ := MAE(pred, truth)
			out = append(out, withParams(r2s, params),
				withParams(Score{Name: maen, Group: utilityGroup, Columns: cols, Value: mae, Better: Lower}, params))
		}
	}
	return out, nil
}

// regress fits regressor reg on table side and predicts the test rows.
func regress(reg string, feats []mixedCol, y []float64, side int, testRows []int, seed uint64) ([]float64, error) {
	if len(feats) == 0 {
		return nil, fmt.Errorf("no feature column besides the target")
	}
	X, Xt := cartFeatures(feats, side), cartFeatures(feats, 2)
	var predict func(i int) float64
	if reg == ClassifierTree {
		t, err := cart.Fit(X, cart.Values(y), utilityTree)
		if err != nil {
			return nil, fmt.Errorf("the %s table: %w", sideName(side), err)
		}
		predict = func(i int) float64 { return t.Predict(Xt, i) }
	} else {
		o := utilityForest
		o.Seed = seed
		f, err := cart.FitForest(X, cart.Values(y), o)
		if err != nil {
			return nil, fmt.Errorf("the %s table: %w", sideName(side), err)
		}
		predict = func(i int) float64 { return f.Predict(Xt, i) }
	}
	out := make([]float64, len(testRows))
	for r, i := range testRows {
		out[r] = predict(i)
	}
	return out, nil
}
