package cart

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
)

// ForestOptions controls a bagged forest. The zero value works: 50 trees,
// each on a bootstrap sample of all rows, with sqrt(features) candidates per
// split (a third of them for regression), seed 0.
type ForestOptions struct {
	// Trees is the number of trees; 0 means 50.
	Trees int
	// Tree holds the options of each tree; Tree.MaxFeatures 0 means
	// sqrt(p) for classification and p/3 for regression (at least 1), and
	// Tree.Seed is ignored (each tree draws its own from Seed).
	Tree Options
	// Seed drives the bootstrap samples and the feature draws.
	Seed uint64
	// Workers fits trees in parallel; 0 means GOMAXPROCS. The result does
	// not depend on it.
	Workers int
}

// Validate reports the first bad option, naming it.
func (o ForestOptions) Validate() error {
	if o.Trees < 0 {
		return fmt.Errorf("cart: trees %d is negative", o.Trees)
	}
	if o.Workers < 0 {
		return fmt.Errorf("cart: workers %d is negative", o.Workers)
	}
	return o.Tree.Validate()
}

// Forest is a bagged ensemble of trees (Breiman 2001): each tree is grown on
// a bootstrap sample with a random subset of features tried at each split;
// predictions average the trees.
type Forest struct {
	Trees []*Tree
}

// FitForest fits a forest. Trees are fitted in parallel, each from its own
// seed derived from opts.Seed, so the forest is the same for any Workers.
func FitForest(X Features, y Target, opts ForestOptions) (*Forest, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	rows, err := checkInput(X, y)
	if err != nil {
		return nil, err
	}
	if opts.Trees == 0 {
		opts.Trees = 50
	}
	to := opts.Tree.withDefaults()
	if to.MaxFeatures == 0 {
		p := float64(len(X))
		if y.Classes > 0 {
			to.MaxFeatures = max(1, int(math.Sqrt(p)))
		} else {
			to.MaxFeatures = max(1, int(p/3))
		}
	}
	bins := make([]binned, len(X))
	for j := range X {
		bins[j] = binFeature(&X[j], rows, to.MaxBins)
	}
	workers := opts.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	f := &Forest{Trees: make([]*Tree, opts.Trees)}
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Go(func() {
			for k := range next {
				rng := rand.New(rand.NewPCG(opts.Seed, uint64(k)))
				sample := make([]int32, len(rows))
				for i := range sample {
					sample[i] = rows[rng.IntN(len(rows))]
				}
				o := to
				o.Seed = rng.Uint64()
				t, _ := fitRows(X, y, sample, o, bins)
				f.Trees[k] = t
			}
		})
	}
	for k := 0; k < opts.Trees; k++ {
		next <- k
	}
	close(next)
	wg.Wait()
	return f, nil
}

// PredictProba returns the mean of the trees' class shares for row i of X
// (a new slice of length Classes), or nil for regression.
func (f *Forest) PredictProba(X Features, i int) []float64 {
	k := f.Trees[0].classes
	if k == 0 {
		return nil
	}
	out := make([]float64, k)
	for _, t := range f.Trees {
		for c, p := range t.PredictProba(X, i) {
			out[c] += p
		}
	}
	for c := range out {
		out[c] /= float64(len(f.Trees))
	}
	return out
}

// Predict returns the class with the largest mean share (the lowest code on
// a tie), or the mean of the trees' predictions for regression.
func (f *Forest) Predict(X Features, i int) float64 {
	if f.Trees[0].classes > 0 {
		return float64(argmax(f.PredictProba(X, i)))
	}
	var s float64
	for _, t := range f.Trees {
		s += t.Predict(X, i)
	}
	return s / float64(len(f.Trees))
}
