package metrics

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// Sentinel errors of the metric functions. A group turns them into the
// Reason of an undefined Score.
var (
	// ErrEmpty: a sample or frequency table has no (non-missing) values.
	ErrEmpty = errors.New("no values")
	// ErrConstant: a correlation or association needs variation and a side
	// has a single value.
	ErrConstant = errors.New("constant values")
	// ErrLength: two inputs that must be aligned differ in length.
	ErrLength = errors.New("inputs differ in length")
)

// reasonError is an error with its own message that still matches a
// sentinel through errors.Is.
type reasonError struct {
	msg string
	err error
}

func (e reasonError) Error() string { return e.msg }
func (e reasonError) Unwrap() error { return e.err }

// dropNaN returns the non-NaN values of x in a new slice.
func dropNaN(x []float64) []float64 {
	out := make([]float64, 0, len(x))
	for _, v := range x {
		if !math.IsNaN(v) {
			out = append(out, v)
		}
	}
	return out
}

// sortedCopy returns the non-NaN values of x, sorted ascending. Whole
// numbers in a range no wider than a few times their count (integer
// columns) are counting-sorted in O(n + range); other values go through
// slices.Sort.
func sortedCopy(x []float64) []float64 {
	out := dropNaN(x)
	if len(out) < 64 {
		slices.Sort(out)
		return out
	}
	lo, hi := out[0], out[0]
	for _, v := range out {
		if v != math.Trunc(v) || math.Abs(v) > 1<<53 {
			slices.Sort(out)
			return out
		}
		lo, hi = min(lo, v), max(hi, v)
	}
	if hi-lo > float64(4*len(out)+1024) {
		slices.Sort(out)
		return out
	}
	counts := make([]int32, int(hi-lo)+1)
	for _, v := range out {
		counts[int(v-lo)]++
	}
	i := 0
	for k, c := range counts {
		v := lo + float64(k)
		for ; c > 0; c-- {
			out[i] = v
			i++
		}
	}
	return out
}

// KS returns the two-sample Kolmogorov–Smirnov statistic of samples x and y:
//
//	D = sup_t |F_x(t) − F_y(t)|
//
// where F is the empirical distribution function. NaN values (missing) are
// dropped on each side first. D is in [0, 1]: 0 for identical empirical
// distributions, 1 for disjoint supports. It returns ErrEmpty (wrapped) when
// a side has no values. Cost O(n log n) for sorting copies of the inputs.
//
// Reference: Hodges (1958), "The significance probability of the Smirnov
// two-sample test"; equals scipy.stats.ks_2samp(x, y).statistic.
func KS(x, y []float64) (float64, error) {
	return KSSorted(sortedCopy(x), sortedCopy(y))
}

// KSSorted is KS for samples already sorted ascending with no NaN; it runs
// in O(len(x) + len(y)).
func KSSorted(x, y []float64) (float64, error) {
	if len(x) == 0 || len(y) == 0 {
		return math.NaN(), fmt.Errorf("ks: %w", ErrEmpty)
	}
	nx, ny := float64(len(x)), float64(len(y))
	var i, j int
	d := 0.0
	for i < len(x) && j < len(y) {
		t := min(x[i], y[j])
		for i < len(x) && x[i] == t {
			i++
		}
		for j < len(y) && y[j] == t {
			j++
		}
		d = max(d, math.Abs(float64(i)/nx-float64(j)/ny))
	}
	// After one side is exhausted the other CDF only rises to 1; the gap
	// shrinks, so the maximum has been seen.
	return d, nil
}

// Wasserstein returns the Wasserstein-1 (earth mover's) distance between
// the empirical distributions of samples x and y, in the units of the
// values:
//
//	W1 = ∫ |F_x(t) − F_y(t)| dt
//
// NaN values (missing) are dropped on each side first. It is 0 for identical
// empirical distributions and at least the gap between the supports when
// they are disjoint. It returns ErrEmpty (wrapped) when a side has no
// values.
//
// Reference: Villani (2009), "Optimal Transport", ch. 6; equals
// scipy.stats.wasserstein_distance(x, y).
func Wasserstein(x, y []float64) (float64, error) {
	return WassersteinSorted(sortedCopy(x), sortedCopy(y))
}

// WassersteinSorted is Wasserstein for samples already sorted ascending with
// no NaN; it runs in O(len(x) + len(y)).
func WassersteinSorted(x, y []float64) (float64, error) {
	if len(x) == 0 || len(y) == 0 {
		return math.NaN(), fmt.Errorf("wasserstein: %w", ErrEmpty)
	}
	nx, ny := float64(len(x)), float64(len(y))
	var i, j int
	w := 0.0
	prev := min(x[0], y[0])
	for i < len(x) || j < len(y) {
		var t float64
		switch {
		case i == len(x):
			t = y[j]
		case j == len(y):
			t = x[i]
		default:
			t = min(x[i], y[j])
		}
		// On [prev, t) both CDFs are constant.
		w += math.Abs(float64(i)/nx-float64(j)/ny) * (t - prev)
		for i < len(x) && x[i] == t {
			i++
		}
		for j < len(y) && y[j] == t {
			j++
		}
		prev = t
	}
	return w, nil
}

// normalize returns p / Σp, or ErrEmpty when Σp is not positive. Negative
// entries are an error: frequencies are counts.
func normalize(name string, p []float64) ([]float64, error) {
	s := 0.0
	for i, v := range p {
		if v < 0 || math.IsNaN(v) {
			return nil, fmt.Errorf("%s: cell %d has invalid frequency %g", name, i, v)
		}
		s += v
	}
	if s <= 0 {
		return nil, fmt.Errorf("%s: %w", name, ErrEmpty)
	}
	out := make([]float64, len(p))
	for i, v := range p {
		out[i] = v / s
	}
	return out, nil
}

// pair normalizes two aligned frequency tables.
func pair(name string, p, q []float64) ([]float64, []float64, error) {
	if len(p) != len(q) {
		return nil, nil, fmt.Errorf("%s: %d cells against %d: %w", name, len(p), len(q), ErrLength)
	}
	a, err := normalize(name, p)
	if err != nil {
		return nil, nil, err
	}
	b, err := normalize(name, q)
	if err != nil {
		return nil, nil, err
	}
	return a, b, nil
}

// TVD returns the total variation distance between two frequency tables
// over the same cells (counts or shares; each side is normalised to sum 1):
//
//	TVD = ½ Σ_i |p_i − q_i|
//
// TVD is in [0, 1]: 0 for equal shares, 1 for disjoint supports. It returns
// ErrEmpty (wrapped) when a side has no mass and ErrLength when the tables
// differ in size.
//
// Reference: Levin, Peres & Wilmer (2009), "Markov Chains and Mixing Times",
// §4.1; the LLMSynthor paper (arXiv 2505.14752) reports it per categorical
// marginal.
func TVD(p, q []float64) (float64, error) {
	a, b, err := pair("tvd", p, q)
	if err != nil {
		return math.NaN(), err
	}
	return tvdShares(a, b), nil
}

// tvdShares is TVD of two normalised tables.
func tvdShares(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += math.Abs(a[i] - b[i])
	}
	return s / 2
}

// JSD returns the Jensen–Shannon divergence in bits (base 2) between two
// frequency tables over the same cells (each side normalised to sum 1):
//
//	JSD = ½ KL(p ‖ m) + ½ KL(q ‖ m),  m = (p + q) / 2,  KL in log base 2
//
// with 0·log 0 = 0. JSD is in [0, 1]: 0 for equal shares, 1 for disjoint
// supports. It is the square of the Jensen–Shannon distance.
//
// Reference: Lin (1991), "Divergence measures based on the Shannon
// entropy", IEEE Trans. Inf. Theory 37(1); equals
// scipy.spatial.distance.jensenshannon(p, q, base=2)**2.
func JSD(p, q []float64) (float64, error) {
	a, b, err := pair("jsd", p, q)
	if err != nil {
		return math.NaN(), err
	}
	return jsdShares(a, b), nil
}

// jsdShares is JSD of two normalised tables.
func jsdShares(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		m := (a[i] + b[i]) / 2
		if a[i] > 0 {
			s += a[i] * math.Log2(a[i]/m)
		}
		if b[i] > 0 {
			s += b[i] * math.Log2(b[i]/m)
		}
	}
	return min(max(s/2, 0), 1)
}

// Hellinger returns the Hellinger distance between two frequency tables
// over the same cells (each side normalised to sum 1):
//
//	H = sqrt(½ Σ_i (√p_i − √q_i)²) = sqrt(1 − Σ_i √(p_i q_i))
//
// H is in [0, 1]: 0 for equal shares, 1 for disjoint supports.
//
// Reference: Hellinger (1909); Le Cam & Yang (2000), "Asymptotics in
// Statistics", §3.2 (the ½ normalisation).
func Hellinger(p, q []float64) (float64, error) {
	a, b, err := pair("hellinger", p, q)
	if err != nil {
		return math.NaN(), err
	}
	s := 0.0
	for i := range a {
		d := math.Sqrt(a[i]) - math.Sqrt(b[i])
		s += d * d
	}
	return min(math.Sqrt(s/2), 1), nil
}

// SRMSE returns the standardised root mean squared error between a
// reference frequency table p and a synthetic one q over the same cells.
// With shares p̂ = p/Σp and q̂ = q/Σq and m the number of cells that are
// non-empty in p or q:
//
//	SRMSE = sqrt(Σ_i (p̂_i − q̂_i)² / m) / (1/m) = sqrt(m · Σ_i (p̂_i − q̂_i)²)
//
// that is, the RMSE of the cell shares divided by the mean cell share; it
// equals the count form sqrt(Σ(t_i − s_i)²/m) / (Σt_i/m) when both tables
// are scaled to the same total. SRMSE is 0 for equal shares and at most
// sqrt(2m) (reached when each table is one point mass on different cells).
// Cells empty on both sides are not counted in m [ours]: a contingency table
// carries a "missing" cell per variable and the always-empty cells of
// columns without missing values would otherwise shrink or inflate the
// score with the table's layout.
//
// Reference: Müller & Axhausen (2011), "Population synthesis for
// microsimulation: State of the art", TRB 90th Annual Meeting; Lenormand &
// Deffuant (2013), "Generating a synthetic population of individuals in
// households: sample-free vs sample-based methods", JASSS 16(4).
func SRMSE(p, q []float64) (float64, error) {
	a, b, err := pair("srmse", p, q)
	if err != nil {
		return math.NaN(), err
	}
	return srmseShares(a, b), nil
}

// srmseShares is SRMSE of two normalised tables.
func srmseShares(a, b []float64) float64 {
	s, m := 0.0, 0
	for i := range a {
		if a[i] == 0 && b[i] == 0 {
			continue
		}
		m++
		d := a[i] - b[i]
		s += d * d
	}
	return math.Sqrt(float64(m) * s)
}
