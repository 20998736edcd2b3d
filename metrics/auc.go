package metrics

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// AUC returns the area under the ROC curve of scores against binary labels
// (true = positive class), in the Mann–Whitney form:
//
//	AUC = (R₊ − n₊(n₊ + 1)/2) / (n₊ · n₋)
//
// where R₊ is the sum of the ranks of the positives' scores among all
// scores, tied scores sharing their average rank; it equals the probability
// that a random positive scores above a random negative, ties counting ½.
// AUC is in [0, 1]; 0.5 means no discrimination. It returns ErrLength when
// the inputs differ in length and ErrEmpty when either class is absent.
// Scores must not be NaN. Cost O(n log n).
//
// Reference: Hanley & McNeil (1982), "The meaning and use of the area under
// a receiver operating characteristic (ROC) curve", Radiology 143(1); equals
// sklearn.metrics.roc_auc_score(labels, scores).
func AUC(scores []float64, labels []bool) (float64, error) {
	if len(scores) != len(labels) {
		return math.NaN(), fmt.Errorf("auc: %d scores against %d labels: %w", len(scores), len(labels), ErrLength)
	}
	for i, s := range scores {
		if math.IsNaN(s) {
			return math.NaN(), fmt.Errorf("auc: score %d is NaN", i)
		}
	}
	var np, nn float64
	for _, l := range labels {
		if l {
			np++
		} else {
			nn++
		}
	}
	if np == 0 || nn == 0 {
		return math.NaN(), fmt.Errorf("auc: one class is absent: %w", ErrEmpty)
	}
	r := Ranks(scores)
	sum := 0.0
	for i, l := range labels {
		if l {
			sum += r[i]
		}
	}
	return (sum - np*(np+1)/2) / (np * nn), nil
}

// TPRAtFPR returns the true-positive rate of scores against labels (true =
// positive) at false-positive rate fpr, read off the ROC curve: the curve's
// points are (FPR, TPR) after each distinct score, highest first, from
// (0, 0) to (1, 1) (sklearn.metrics.roc_curve with drop_intermediate=False),
// joined by straight lines (a tie of positives and negatives is a diagonal
// segment; between two thresholds, a coin flip). The result is the TPR of
// that line at fpr, the upper point where the curve is vertical there. A
// random score gives fpr. Errors as AUC's; fpr must be in [0, 1].
//
// Reference: Carlini et al. (2022), "Membership inference attacks from first
// principles", IEEE S&P, report TPR at low FPR.
func TPRAtFPR(scores []float64, labels []bool, fpr float64) (float64, error) {
	if !(fpr >= 0 && fpr <= 1) {
		return math.NaN(), fmt.Errorf("tpr: fpr %g is not in [0, 1]", fpr)
	}
	if _, err := AUC(scores, labels); err != nil {
		return math.NaN(), fmt.Errorf("tpr: %w", err)
	}
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(scores[b], scores[a]) })
	var np, nn float64
	for _, l := range labels {
		if l {
			np++
		} else {
			nn++
		}
	}
	var tp, fp float64 // counts at the previous point
	for k := 0; k < len(idx); {
		// One threshold: every row with this score.
		ntp, nfp := tp, fp
		s := scores[idx[k]]
		for ; k < len(idx) && scores[idx[k]] == s; k++ {
			if labels[idx[k]] {
				ntp++
			} else {
				nfp++
			}
		}
		x0, x1 := fp/nn, nfp/nn
		if x1 > fpr {
			// fpr lies in [x0, x1): interpolate on this segment.
			return (tp + (fpr-x0)/(x1-x0)*(ntp-tp)) / np, nil
		}
		tp, fp = ntp, nfp
	}
	return 1, nil
}
