package macro

import (
	"math"
	"slices"
	"testing"
)

// TestRoundedNarrowRange: values far from zero with a narrow range (years,
// datetimes as Unix nanoseconds) keep their bins. Rounded to significant
// digits of the edge itself, every inner year edge became 2000 or 2010 and
// every datetime edge of two days in 2001 became 9.78e17 or 9.79e17: one
// bin. Expected edges by hand: the spread is 28 years, so inner edges go to
// 3 digits of it (0.1) and outer edges outward to 2 (1).
func TestRoundedNarrowRange(t *testing.T) {
	years := Bins{Edges: []float64{1991.3, 1998.44, 2005, 2012.71, 2019.2}}
	if got, want := years.Rounded(nil, nil).Edges, []float64{1991, 1998.4, 2005, 2012.7, 2020}; !approx(got, want, 1e-9) {
		t.Errorf("years: edges %v, want %v", got, want)
	}
	const t0, h = 978307260e9, 3600e9 // 2001-01-01T00:01Z, an hour in ns
	dt := Bins{Edges: []float64{t0, t0 + 8*h, t0 + 16*h, t0 + 24*h, t0 + 34*h}}
	got := dt.Rounded(nil, nil).Edges
	if len(got) != len(dt.Edges) {
		t.Fatalf("datetimes: %d edges %v, want %d", len(got), got, len(dt.Edges))
	}
	for i, e := range dt.Edges {
		// spread 1.2e14 ns: inner edges to 1e12 ns, outer outward to 1e13.
		tol := 1e12 / 2
		if i == 0 || i == len(got)-1 {
			tol = 1e13
		}
		if math.Abs(got[i]-e) > tol {
			t.Errorf("datetimes: edge %d = %v, want %v within %v", i, got[i], e, tol)
		}
	}
	if got[0] > dt.Edges[0] || got[len(got)-1] < dt.Edges[len(got)-1] {
		t.Errorf("datetimes: outer edges %v, %v do not enclose the range", got[0], got[len(got)-1])
	}
	// A range that starts near zero is rounded as before (2 and 3
	// significant digits of each edge).
	wide := Bins{Edges: []float64{0, 7298, 99999}}
	if got, want := wide.Rounded(nil, nil).Edges, []float64{0, 7300, 100000}; !slices.Equal(got, want) {
		t.Errorf("wide: edges %v, want %v", got, want)
	}
}

func approx(a, b []float64, tol float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > tol {
			return false
		}
	}
	return true
}
