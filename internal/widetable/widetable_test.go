package widetable

import (
	"testing"

	"github.com/synthor/synthor/table"
)

// TestNew: the shape, the kinds and ranges of the columns, the same table
// for the same seed and another for another seed.
func TestNew(t *testing.T) {
	tb := New(6, 200, 1)
	if tb.NumCols() != 6 || tb.NumRows() != 200 {
		t.Fatalf("%d × %d, want 6 × 200", tb.NumCols(), tb.NumRows())
	}
	for j, c := range tb.Cols {
		for i := range tb.NumRows() {
			s := c.String(i)
			if ok := j%2 == 0 && len(s) == 1 && s[0] >= '0' && s[0] <= '9' || j%2 == 1 && len(s) == 1 && s[0] >= 'a' && s[0] <= 'e'; !ok {
				t.Fatalf("column %d row %d: %q", j, i, s)
			}
		}
	}
	if d := table.Diff(tb, New(6, 200, 1)); d != "" || tb.Equal(New(6, 200, 2)) {
		t.Error("seed 1 twice differs, or seeds 1 and 2 agree")
	}
}
