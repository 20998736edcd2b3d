package datasets

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// newRand returns the generator's random source: PCG seeded with (seed,
// stream), where stream is a per-generator constant so that one seed gives
// independent streams in different generators.
func newRand(seed, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, stream))
}

// pick draws an index from probs (non-negative, summing to 1 up to rounding)
// with one uniform draw: the first i whose cumulative share exceeds u. The
// last positive-probability index absorbs rounding.
func pick(r *rand.Rand, probs []float64) int {
	u := r.Float64()
	c := 0.0
	last := 0
	for i, p := range probs {
		if p <= 0 {
			continue
		}
		last = i
		c += p
		if u < c {
			return i
		}
	}
	return last
}

// truncNormal is a Normal(Mu, Sigma) truncated to [Lo, Hi]; pa and pb
// cache Phi(a) and Phi(b), a = (Lo-Mu)/Sigma, b = (Hi-Mu)/Sigma.
type truncNormal struct {
	Mu, Sigma, Lo, Hi float64
	pa, pb            float64
}

func newTruncNormal(mu, sigma, lo, hi float64) truncNormal {
	std := distuv.UnitNormal
	return truncNormal{Mu: mu, Sigma: sigma, Lo: lo, Hi: hi,
		pa: std.CDF((lo - mu) / sigma), pb: std.CDF((hi - mu) / sigma)}
}

// sample draws by inversion with one uniform draw u: x = mu + sigma *
// Phi^-1(Phi(a) + u*(Phi(b)-Phi(a))). Inversion uses exactly one uniform
// per value (so streams stay aligned) and is accurate for the truncation
// points used here, none of which lies beyond 4 standard deviations on the
// side where mass is kept. The result is clamped to [Lo, Hi] against
// rounding.
func (t truncNormal) sample(r *rand.Rand) float64 {
	x := t.Mu + t.Sigma*distuv.UnitNormal.Quantile(t.pa+r.Float64()*(t.pb-t.pa))
	return math.Min(t.Hi, math.Max(t.Lo, x))
}

// mean is the analytic mean of the truncated normal:
// mu + sigma*(phi(a)-phi(b))/(Phi(b)-Phi(a)), with phi and Phi the standard
// normal density and distribution function (Johnson, Kotz & Balakrishnan,
// Continuous Univariate Distributions, vol. 1, 2nd ed., §10.1).
func (t truncNormal) mean() float64 {
	std := distuv.UnitNormal
	a := (t.Lo - t.Mu) / t.Sigma
	b := (t.Hi - t.Mu) / t.Sigma
	return t.Mu + t.Sigma*(std.Prob(a)-std.Prob(b))/(std.CDF(b)-std.CDF(a))
}

// round rounds x to d decimals.
func round(x float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(x*p) / p
}

func ptr(x float64) *float64 { return &x }
