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

// BytesPerCell is the peak memory one cell of a target table takes in a
// synthesis from targets: its float64 count, and what a synthesizer keeps
// beside each target cell (synthetic counts, discrepancies, the edges of a
// fine marginal's sub-bins); measured as peak RSS over cells for 12
// million fine-marginal cells (llmsynthor 133 B, ipf 64 B; BENCHMARKS.md,
// "Memory before allocation") and rounded up.
const BytesPerCell = 144

// FileBytesFactor is the peak memory of decoding a targets file per byte
// of it: YAML (and JSON, read as YAML) becomes a node tree of about 200
// bytes a value; measured as 106 B a byte for a list of 2 million
// one-digit values ("1,1,1,...") and rounded up.
const FileBytesFactor = 128

// MaxCells is the most cells the tables of a targets file may have in
// all, whatever the memory: cells are indexed by int32 codes.
const MaxCells = math.MaxInt32

// TooLargeError reports a targets file that would not fit in the memory
// allowed: Need bytes (decoding the file, FileBytesFactor a byte, and its
// tables, BytesPerCell a cell) against Max. What says what takes it.
type TooLargeError struct {
	Need, Max float64
	What      string
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s would need about %.4g bytes of memory, more than the %.4g allowed", e.What, e.Need, e.Max)
}

// checkFileSize refuses, before reading it, a targets file of size bytes
// whose decoding alone would take more than maxBytes (0: no limit).
func checkFileSize(size int64, maxBytes float64) error {
	if need := float64(size) * FileBytesFactor; maxBytes > 0 && need > maxBytes {
		return &TooLargeError{Need: need, Max: maxBytes, What: fmt.Sprintf("decoding its %d bytes", size)}
	}
	return nil
}

// cellBudget is the memory a targets file may take: its size in bytes
// (decoded at FileBytesFactor a byte) and maxBytes (0: no limit but
// MaxCells); cells counts the table cells of the levels checked so far.
type cellBudget struct {
	size     int
	maxBytes float64
	cells    float64
}

// checkCells sums the cells of the tables a targets file would build over
// the space s (marginals, fine marginals and joints, each the product of
// its variables' cells, the missing cell included) onto f's budget, before
// any is allocated, and returns a *TooLargeError when they and the file's
// decoding need more than its maxBytes or the cells pass MaxCells.
func (f *file) checkCells(s *Space, fine int) error {
	b := f.budget
	if b == nil {
		b = &cellBudget{}
	}
	largest, largestName := 0.0, ""
	add := func(cells float64, name string) {
		b.cells += cells
		if cells > largest {
			largest, largestName = cells, name
		}
	}
	for _, v := range s.Vars {
		add(float64(v.Size()), fmt.Sprintf("the marginal of %s", v.Name))
		if v.Numeric() {
			cells := float64(v.Levels())*float64(fine) + 1
			add(cells, fmt.Sprintf("the fine marginal of %s (%d sub-bins a bin: %.4g cells)", v.Name, fine, cells))
		}
	}
	for i, ft := range f.Joints {
		cells := 1.0
		for _, name := range ft.Vars {
			if v := s.Var(name); v != nil {
				cells *= float64(v.Size())
			}
		}
		add(cells, fmt.Sprintf("joint %d [%s] (%.4g cells)", i+1, clipNames(ft.Vars), cells))
	}
	what := fmt.Sprintf("its tables of %.4g cells (the largest: %s)", b.cells, largestName)
	need := float64(b.size)*FileBytesFactor + b.cells*BytesPerCell
	switch {
	case b.cells > MaxCells:
		return &TooLargeError{Need: need, Max: MaxCells * BytesPerCell, What: what}
	case b.maxBytes > 0 && need > b.maxBytes:
		return &TooLargeError{Need: need, Max: b.maxBytes, What: what}
	}
	return nil
}

// clipNames joins names, eliding the middle of a long list.
func clipNames(names []string) string {
	if len(names) <= 6 {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:3], ", ") + fmt.Sprintf(", … (%d more), ", len(names)-5) + strings.Join(names[len(names)-2:], ", ")
}
