package cart

import (
	"fmt"
	"math"
	"sort"

	"github.com/synthor/synthor/table"
)

// Feature is one predictor column. It is categorical when Levels > 0: Codes
// then hold 0..Levels-1, or a negative code for a missing value. Otherwise it
// is numeric: Values hold the numbers, NaN for a missing value.
type Feature struct {
	Name   string
	Levels int
	Codes  []int32
	Values []float64
}

// Numeric returns a numeric feature; NaN values are missing.
func Numeric(name string, v []float64) Feature { return Feature{Name: name, Values: v} }

// Categorical returns a categorical feature over levels categories; a
// negative code is missing.
func Categorical(name string, codes []int32, levels int) Feature {
	return Feature{Name: name, Levels: levels, Codes: codes}
}

// Len returns the number of rows of the feature.
func (f *Feature) Len() int {
	if f.Levels > 0 {
		return len(f.Codes)
	}
	return len(f.Values)
}

// Features is a feature matrix stored column by column; every feature has
// the same number of rows.
type Features []Feature

// Len returns the number of rows (0 for no features).
func (X Features) Len() int {
	if len(X) == 0 {
		return 0
	}
	return X[0].Len()
}

// Validate checks that all features have the same length and that
// categorical codes are below their level count.
func (X Features) Validate() error {
	n := X.Len()
	for j := range X {
		f := &X[j]
		if f.Len() != n {
			return fmt.Errorf("cart: feature %q has %d rows, feature %q has %d", f.Name, f.Len(), X[0].Name, n)
		}
		if f.Levels < 0 {
			return fmt.Errorf("cart: feature %q: negative level count %d", f.Name, f.Levels)
		}
		for i, c := range f.Codes {
			if int(c) >= f.Levels && f.Levels > 0 {
				return fmt.Errorf("cart: feature %q: row %d: code %d out of range [0,%d)", f.Name, i+1, c, f.Levels)
			}
		}
	}
	return nil
}

// FromTable returns features for the named columns of t (all columns when
// names is empty): categorical columns by their codes, integer, float and
// datetime columns by their values. Text columns are an error.
func FromTable(t *table.Table, names ...string) (Features, error) {
	if len(names) == 0 {
		names = t.Names()
	}
	X := make(Features, 0, len(names))
	for _, name := range names {
		c, err := t.Lookup(name)
		if err != nil {
			return nil, fmt.Errorf("cart: %w", err)
		}
		switch {
		case c.Kind == table.Categorical:
			levels := len(c.Dict)
			if levels == 0 {
				levels = 1 // all missing: one unused level keeps it categorical
			}
			X = append(X, Categorical(name, c.Codes, levels))
		case c.Kind.Numeric():
			v := c.Floats
			if c.Kind != table.Float {
				v = make([]float64, c.Len())
				for i := range v {
					v[i] = c.Float(i)
				}
			}
			X = append(X, Numeric(name, v))
		default:
			return nil, fmt.Errorf("cart: column %q: %s columns cannot be features", name, c.Kind)
		}
	}
	return X, nil
}

// Target is the response. It is a classification target when Classes > 0:
// Codes then hold 0..Classes-1, and a negative code marks a row to skip.
// Otherwise it is a regression target in Values, and NaN marks a row to skip.
type Target struct {
	Classes int
	Codes   []int32
	Values  []float64
}

// Classes returns a classification target over k classes.
func Classes(codes []int32, k int) Target { return Target{Classes: k, Codes: codes} }

// Values returns a regression target.
func Values(v []float64) Target { return Target{Values: v} }

// Len returns the number of rows.
func (y Target) Len() int {
	if y.Classes > 0 {
		return len(y.Codes)
	}
	return len(y.Values)
}

func (y Target) skip(i int) bool {
	if y.Classes > 0 {
		return y.Codes[i] < 0
	}
	return math.IsNaN(y.Values[i])
}

// binned is a feature reduced to small integer bins: numeric values by cut
// points (bin b holds values v with cuts[b-1] < v <= cuts[b]), categories by
// code. The missing bin is the last one, index nb-1.
type binned struct {
	bins []int32
	nb   int       // number of bins including the missing bin
	cuts []float64 // numeric only: nb-2 ascending cut points
	cat  bool
}

// binFeature bins f over the given rows, with at most maxBins value bins.
func binFeature(f *Feature, rows []int32, maxBins int) binned {
	n := f.Len()
	if f.Levels > 0 {
		b := binned{bins: make([]int32, n), nb: f.Levels + 1, cat: true}
		for i, c := range f.Codes {
			if c < 0 {
				b.bins[i] = int32(f.Levels)
			} else {
				b.bins[i] = c
			}
		}
		return b
	}
	vals := make([]float64, 0, len(rows))
	for _, r := range rows {
		if v := f.Values[r]; !math.IsNaN(v) {
			vals = append(vals, v)
		}
	}
	sort.Float64s(vals)
	distinct := vals[:0:0]
	for i, v := range vals {
		if i == 0 || v != vals[i-1] {
			distinct = append(distinct, v)
		}
	}
	var cuts []float64
	if len(distinct) <= maxBins {
		for i := 0; i+1 < len(distinct); i++ {
			c := distinct[i] + (distinct[i+1]-distinct[i])/2
			if math.IsInf(c, 0) || math.IsNaN(c) || c >= distinct[i+1] {
				c = distinct[i] // infinite or adjacent values: cut at the lower one
			}
			cuts = append(cuts, c)
		}
	} else {
		for k := 1; k < maxBins; k++ {
			v := vals[k*len(vals)/maxBins]
			// a cut at v sends v left; skip it when it would repeat or close
			// the top of the range.
			if (len(cuts) == 0 || v > cuts[len(cuts)-1]) && v < distinct[len(distinct)-1] {
				cuts = append(cuts, v)
			}
		}
	}
	b := binned{bins: make([]int32, n), nb: len(cuts) + 2, cuts: cuts}
	for i, v := range f.Values {
		if math.IsNaN(v) {
			b.bins[i] = int32(b.nb - 1)
		} else {
			b.bins[i] = int32(sort.SearchFloat64s(cuts, v))
		}
	}
	return b
}
