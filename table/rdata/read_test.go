package rdata

import (
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/synthor/synthor/table"
)

// fixtures are the files written by testdata/make_fixtures.R: one data
// frame saved with each serialization version and compression.
var fixtures = []string{
	"frame_v2_none.rda", "frame_v2_gzip.rda", "frame_v2_bzip2.rda", "frame_v2_xz.rda",
	"frame_v3_none.rda", "frame_v3_gzip.rda", "frame_v3_bzip2.rda", "frame_v3_xz.rda",
	"frame_v2.rds", "frame_v3.rds",
}

// reference reads testdata/frame.csv, the cells as R formatted them.
func reference(t *testing.T) [][]string {
	t.Helper()
	f, err := os.Open("testdata/frame.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestReadFixtures(t *testing.T) {
	ref := reference(t)
	header, rows := ref[0], ref[1:]
	wantKind := map[string]table.Kind{
		"lgl": table.Categorical, "int": table.Integer, "dbl": table.Float, "fct": table.Categorical,
		"ord": table.Categorical, "chr": table.Categorical, "seq": table.Integer, "num": table.Categorical,
		"day": table.Datetime,
	}
	for _, name := range fixtures {
		t.Run(name, func(t *testing.T) {
			tb := readOne(t, name)
			if got := tb.Names(); strings.Join(got, ",") != strings.Join(header, ",") {
				t.Fatalf("columns %v, want %v", got, header)
			}
			if tb.NumRows() != len(rows) {
				t.Fatalf("%d rows, want %d", tb.NumRows(), len(rows))
			}
			for j, c := range tb.Cols {
				if c.Kind != wantKind[c.Name] {
					t.Errorf("column %s: kind %s, want %s", c.Name, c.Kind, wantKind[c.Name])
				}
				for i, row := range rows {
					checkCell(t, c, i, row[j])
				}
			}
			// Factor levels keep R's order, not the order of appearance.
			if got := tb.Col("fct").Categories; strings.Join(got, ",") != "c,b,a" {
				t.Errorf("fct categories %v, want [c b a]", got)
			}
			if got := tb.Col("ord").Categories; strings.Join(got, ",") != "lo,mid,hi" {
				t.Errorf("ord categories %v, want [lo mid hi]", got)
			}
		})
	}
}

// checkCell compares cell i of c with R's text: NA is missing, numbers
// compare by value, the rest by text.
func checkCell(t *testing.T, c *table.Column, i int, want string) {
	t.Helper()
	if want == "NA" {
		if !c.IsNull(i) {
			t.Errorf("column %s row %d: %q, want missing", c.Name, i+1, c.String(i))
		}
		return
	}
	if c.IsNull(i) {
		t.Errorf("column %s row %d: missing, want %q", c.Name, i+1, want)
		return
	}
	switch c.Kind {
	case table.Integer, table.Float:
		w, err := strconv.ParseFloat(want, 64)
		if err != nil {
			t.Fatalf("reference %q: %v", want, err)
		}
		if got := c.Float(i); got != w {
			t.Errorf("column %s row %d: %v, want %v", c.Name, i+1, got, w)
		}
	default:
		if got := c.String(i); got != want {
			t.Errorf("column %s row %d: %q, want %q", c.Name, i+1, got, want)
		}
	}
}

func readOne(t *testing.T, name string) *table.Table {
	t.Helper()
	frames, err := ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(name, ".rds") {
		if len(frames) != 1 {
			t.Fatalf("%d frames, want 1", len(frames))
		}
		return frames[0].Table
	}
	// The workspace holds other (a list, skipped), frame and second.
	if len(frames) != 2 || frames[0].Name != "frame" || frames[1].Name != "second" {
		t.Fatalf("frames %v, want frame and second", frameNames(frames))
	}
	if k := frames[1].Table.Col("k"); k == nil || k.Len() != 2 || k.Ints[1] != 4 {
		t.Errorf("second frame: %v", frames[1].Table.Names())
	}
	return frames[0].Table
}

func frameNames(fs []Frame) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Name)
	}
	return out
}

// TestNAReal checks that the missing double R wrote as NA_real_ carries the
// payload 1954 in its low word (R Internals §1.6) and that both it and NaN
// read as missing.
func TestNAReal(t *testing.T) {
	b, err := os.ReadFile("testdata/frame_dbl_na.txt")
	if err != nil {
		t.Fatal(err)
	}
	isNA := strings.Split(strings.TrimSpace(string(b)), ",")
	raw, err := os.ReadFile("testdata/frame_v2_none.rda")
	if err != nil {
		t.Fatal(err)
	}
	d := &decoder{b: raw[5:]}
	if err := d.header(); err != nil {
		t.Fatal(err)
	}
	top, err := d.item()
	if err != nil {
		t.Fatal(err)
	}
	dbl := top.items[1].items[2]
	for i, x := range dbl.reals {
		low := uint32(math.Float64bits(x))
		if got := math.IsNaN(x) && low == 1954; (isNA[i] == "TRUE") != got {
			t.Errorf("row %d: NA_real_ payload %v, R says NA %s", i+1, got, isNA[i])
		}
	}
	tb := readOne(t, "frame_v2_none.rda")
	if c := tb.Col("dbl"); !c.IsNull(2) || !c.IsNull(3) {
		t.Error("NA_real_ and NaN should both be missing")
	}
}

func TestReadErrors(t *testing.T) {
	good, err := os.ReadFile("testdata/frame_v2_none.rda")
	if err != nil {
		t.Fatal(err)
	}
	xdr := func(words ...int32) []byte {
		var buf bytes.Buffer
		buf.WriteString("X\n")
		for _, w := range words {
			_ = binary.Write(&buf, binary.BigEndian, w)
		}
		return buf.Bytes()
	}
	cases := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "empty file"},
		{"ascii", []byte("RDA2\nA\n2\n"), "only XDR"},
		{"text", []byte("hello world"), "not an R serialization"},
		{"version 4", xdr(4, 0, 0), "version 4 is not supported"},
		{"truncated", good[:len(good)/2], "more than the"},
		{"truncated header", good[:9], "unexpected end of data"},
		{"huge length", xdr(2, 0, 0, intSXP, 1<<30), "more than the"},
		{"bad reference", xdr(2, 0, 0, refSXP|5<<8), "reference 5"},
		{"unknown type", xdr(2, 0, 0, 99), "unknown object type 99"},
		{"bytecode", xdr(2, 0, 0, bcodeSXP), "byte code"},
		{"bad gzip", []byte{0x1f, 0x8b, 1, 2, 3}, "gzip"},
		{"bad xz", []byte{0xfd, '7', 'z', 'X', 'Z', 0, 1}, "xz"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read(bytes.NewReader(c.in), "in.rda")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
			if strings.Contains(err.Error(), "\n") || !strings.HasPrefix(err.Error(), "read in.rda: ") {
				t.Errorf("error %q is not one line naming the file", err)
			}
		})
	}
}

// TestBadFactor corrupts a factor code: the error names the object and
// column.
func TestBadFactor(t *testing.T) {
	raw, err := os.ReadFile("testdata/frame_v2_none.rda")
	if err != nil {
		t.Fatal(err)
	}
	// fct (levels c, b, a) holds b, a, NA, c, a: codes 2, 3, NA, 1, 3.
	codes := []byte{0, 0, 0, 5, 0, 0, 0, 2, 0, 0, 0, 3, 0x80, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 3}
	i := bytes.Index(raw, codes)
	if i < 0 {
		t.Fatal("factor codes not found in fixture")
	}
	bad := bytes.Clone(raw)
	bad[i+23] = 9
	_, err = Read(bytes.NewReader(bad), "bad.rda")
	var re *Error
	if !errors.As(err, &re) || re.Object != "frame" || re.Column != "fct" || !strings.Contains(err.Error(), "outside levels") {
		t.Fatalf("error %v, want one naming object frame, column fct", err)
	}
}

func TestReadFrame(t *testing.T) {
	tb, err := ReadFrame("testdata/frame_v3_xz.rda", "second")
	if err != nil || tb.NumRows() != 2 {
		t.Fatalf("ReadFrame second: %v", err)
	}
	if _, err := ReadFrame("testdata/frame_v3_xz.rda", "other"); !errors.Is(err, ErrNoFrame) {
		t.Fatalf("ReadFrame other: %v, want ErrNoFrame", err)
	}
}

// TestXZDict checks the dictionary size read from the xz block header
// against R's files (xz level 9: 64 MiB) and rejects a claim above the
// bound before the decoder allocates it.
func TestXZDict(t *testing.T) {
	b, err := os.ReadFile("testdata/frame_v3_xz.rda")
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := xzDict(b); !ok || d != 64<<20 {
		t.Fatalf("dictionary %d (%v), want 64 MiB", d, ok)
	}
	defer func(old int64) { maxXZDict = old }(maxXZDict)
	maxXZDict = 32 << 20
	if _, err := Read(bytes.NewReader(b), "big.rda"); err == nil || !strings.Contains(err.Error(), "dictionary of 67108864 bytes exceeds") {
		t.Fatalf("error %v, want a dictionary limit", err)
	}
}
