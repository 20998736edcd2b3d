package guard

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseSize(t *testing.T) {
	cases := []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"1024", 1024, true},
		{"8GiB", 8 << 30, true},
		{"8 GiB", 8 << 30, true},
		{"8g", 8 << 30, true},
		{"500MB", 500_000_000, true},
		{"1.5GB", 1_500_000_000, true},
		{"2KiB", 2048, true},
		{"1TB", 1_000_000_000_000, true},
		{"0", 0, false},
		{"-5GB", 0, false},
		{"lots", 0, false},
		{"5XB", 0, false},
		{"", 0, false},
		{"1e400", 0, false},
		{"0%", 0, false},
		{"101%", 0, false},
	}
	for _, c := range cases {
		got, err := ParseSize(c.in)
		if (err == nil) != c.ok || (c.ok && got != c.want) {
			t.Errorf("ParseSize(%q) = %d, %v; want %d (ok %v)", c.in, got, err, c.want, c.ok)
		}
	}
	if physicalMemory() > 0 {
		half, err := ParseSize("50%")
		if err != nil || half != uint64(float64(physicalMemory())*0.5) {
			t.Errorf("ParseSize(50%%) = %d, %v; want half of %d", half, err, physicalMemory())
		}
	}
}

// TestNeed checks the estimate against a hand computation: 1,000 training
// rows and 9,000 output rows of 5 columns are 50,000 cells of 8 bytes,
// times llmsynthor's factor 4, plus the base.
func TestNeed(t *testing.T) {
	if got, want := Need("llmsynthor", 1000, 9000, 5), float64(BaseBytes+50_000*8*4); got != want {
		t.Errorf("Need(llmsynthor) = %v, want %v", got, want)
	}
	if got, want := Need("uniform", 0, 10, 0), float64(BaseBytes+10*8); got != want {
		t.Errorf("Need(uniform, no columns) = %v, want %v", got, want)
	}
	// 1e12 records do not overflow.
	if got := Need("cart", 0, 1e12, 6); !(got > 1e13) {
		t.Errorf("Need(1e12 rows) = %v", got)
	}
}

func TestCheckMemory(t *testing.T) {
	if err := CheckMemory("x", 100, 100, "src", "fix"); err != nil {
		t.Errorf("at the limit: %v", err)
	}
	err := CheckMemory("synth: cart for 10 records", 3<<30, 1<<30, "--max-memory 1GiB", "lower --rows, or raise --max-memory")
	want := "synth: cart for 10 records would need about 3.0 GiB of memory, above the limit of 1.0 GiB (--max-memory 1GiB; lower --rows, or raise --max-memory)"
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
	if DefaultLimit() == 0 {
		t.Error("DefaultLimit is 0")
	}
}

func TestFormatSize(t *testing.T) {
	for in, want := range map[float64]string{
		512: "512 B", 1536: "1.5 KiB", 64 << 20: "64.0 MiB", 1 << 40: "1.0 TiB", 1e30: "8.67e+11 EiB",
	} {
		if got := FormatSize(in); got != want {
			t.Errorf("FormatSize(%v) = %q, want %q", in, got, want)
		}
	}
	if strings.Contains(FormatSize(0), "NaN") {
		t.Error("FormatSize(0)")
	}
}

// FuzzParseSize: any input parses to a positive size or fails; never a
// panic.
func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"8GiB", "500MB", "75%", "1.5 g", "-1", "", "%", "1e309", "9999999999999999999999TB", ".", "0.0001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseSize(s)
		if err == nil && n == 0 {
			t.Errorf("ParseSize(%q) = 0 without error", s)
		}
	})
}

// TestEvalNeed checks the estimate against a hand computation: a numeric
// and a 3-category column at 10 bins make one pair of 11 × 4 = 44 cells.
func TestEvalNeed(t *testing.T) {
	tb := read(t, "x,c\n1.5,a\n2.5,b\n3.5,c\n")
	if got := TableCells(tb, 10, []string{"x", "c", "absent"}); got != 44 {
		t.Errorf("TableCells = %v, want 44", got)
	}
	want := float64(BaseBytes + 2*3*2*BytesPerCell + 44*ContingencyBytesPerCell)
	if got := EvalNeed(tb, 10, nil, 4); got != want {
		t.Errorf("EvalNeed = %v, want %v", got, want)
	}
	// Two workers hold the two largest tables: [x, x] 121 and [x, c] 44.
	want = float64(BaseBytes + 2*3*2*BytesPerCell + (121+44)*ContingencyBytesPerCell)
	if got := EvalNeed(tb, 10, [][]string{{"c", "c"}, {"x", "c"}, {"x", "x"}}, 2); got != want {
		t.Errorf("EvalNeed(joints) = %v, want %v", got, want)
	}
}

// TestReadNeed checks the estimate against a hand computation: 1,000 bytes
// of CSV take 2,000; compressed ones at least as much (the reader measures
// the rest).
func TestReadNeed(t *testing.T) {
	dir := t.TempDir()
	for name, want := range map[string]float64{"a.csv": 2000, "a.csv.gz": 2000, "a.parquet": 2000, "a.jsonl": 2000} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, make([]byte, 1000), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := ReadNeed(p); got != want {
			t.Errorf("ReadNeed(%s) = %v, want %v", name, got, want)
		}
	}
	if got := ReadNeed(filepath.Join(dir, "absent.csv")); got != 0 {
		t.Errorf("ReadNeed(absent) = %v", got)
	}
	if got := ReadNeed(dir); got != 0 {
		t.Errorf("ReadNeed(a directory) = %v", got)
	}
}
