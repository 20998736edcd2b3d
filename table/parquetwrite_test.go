package table

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// readParquetBytes reads a Parquet file held in memory.
func readParquetBytes(data []byte, opts ReadOptions) (*Table, error) {
	return ReadParquet(bytes.NewReader(data), int64(len(data)), opts)
}

// checkParquetRoundTrip writes tb as Parquet, reads it back without a
// schema and fails unless the table, its column order, kinds and layouts
// come back.
func checkParquetRoundTrip(t *testing.T, tb *Table) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteParquet(&buf, tb); err != nil {
		t.Fatalf("write: %v", err)
	}
	got, err := readParquetBytes(buf.Bytes(), ReadOptions{Name: "t.parquet", NonFinite: NonFiniteKeep})
	if err != nil {
		t.Fatalf("read back: %v", err)
	}
	if d := Diff(tb, got); d != "" {
		t.Fatalf("round trip differs: %s", d)
	}
	for j, c := range tb.Cols {
		g := got.Cols[j]
		if c.Kind == Datetime && layoutOf(c) != layoutOf(g) {
			t.Fatalf("column %q: layout %q, read back %q", c.Name, c.Layout, g.Layout)
		}
		if c.Description != g.Description || c.Group != g.Group {
			t.Fatalf("column %q: field %+v, read back %+v", c.Name, c.Field, g.Field)
		}
	}
}

func TestWriteParquetRoundTrip(t *testing.T) {
	checkParquetRoundTrip(t, allKinds())
	// Columns out of name order, a dictionary with an unused category and
	// one out of first-appearance order, a category equal to a null value,
	// an all-missing column, a group key.
	hh := NewInteger("hh", []int64{2, 2, 1}, nil)
	z := NewCategorical("z", []string{"b", "a", "NA", "unused"}, []int32{1, 1, 2})
	z.Group = true
	z.Description = "a group-level category"
	empty := NewCategorical("empty", []string{}, []int32{Missing, Missing, Missing})
	text := NewText("a", []string{"", "x", "NA"}, []bool{true, false, false})
	tb := MustNew(z, hh, empty, text)
	tb.GroupKey = "hh"
	checkParquetRoundTrip(t, tb)
	// Zero rows.
	checkParquetRoundTrip(t, allKinds().Head(0))
}

// TestWriteParquetColumnOrder checks the file itself, with parquet-go's
// reader: the columns are in the table's order, optional, of the
// documented types.
func TestWriteParquetColumnOrder(t *testing.T) {
	tb := MustNew(NewFloat("zeta", []float64{1.5}), NewInteger("alpha", []int64{3}, nil), NewCategorical("mid", []string{"q"}, []int32{0}))
	var buf bytes.Buffer
	if err := WriteParquet(&buf, tb); err != nil {
		t.Fatal(err)
	}
	f, err := parquet.OpenFile(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var names, types []string
	for _, fd := range f.Schema().Fields() {
		if !fd.Optional() {
			t.Errorf("%s is not optional", fd.Name())
		}
		names = append(names, fd.Name())
		types = append(types, fd.Type().String())
	}
	if want := []string{"zeta", "alpha", "mid"}; !reflect.DeepEqual(names, want) {
		t.Errorf("columns %q, want %q", names, want)
	}
	if want := []string{"DOUBLE", "INT(64,true)", "STRING"}; !reflect.DeepEqual(types, want) {
		t.Errorf("types %q, want %q", types, want)
	}
}

func TestWriteFileParquet(t *testing.T) {
	dir := t.TempDir()
	want := allKinds()
	for _, name := range []string{"t.parquet", "t.parquet.gz"} {
		path := filepath.Join(dir, name)
		if err := WriteFile(path, want); err != nil {
			t.Fatal(err)
		}
		got, err := ReadFile(path, ReadOptions{NonFinite: NonFiniteKeep})
		if err != nil {
			t.Fatal(err)
		}
		if d := Diff(want, got); d != "" {
			t.Errorf("%s: %s", name, d)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "t.parquet")); err != nil {
		t.Fatal(err)
	}
}

func FuzzParquetRoundTrip(f *testing.F) {
	for _, s := range []string{
		"a,b\n1,2\n3,4\n",
		"x,id\n007,1\nabc,2\n",
		"d,t\n2020-01-02,2020-01-02T03:04:05Z\n,2020-01-02T03:04:05.5+01:00\n2021-02-03,\n",
		"s\n\"a,b\"\n\"say \"\"hi\"\"\"\n\"line\r\nbreak\"\n",
		"n,m\n1e400,-0\n-0,0.5\ninf,\n",
		"z,e\nb,\na,\n,\n",
	} {
		f.Add([]byte(s))
	}
	addAdultSeed(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, err := ReadCSV(bytes.NewReader(data), ReadOptions{Name: "fuzz.csv", NonFinite: NonFiniteKeep})
		if err != nil {
			return
		}
		checkParquetRoundTrip(t, tb)
	})
}
