package widetable

import (
	"bytes"
	"testing"

	"github.com/synthor/synthor/table"
)

// TestNew: the shape, the kinds and ranges of the columns, the same bytes
// for the same seed and others for another seed.
func TestNew(t *testing.T) {
	csv := func(seed uint64) []byte {
		var b bytes.Buffer
		if err := table.WriteCSV(&b, New(6, 200, seed)); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
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
	if !bytes.Equal(csv(1), csv(1)) || bytes.Equal(csv(1), csv(2)) {
		t.Error("seed 1 twice differs, or seeds 1 and 2 agree")
	}
}
