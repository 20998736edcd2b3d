package arff

import (
	"os"
	"strings"
	"testing"
)

// FuzzRead feeds arbitrary text to Read: a table or a one-line error,
// never a panic.
func FuzzRead(f *testing.F) {
	b, err := os.ReadFile("testdata/mixed.arff")
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		string(b),
		"",
		"@relation r\n@attribute a numeric\n@data\n1\n?\n",
		"@relation s\n@attribute a numeric\n@attribute b {x, y}\n@data\n{0 3, 1 y}\n{}\n",
		"@attribute 'q\\'s' {'a,b', \"c\"}\n@data\n'a,b'\n\"c\"\n",
		"@attribute d date 'yyyy-MM-dd'\n@data\n2020-01-02\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		tb, err := Read(strings.NewReader(in), "fuzz.arff")
		if err != nil {
			if msg := err.Error(); msg == "" || strings.Contains(msg, "\n") {
				t.Fatalf("error is not one line: %q", msg)
			}
			return
		}
		for _, c := range tb.Cols {
			if c.Len() != tb.NumRows() {
				t.Fatalf("column %s: %d rows, table %d", c.Name, c.Len(), tb.NumRows())
			}
		}
	})
}
