package cart

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
)

// hgbBinSubsample is the most training values a numeric feature's quantiles
// are taken from (scikit-learn's _BinMapper subsample); above it a seeded
// sample without replacement is used.
const hgbBinSubsample = 200000

// almostInf caps the bin thresholds, as scikit-learn's ALMOST_INF.
const almostInf = 1e300

// hgbBinner maps feature values to small integer bins: bins 0..nonMissing-1
// hold values, bin missBin holds missing ones (and unknown categories).
type hgbBinner struct {
	missBin    int
	nonMissing []int       // per feature: value bins used (at least 1)
	thresholds [][]float64 // numeric: ascending; v goes to the number of thresholds below it
	codeBin    [][]uint8   // categorical: code → bin, missBin for a code never seen
}

// fitBinner finds the bins of every feature over the given rows: for a
// numeric feature the midpoints between its distinct values when there are at
// most maxBins of them, else the maxBins−1 percentiles 100·k/maxBins
// (numpy's "midpoint" method) of the values, from a seeded sample of
// hgbBinSubsample of them when there are more; for a categorical feature one
// bin per level present, in code order, or, with more than maxBins levels,
// one per the maxBins−1 most frequent levels and one shared by the rest.
func fitBinner(X Features, rows []int32, maxBins int, rng *rand.Rand) *hgbBinner {
	b := &hgbBinner{missBin: maxBins, nonMissing: make([]int, len(X)), thresholds: make([][]float64, len(X)), codeBin: make([][]uint8, len(X))}
	sub := rows
	if len(rows) > hgbBinSubsample {
		sub = make([]int32, hgbBinSubsample)
		for k, i := range rng.Perm(len(rows))[:hgbBinSubsample] {
			sub[k] = rows[i]
		}
	}
	for j := range X {
		f := &X[j]
		if f.Levels > 0 {
			b.codeBin[j], b.nonMissing[j] = categoryBins(f, rows, maxBins)
			continue
		}
		vals := make([]float64, 0, len(sub))
		for _, i := range sub {
			if v := f.Values[i]; !math.IsNaN(v) {
				vals = append(vals, v)
			}
		}
		b.thresholds[j] = numericThresholds(vals, maxBins)
		b.nonMissing[j] = len(b.thresholds[j]) + 1
	}
	return b
}

// numericThresholds returns the bin thresholds of vals (no NaN), which it
// sorts: midpoints (a+b)/2 of consecutive distinct values, or percentiles.
func numericThresholds(vals []float64, maxBins int) []float64 {
	slices.Sort(vals)
	distinct := slices.Compact(slices.Clone(vals))
	var thr []float64
	if len(distinct) <= maxBins {
		thr = make([]float64, 0, max(len(distinct)-1, 0))
		for i := 0; i+1 < len(distinct); i++ {
			thr = append(thr, midpoint(distinct[i], (distinct[i]+distinct[i+1])*0.5))
		}
	} else {
		// numpy.percentile(vals, linspace(0, 100, maxBins+1)[1:-1],
		// method="midpoint"): with h = (n−1)q, x[h] when h is whole, else
		// the mean of x[⌊h⌋] and x[⌈h⌉].
		n := len(vals)
		step := 100 / float64(maxBins)
		thr = make([]float64, 0, maxBins-1)
		for k := 1; k < maxBins; k++ {
			h := float64(n-1) * (float64(k) * step / 100)
			lo := math.Floor(h)
			a := vals[int(lo)]
			t := a
			if h != lo {
				c := vals[min(int(lo)+1, n-1)]
				t = midpoint(a, c-(c-a)*0.5)
			}
			thr = append(thr, t)
		}
	}
	for i, t := range thr {
		thr[i] = min(t, almostInf)
	}
	return thr
}

// midpoint returns t unless it is NaN (infinities of both signs), then a.
func midpoint(a, t float64) float64 {
	if math.IsNaN(t) {
		return a
	}
	return t
}

// categoryBins returns the code → bin map of a categorical feature over
// rows and the number of value bins.
func categoryBins(f *Feature, rows []int32, maxBins int) ([]uint8, int) {
	counts := make([]int, f.Levels)
	for _, i := range rows {
		if c := f.Codes[i]; c >= 0 {
			counts[c]++
		}
	}
	var present []int
	for c, n := range counts {
		if n > 0 {
			present = append(present, c)
		}
	}
	codeBin := make([]uint8, f.Levels)
	for c := range codeBin {
		codeBin[c] = uint8(maxBins)
	}
	if len(present) <= maxBins {
		for k, c := range present {
			codeBin[c] = uint8(k)
		}
		return codeBin, max(len(present), 1)
	}
	// The maxBins−1 most frequent levels (lower code first on ties) keep a
	// bin each, in code order; the rest share the last one.
	top := slices.Clone(present)
	sort.SliceStable(top, func(a, b int) bool { return counts[top[a]] > counts[top[b]] })
	top = top[:maxBins-1]
	slices.Sort(top)
	for _, c := range present {
		codeBin[c] = uint8(maxBins - 1)
	}
	for k, c := range top {
		codeBin[c] = uint8(k)
	}
	return codeBin, maxBins
}

// bin returns the bin of row i of feature j of X.
func (b *hgbBinner) bin(f *Feature, j, i int) uint8 {
	if f.Levels > 0 {
		c := f.Codes[i]
		if c < 0 || int(c) >= len(b.codeBin[j]) {
			return uint8(b.missBin)
		}
		return b.codeBin[j][c]
	}
	v := f.Values[i]
	if math.IsNaN(v) {
		return uint8(b.missBin)
	}
	return uint8(sort.SearchFloat64s(b.thresholds[j], v))
}
