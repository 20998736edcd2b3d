package metrics

import (
	"fmt"
	"math"
)

// Accuracy returns the share of predictions equal to the true class codes.
// It returns ErrLength when the inputs differ in length and ErrEmpty when
// they are empty.
func Accuracy(pred, truth []int32) (float64, error) {
	if len(pred) != len(truth) {
		return math.NaN(), fmt.Errorf("accuracy: %d predictions against %d labels: %w", len(pred), len(truth), ErrLength)
	}
	if len(pred) == 0 {
		return math.NaN(), fmt.Errorf("accuracy: %w", ErrEmpty)
	}
	n := 0
	for i := range pred {
		if pred[i] == truth[i] {
			n++
		}
	}
	return float64(n) / float64(len(pred)), nil
}

// MacroF1 returns the unweighted mean over classes of the F1 score
// 2·TP / (2·TP + FP + FN), over the classes 0..k−1 that occur among the
// true labels or the predictions; a class with no true and no predicted row
// is left out (scikit-learn's f1_score(average="macro") over the labels
// present). It returns ErrLength or ErrEmpty like Accuracy.
func MacroF1(pred, truth []int32, k int) (float64, error) {
	if len(pred) != len(truth) {
		return math.NaN(), fmt.Errorf("macro-F1: %d predictions against %d labels: %w", len(pred), len(truth), ErrLength)
	}
	if len(pred) == 0 {
		return math.NaN(), fmt.Errorf("macro-F1: %w", ErrEmpty)
	}
	tp := make([]float64, k)
	fp := make([]float64, k)
	fn := make([]float64, k)
	for i := range pred {
		if pred[i] == truth[i] {
			tp[pred[i]]++
		} else {
			fp[pred[i]]++
			fn[truth[i]]++
		}
	}
	var s, n float64
	for c := 0; c < k; c++ {
		d := 2*tp[c] + fp[c] + fn[c]
		if d == 0 {
			continue
		}
		s += 2 * tp[c] / d
		n++
	}
	return s / n, nil
}

// MacroAUC returns the ROC-AUC of class probabilities proba[i][c] against
// true class codes: for two classes the AUC of the class-1 probability; for
// more, the unweighted mean of the one-vs-rest AUCs of the classes present
// in truth (scikit-learn's roc_auc_score(multi_class="ovr",
// average="macro")). Each AUC is in the Mann–Whitney form (see AUC), ties
// counting ½. It returns ErrEmpty (wrapped) when fewer than two classes
// occur in truth.
func MacroAUC(proba [][]float64, truth []int32, k int) (float64, error) {
	if len(proba) != len(truth) {
		return math.NaN(), fmt.Errorf("auc: %d rows of scores against %d labels: %w", len(proba), len(truth), ErrLength)
	}
	present := make([]bool, k)
	np := 0
	for _, t := range truth {
		if !present[t] {
			present[t] = true
			np++
		}
	}
	if np < 2 {
		return math.NaN(), fmt.Errorf("auc: the test rows hold %d class: %w", np, ErrEmpty)
	}
	scores := make([]float64, len(truth))
	labels := make([]bool, len(truth))
	one := func(c int) (float64, error) {
		for i := range truth {
			scores[i], labels[i] = proba[i][c], int(truth[i]) == c
		}
		return AUC(scores, labels)
	}
	if k == 2 {
		return one(1)
	}
	var s float64
	for c := 0; c < k; c++ {
		if !present[c] {
			continue
		}
		a, err := one(c)
		if err != nil {
			return math.NaN(), err
		}
		s += a
	}
	return s / float64(np), nil
}

// R2 returns the coefficient of determination 1 − Σ(y − ŷ)² / Σ(y − ȳ)²
// (scikit-learn's r2_score); it is undefined (an error wrapping ErrEmpty)
// for fewer than two values or a constant truth.
func R2(pred, truth []float64) (float64, error) {
	if len(pred) != len(truth) {
		return math.NaN(), fmt.Errorf("r2: %d predictions against %d values: %w", len(pred), len(truth), ErrLength)
	}
	if len(truth) < 2 {
		return math.NaN(), fmt.Errorf("r2: fewer than two values: %w", ErrEmpty)
	}
	var m float64
	for _, v := range truth {
		m += v
	}
	m /= float64(len(truth))
	var ss, st float64
	for i, v := range truth {
		ss += (v - pred[i]) * (v - pred[i])
		st += (v - m) * (v - m)
	}
	if st == 0 {
		return math.NaN(), fmt.Errorf("r2: the true values are constant: %w", ErrEmpty)
	}
	return 1 - ss/st, nil
}

// MAE returns the mean absolute error Σ|y − ŷ| / n.
func MAE(pred, truth []float64) (float64, error) {
	if len(pred) != len(truth) {
		return math.NaN(), fmt.Errorf("mae: %d predictions against %d values: %w", len(pred), len(truth), ErrLength)
	}
	if len(truth) == 0 {
		return math.NaN(), fmt.Errorf("mae: %w", ErrEmpty)
	}
	var s float64
	for i, v := range truth {
		s += math.Abs(v - pred[i])
	}
	return s / float64(len(truth)), nil
}
