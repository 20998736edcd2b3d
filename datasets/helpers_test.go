package datasets

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/synthor/synthor/table"
)

// col returns the named column or fails the test.
func col(t testing.TB, tb *table.Table, name string) *table.Column {
	t.Helper()
	c := tb.Col(name)
	if c == nil {
		t.Fatalf("no column %q", name)
	}
	return c
}

// condShares counts rows by (condition label, value label) and returns,
// for each condition, the share of each value and the condition's count.
type condShares struct {
	n     map[string]int
	count map[[2]string]int
}

func newCondShares() *condShares {
	return &condShares{n: map[string]int{}, count: map[[2]string]int{}}
}

func (s *condShares) add(cond, value string) {
	s.n[cond]++
	s.count[[2]string{cond, value}]++
}

func (s *condShares) share(cond, value string) (float64, int) {
	n := s.n[cond]
	if n == 0 {
		return math.NaN(), 0
	}
	return float64(s.count[[2]string{cond, value}]) / float64(n), n
}

// checkShares asserts that every share of value given cond is within tol of
// want[cond][value], and that every observed pair is listed in want.
func checkShares(t *testing.T, what string, s *condShares, want map[string]map[string]float64, tol float64) {
	t.Helper()
	for cond, vals := range want {
		for v, p := range vals {
			got, n := s.share(cond, v)
			if n == 0 {
				t.Errorf("%s: no rows with %s", what, cond)
				continue
			}
			if math.Abs(got-p) > tol {
				t.Errorf("%s: share of %q given %s = %.4f over %d rows, want %.4f ± %.3f", what, v, cond, got, n, p, tol)
			}
		}
	}
	for k := range s.count {
		if _, ok := want[k[0]][k[1]]; !ok {
			t.Errorf("%s: unexpected value %q given %s", what, k[1], k[0])
		}
	}
}

// meanSD returns the sample mean and standard deviation of xs.
func meanSD(xs []float64) (float64, float64) {
	var s, ss float64
	for _, x := range xs {
		s += x
	}
	m := s / float64(len(xs))
	for _, x := range xs {
		ss += (x - m) * (x - m)
	}
	return m, math.Sqrt(ss / float64(len(xs)-1))
}

// readJSON decodes testdata/name into v.
func readJSON(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("testdata/%s: %v", name, err)
	}
}

// dump renders every cell of a table, for byte-level comparisons that do not
// depend on the table writers.
func dump(tb *table.Table) []byte {
	var b bytes.Buffer
	fmt.Fprintln(&b, tb.Schema().Names(), tb.GroupKey)
	for i := 0; i < tb.NumRows(); i++ {
		for _, c := range tb.Cols {
			b.WriteString(c.String(i))
			b.WriteByte('|')
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// checkSharesSE is checkShares with a tolerance per cell of
// max(floor, 4 standard errors), 4*sqrt(p(1-p)/n), for cells whose counts
// are too small for a fixed tolerance.
func checkSharesSE(t *testing.T, what string, s *condShares, want map[string]map[string]float64, floor float64) {
	t.Helper()
	for cond, vals := range want {
		for v, p := range vals {
			got, n := s.share(cond, v)
			if n == 0 {
				t.Errorf("%s: no rows with %s", what, cond)
				continue
			}
			tol := math.Max(floor, 4*math.Sqrt(p*(1-p)/float64(n)))
			if math.Abs(got-p) > tol {
				t.Errorf("%s: share of %q given %s = %.4f over %d rows, want %.4f ± %.4f", what, v, cond, got, n, p, tol)
			}
		}
	}
	for k := range s.count {
		if _, ok := want[k[0]][k[1]]; !ok {
			t.Errorf("%s: unexpected value %q given %s", what, k[1], k[0])
		}
	}
}
