package metrics

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// Pearson returns the Pearson product-moment correlation of the aligned
// samples x and y:
//
//	r = Σ (x_i − x̄)(y_i − ȳ) / sqrt(Σ (x_i − x̄)² · Σ (y_i − ȳ)²)
//
// Rows where either value is NaN (missing) are dropped first (pairwise
// complete observations). r is in [−1, 1]. It returns ErrLength when the
// inputs differ in length, ErrEmpty when fewer than two complete rows
// remain and ErrConstant when either side has no variation. Two passes, no
// allocation.
//
// Reference: Pearson (1895); equals scipy.stats.pearsonr(x, y).statistic.
func Pearson(x, y []float64) (float64, error) {
	if len(x) != len(y) {
		return math.NaN(), fmt.Errorf("pearson: %d values against %d: %w", len(x), len(y), ErrLength)
	}
	r, err := pearson(x, y)
	if err != nil {
		return math.NaN(), fmt.Errorf("pearson: %w", err)
	}
	return r, nil
}

// pearson is Pearson on aligned inputs; its errors are the bare sentinels.
// When the sums overflow (magnitudes above about 1e150), it is computed
// again on values divided by their largest magnitude (r is scale-free).
func pearson(x, y []float64) (float64, error) {
	r, err := pearsonScaled(x, y, 1, 1)
	if err == nil && !math.IsNaN(r) {
		return r, nil
	}
	if err != nil && !errors.Is(err, errOverflow) {
		return math.NaN(), err
	}
	var ax, ay float64
	for i := range x {
		if !math.IsNaN(x[i]) && !math.IsNaN(y[i]) {
			ax = max(ax, math.Abs(x[i]))
			ay = max(ay, math.Abs(y[i]))
		}
	}
	if math.IsInf(ax, 0) || math.IsInf(ay, 0) {
		return math.NaN(), errors.New("infinite values")
	}
	return pearsonScaled(x, y, 1/ax, 1/ay)
}

// errOverflow marks sums that left the float64 range.
var errOverflow = errors.New("overflow")

// pearsonScaled computes r on the values multiplied by kx and ky.
func pearsonScaled(x, y []float64, kx, ky float64) (float64, error) {
	n := 0
	var sx, sy float64
	for i := range x {
		if math.IsNaN(x[i]) || math.IsNaN(y[i]) {
			continue
		}
		n++
		sx += x[i] * kx
		sy += y[i] * ky
	}
	if n < 2 {
		return math.NaN(), errFewRows
	}
	mx, my := sx/float64(n), sy/float64(n)
	var sxy, sxx, syy float64
	for i := range x {
		if math.IsNaN(x[i]) || math.IsNaN(y[i]) {
			continue
		}
		dx, dy := x[i]*kx-mx, y[i]*ky-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if math.IsInf(sxx, 0) || math.IsInf(syy, 0) || math.IsNaN(sxx+syy+sxy) || math.IsInf(sxy, 0) {
		return math.NaN(), errOverflow
	}
	if sxx == 0 || syy == 0 {
		return math.NaN(), ErrConstant
	}
	return max(-1, min(1, sxy/math.Sqrt(sxx*syy))), nil
}

// errFewRows wraps ErrEmpty for correlations with under two complete rows.
var errFewRows = reasonError{"fewer than 2 complete rows", ErrEmpty}

// Spearman returns Spearman's rank correlation of the aligned samples x and
// y: the Pearson correlation of their ranks, tied values sharing the average
// of their ranks. Rows where either value is NaN (missing) are dropped
// before ranking. Errors as for Pearson. Cost O(n log n).
//
// Reference: Spearman (1904), "The proof and measurement of association
// between two things"; equals scipy.stats.spearmanr(x, y).statistic.
func Spearman(x, y []float64) (float64, error) {
	if len(x) != len(y) {
		return math.NaN(), fmt.Errorf("spearman: %d values against %d: %w", len(x), len(y), ErrLength)
	}
	r, err := spearman(x, y)
	if err != nil {
		return math.NaN(), fmt.Errorf("spearman: %w", err)
	}
	return r, nil
}

// spearman is Spearman on aligned inputs; its errors are the bare sentinels.
func spearman(x, y []float64) (float64, error) {
	cx := make([]float64, 0, len(x))
	cy := make([]float64, 0, len(y))
	for i := range x {
		if !math.IsNaN(x[i]) && !math.IsNaN(y[i]) {
			cx = append(cx, x[i])
			cy = append(cy, y[i])
		}
	}
	return pearson(Ranks(cx), Ranks(cy))
}

// Ranks returns the 1-based ranks of x, tied values sharing the average of
// their ranks (scipy.stats.rankdata's "average" method). x must hold no NaN.
func Ranks(x []float64) []float64 {
	u := sortedCopy(x)
	return rankWith(u, x)
}

// rankWith ranks the values of x against sorted, the same values sorted
// ascending: it collapses runs of equal values to their average rank and
// looks each value up among the distinct values: directly by value when
// they are integers in a range no wider than a few times their count (the
// common integer column), else by binary search.
func rankWith(sorted, x []float64) []float64 {
	vals, avg := distinctRanks(sorted)
	out := make([]float64, len(x))
	if len(vals) == 0 {
		return out
	}
	lo, hi := vals[0], vals[len(vals)-1]
	if span := hi - lo; span <= float64(4*len(x)+1024) && integers(vals) {
		table := make([]float64, int(span)+1)
		for k, v := range vals {
			table[int(v-lo)] = avg[k]
		}
		for i, v := range x {
			out[i] = table[int(v-lo)]
		}
		return out
	}
	for i, v := range x {
		k, _ := slices.BinarySearch(vals, v)
		out[i] = avg[k]
	}
	return out
}

// integers reports whether every value is a whole number of magnitude
// below 2^53.
func integers(v []float64) bool {
	for _, x := range v {
		if x != math.Trunc(x) || math.Abs(x) > 1<<53 {
			return false
		}
	}
	return true
}

// distinctRanks returns the distinct values of sorted and, for each, the
// average 1-based rank of its run.
func distinctRanks(sorted []float64) (vals, avg []float64) {
	for i := 0; i < len(sorted); {
		j := i + 1
		for j < len(sorted) && sorted[j] == sorted[i] {
			j++
		}
		vals = append(vals, sorted[i])
		avg = append(avg, float64(i+1+j)/2) // mean of ranks i+1..j
		i = j
	}
	return vals, avg
}

// CramersV returns Cramér's V of an r×c contingency table of counts, given
// row-major (counts[i*c+j] is row i, column j), without bias correction:
//
//	V = sqrt(χ² / (n · (min(r', c') − 1))),  χ² = Σ (O_ij − E_ij)² / E_ij,
//	E_ij = (row_i · col_j) / n
//
// where r' and c' count the non-empty rows and columns: empty rows and
// columns (a category absent from this table, or an unused "missing" cell)
// are dropped first, since their expected counts are zero. V is in [0, 1]:
// 0 for independence, 1 for a perfect association. It returns ErrEmpty for
// an empty table and ErrConstant when fewer than two rows or columns are
// non-empty.
//
// Reference: Cramér (1946), "Mathematical Methods of Statistics", p. 282;
// equals scipy.stats.contingency.association(table, method="cramer") on the
// table with empty rows and columns removed.
func CramersV(counts []float64, r, c int) (float64, error) {
	if r*c != len(counts) {
		return math.NaN(), fmt.Errorf("cramers_v: %d cells for a %d×%d table: %w", len(counts), r, c, ErrLength)
	}
	rows := make([]float64, r)
	cols := make([]float64, c)
	n := 0.0
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			v := counts[i*c+j]
			rows[i] += v
			cols[j] += v
			n += v
		}
	}
	if n <= 0 {
		return math.NaN(), fmt.Errorf("cramers_v: %w", ErrEmpty)
	}
	nr, nc := 0, 0
	for _, v := range rows {
		if v > 0 {
			nr++
		}
	}
	for _, v := range cols {
		if v > 0 {
			nc++
		}
	}
	if nr < 2 || nc < 2 {
		return math.NaN(), fmt.Errorf("cramers_v: a single category on one side: %w", ErrConstant)
	}
	chi2 := 0.0
	for i := 0; i < r; i++ {
		if rows[i] == 0 {
			continue
		}
		for j := 0; j < c; j++ {
			if cols[j] == 0 {
				continue
			}
			e := rows[i] * cols[j] / n
			d := counts[i*c+j] - e
			chi2 += d * d / e
		}
	}
	return min(1, math.Sqrt(chi2/(n*float64(min(nr, nc)-1)))), nil
}
