package datasets

import (
	"fmt"
	"math"

	"github.com/synthor/synthor/table"
)

// Stream constants of the PCG sources of Split and Sample, so that one
// seed gives independent draws there and in the generators.
const (
	splitStream  = 0x5eed_5b17
	sampleStream = 0x5eed_5a3b1e
)

// Split divides t into a training and a holdout table: a share holdout
// (in [0, 1)) of its records, drawn with seed, is held out; the rest is for
// training. Records are rows, or whole groups of a grouped table, so a
// household is never split. Both tables keep t's row order, and the same
// seed gives the same split. The holdout has round(holdout x records)
// records.
func Split(t *table.Table, holdout float64, seed uint64) (train, hold *table.Table, err error) {
	if !(holdout >= 0 && holdout < 1) {
		return nil, nil, fmt.Errorf("split: holdout share %v is not in [0, 1)", holdout)
	}
	groups, err := t.Groups()
	if err != nil {
		return nil, nil, fmt.Errorf("split: %w", err)
	}
	nh := int(math.Round(holdout * float64(len(groups))))
	r := newRand(seed, splitStream)
	held := make([]bool, len(groups))
	for _, g := range r.Perm(len(groups))[:nh] {
		held[g] = true
	}
	var ti, hi []int
	for g, rg := range groups {
		for i := rg[0]; i < rg[1]; i++ {
			if held[g] {
				hi = append(hi, i)
			} else {
				ti = append(ti, i)
			}
		}
	}
	return t.Take(ti), t.Take(hi), nil
}

// Sample returns n records of t drawn without replacement with seed
// (whole groups of a grouped table), in t's order; all of t when n is at
// least its record count. It selects in one pass (Knuth's Algorithm S,
// TAOCP vol. 2, §3.4.2): record i of N is taken with probability
// (n - taken) / (N - i).
func Sample(t *table.Table, n int, seed uint64) (*table.Table, error) {
	groups, err := t.Groups()
	if err != nil {
		return nil, fmt.Errorf("sample: %w", err)
	}
	if n < 0 {
		return nil, fmt.Errorf("sample: %w: %d", ErrNegativeRows, n)
	}
	if n >= len(groups) {
		return t, nil
	}
	r := newRand(seed, sampleStream)
	idx := make([]int, 0, n)
	taken := 0
	for g, rg := range groups {
		if float64(len(groups)-g)*r.Float64() >= float64(n-taken) {
			continue
		}
		taken++
		for i := rg[0]; i < rg[1]; i++ {
			idx = append(idx, i)
		}
		if taken == n {
			break
		}
	}
	return t.Take(idx), nil
}
