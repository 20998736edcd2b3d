package table

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

// readJSONLBoth reads data with the serial and the parallel JSON-lines
// readers (blocks of block bytes); parallel reports whether the parallel
// reader kept the input.
func readJSONLBoth(data []byte, opts ReadOptions, block int) (serial, par *Table, serr, perr error, parallel bool) {
	serial, serr = ReadJSONL(bytes.NewReader(data), opts)
	par, perr = readJSONLParallel(bytes.NewReader(data), int64(len(data)), opts, parConfig{block: block, min: 0, workers: 3})
	parallel = true
	if errors.Is(perr, errSerial) {
		parallel = false
		par, perr = ReadJSONL(bytes.NewReader(data), opts)
	}
	return
}

func TestReadJSONLParallelMatchesSerial(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	tests := []struct {
		name string
		data string
		par  bool
	}{
		{"keys appear late", `{"a":1}` + "\n" + `{"b":"x"}` + "\n" + `{"c":2.5,"a":3}` + "\n" + `{"b":"y"}` + "\n", true},
		{"int then float", `{"a":1}` + "\n" + `{"a":2}` + "\n" + `{"a":-0}` + "\n" + `{"a":2.5}` + "\n", true},
		{"strings never numeric", `{"z":"02134"}` + "\n" + `{"z":"1"}` + "\n" + `{"z":3}` + "\n", true},
		{"blank lines and crlf", "\n" + `{"a":true}` + "\r\n\r\n" + `{"a":false}` + "\r\n", true},
		{"empty objects first", "{}\n{}\n{}\n" + `{"a":null}` + "\n" + `{"a":"NA"}` + "\n" + `{"a":"q"}`, true},
		{"escapes", `{"s":"a\nb"}` + "\n" + `{"s":"\u00e9"}` + "\n", true},
		{"only empty objects", "{}\n{}\n", false},
		{"bad line", `{"a":1}` + "\n" + `{"a":}` + "\n", false},
		{"duplicate key", `{"a":1}` + "\n" + `{"a":1,"a":2}` + "\n", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		for _, block := range []int{1, 3, 9, 64} {
			t.Run(fmt.Sprintf("%s/block=%d", tt.name, block), func(t *testing.T) {
				s, p, serr, perr, parallel := readJSONLBoth([]byte(tt.data), ReadOptions{Name: "x.jsonl"}, block)
				if d := sameResult(s, p, serr, perr); d != "" {
					t.Fatalf("parallel differs from serial: %s", d)
				}
				if parallel != tt.par {
					t.Errorf("parallel reader kept the input: %v, want %v", parallel, tt.par)
				}
			})
		}
	}
}

func TestReadFileJSONLParallel(t *testing.T) {
	var sb strings.Builder
	for i := range 30_000 {
		fmt.Fprintf(&sb, `{"id":%d,"name":"n%d","score":%d.5}`+"\n", i, i%50, i%7)
		if i == 20_000 {
			sb.WriteString(`{"id":-1,"late":"x"}` + "\n")
		}
	}
	data := sb.String()
	if _, err := readJSONLParallel(strings.NewReader(data), int64(len(data)), ReadOptions{}, defaultParConfig()); err != nil {
		t.Fatalf("the parallel reader left a well-formed file to the serial one: %v", err)
	}
	path := filepath.Join(t.TempDir(), "t.jsonl")
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ReadFile(path, ReadOptions{})
	want, werr := ReadJSONL(strings.NewReader(data), ReadOptions{Name: path})
	if d := sameResult(want, got, werr, err); d != "" {
		t.Fatal(d)
	}
	if got.NumRows() != 30_001 || got.NumCols() != 4 {
		t.Fatalf("%d rows, %d columns", got.NumRows(), got.NumCols())
	}
}

func FuzzReadJSONLParallel(f *testing.F) {
	for _, s := range []string{
		`{"a":1,"b":"x"}` + "\n" + `{"b":"y","c":null}`,
		`{"a":1.5}` + "\n\n" + `{"a":"NA"}` + "\n" + `{"a":1e400}`,
		`{"d":"2020-01-02"}` + "\n" + `{"d":"2020-01-02T03:04:05Z"}`,
		`{"t":true}` + "\n" + `{"t":false}` + "\n{}\n" + `{"u":7}`,
		`{"n":-0}` + "\n" + `{"n":12345678901234567890}` + "\n" + `{"n":1}`,
	} {
		f.Add([]byte(s), uint8(5), false)
		f.Add([]byte(s), uint8(1), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, block uint8, schema bool) {
		opts := ReadOptions{Name: "fuzz.jsonl"}
		if schema {
			tb, err := ReadJSONL(bytes.NewReader(data), opts)
			if err != nil {
				return
			}
			opts.Schema = tb.Schema()
		}
		s, p, serr, perr, _ := readJSONLBoth(data, opts, 1+int(block%32))
		if d := sameResult(s, p, serr, perr); d != "" {
			t.Fatalf("parallel differs from serial: %s", d)
		}
	})
}
