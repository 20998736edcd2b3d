package macro

import (
	"fmt"
	"math"
	"strings"
)

// Tolerances of the consistency checks of an aggregates file (LoadTargets).
const (
	// SharesTolerance is how far a table's shares may sum from 1 (shares
	// rounded to three decimals over a few cells stay well inside it).
	SharesTolerance = 0.01
	// CountsTolerance is how far, relative to size, a table's counts may
	// sum from the file's size.
	CountsTolerance = 0.01
	// AgreementTolerance is how far (in share, per cell) a joint summed
	// over its other variables may be from a variable's marginal.
	AgreementTolerance = 0.01
)

// check validates the values of an aggregates file as written, before the
// tables are built: size is not negative; every value is a finite number
// of at least zero (an error names its position in the list as written);
// shares sum to 1 within SharesTolerance; counts sum to size within
// CountsTolerance when size is given.
func (f *file) check() error {
	if math.IsNaN(f.Size) || math.IsInf(f.Size, 0) || f.Size < 0 {
		return fmt.Errorf("size %v: want a positive number of records (or leave it out)", f.Size)
	}
	for _, list := range []struct {
		kind   string
		tables []fileTable
	}{{"marginal", f.Marginals}, {"joint", f.Joints}} {
		for i, ft := range list.tables {
			if err := ft.check(f.Size); err != nil {
				return fmt.Errorf("%s %d [%s]: %w", list.kind, i+1, strings.Join(ft.Vars, ", "), err)
			}
		}
	}
	return nil
}

func (ft fileTable) check(size float64) error {
	what, vals := "counts", ft.Counts
	if ft.Counts == nil {
		what, vals = "shares", ft.Shares
	}
	sum := 0.0
	for k, x := range vals {
		if x < 0 || math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("%s: value %d of %d is %v", what, k+1, len(vals), x)
		}
		sum += x
	}
	switch {
	case len(vals) == 0 || sum == 0:
		return nil // ParseTargets reports it
	case ft.Counts == nil && math.Abs(sum-1) > SharesTolerance:
		return fmt.Errorf("shares sum to %.6g, not 1 (tolerance %g)", sum, SharesTolerance)
	case ft.Counts != nil && size > 0 && math.Abs(sum-size) > CountsTolerance*size:
		return fmt.Errorf("counts sum to %.6g, not size %.6g (tolerance %g%%)", sum, size, CountsTolerance*100)
	}
	return nil
}

// checkAgreement returns an error when a joint, summed over its other
// variables, gives a variable shares that differ from the variable's
// marginal by more than AgreementTolerance in some cell.
func (tg *Targets) checkAgreement() error {
	for i, j := range tg.Joints {
		if j.Total <= 0 {
			continue
		}
		for pos, v := range j.Vars {
			m := tg.Marginal(v.Name)
			if m == nil || m.Total <= 0 || m == j {
				continue
			}
			sums := make([]float64, len(m.Counts))
			for k, x := range j.Counts {
				sums[j.Unravel(k)[pos]] += x
			}
			for c := range sums {
				a, b := sums[c]/j.Total, m.Counts[c]/m.Total
				if math.Abs(a-b) > AgreementTolerance {
					return fmt.Errorf("joint %d [%s] disagrees with the marginal of %s: %s has share %.4g in the joint and %.4g in the marginal (tolerance %g)",
						i+1, strings.Join(j.Names(), ", "), v.Name, cellName(v, c), a, b, AgreementTolerance)
				}
			}
		}
	}
	return nil
}

// cellName names cell c of v: its category, its bin, or "missing".
func cellName(v *Var, c int) string {
	if c == v.MissingCell() {
		return "missing"
	}
	if !v.Numeric() && c < len(v.Categories) {
		return fmt.Sprintf("category %q", v.Categories[c])
	}
	return fmt.Sprintf("bin %d", c+1)
}
