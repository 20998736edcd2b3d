package metrics

import (
	"fmt"
	"math"
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
