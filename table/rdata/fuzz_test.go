package rdata

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzRead feeds arbitrary bytes to Read: it must return frames or a
// one-line error, never panic or allocate what a length merely claims.
// Seeds: every fixture (compressed and not) and truncations of one.
func FuzzRead(f *testing.F) {
	for _, name := range fixtures {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	raw, err := os.ReadFile("testdata/frame_v3_none.rda")
	if err != nil {
		f.Fatal(err)
	}
	for _, n := range []int{0, 5, 7, 20, 100, 400} {
		f.Add(raw[:n])
	}
	// Keep decompression bombs cheap; R's xz seeds (64 MiB dictionaries)
	// then stop at the dictionary check, and the stream decoder is fuzzed
	// through the other seeds.
	maxSize, maxXZDict = 1<<20, 1<<20
	f.Fuzz(func(t *testing.T, in []byte) {
		frames, err := Read(bytes.NewReader(in), "fuzz.rda")
		if err != nil {
			if msg := err.Error(); msg == "" || strings.Contains(msg, "\n") {
				t.Fatalf("error is not one line: %q", msg)
			}
			return
		}
		for _, fr := range frames {
			for _, c := range fr.Table.Cols {
				if c.Len() != fr.Table.NumRows() {
					t.Fatalf("column %s has %d rows, table %d", c.Name, c.Len(), fr.Table.NumRows())
				}
			}
		}
	})
}
