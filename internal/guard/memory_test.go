package guard

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/synthor/synthor/table"
)

func TestParseLimit(t *testing.T) {
	cases := []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"8GiB", 8 << 30, true},
		{"8 GiB", 8 << 30, true},
		{"500MB", 500_000_000, true},
		{"1.5GB", 1_500_000_000, true},
		{"2KiB", 2048, true},
		{"1TB", 1_000_000_000_000, true},
		{"1024", 0, false}, // a size needs its unit
		{"8g", 0, false},   // GiB or GB: say which
		{"0B", 0, false},
		{"-5GB", 0, false},
		{"lots", 0, false},
		{"5XB", 0, false},
		{"", 0, false},
		{"1e400", 0, false},
		{"0%", 0, false},
		{"101%", 0, false},
	}
	for _, c := range cases {
		got, err := ParseLimit(c.in)
		if (err == nil) != c.ok || (c.ok && got.Bytes() != c.want) {
			t.Errorf("ParseLimit(%q) = %d, %v; want %d (ok %v)", c.in, got.Bytes(), err, c.want, c.ok)
		}
	}
	if physicalMemory() > 0 {
		half, err := ParseLimit("50%")
		if err != nil || half.Bytes() != uint64(float64(physicalMemory())*0.5) || half.String() != "50%" {
			t.Errorf("ParseLimit(50%%) = %d, %v; want half of %d", half.Bytes(), err, physicalMemory())
		}
	}
	var unset Limit
	if unset.IsSet() || unset.Bytes() != DefaultLimit() {
		t.Errorf("the zero Limit is %d, want DefaultLimit", unset.Bytes())
	}
}

// TestNeed checks the estimate against a hand computation: 1,000 training
// rows and 9,000 output rows of 5 columns are 50,000 cells of 8 bytes,
// times a factor 4 (llmsynthor's), plus the base.
func TestNeed(t *testing.T) {
	if got, want := Need(4, 1000, 9000, 5), float64(BaseBytes+50_000*8*4); got != want {
		t.Errorf("Need(factor 4) = %v, want %v", got, want)
	}
	if got, want := Need(0, 0, 10, 0), float64(BaseBytes+10*8); got != want {
		t.Errorf("Need(no factor, no columns) = %v, want %v", got, want)
	}
	// 1e12 records do not overflow.
	if got := Need(1.5, 0, 1e12, 6); !(got > 1e13) {
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

// FuzzParseLimit: any input parses to a positive limit or fails; never a
// panic.
func FuzzParseLimit(f *testing.F) {
	for _, s := range []string{"8GiB", "500MB", "75%", "1.5 GiB", "-1", "", "%", "1e309", "9999999999999999999999TB", ".", "0.0001%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseLimit(s)
		if err == nil && !l.IsSet() {
			t.Errorf("ParseLimit(%q) = 0 without error", s)
		}
	})
}

// TestEvalNeed checks the estimate against a hand computation: a numeric
// and a 3-category column at 10 bins make one pair of 11 × 4 = 44 cells;
// 3 rows × 2 columns; 2 columns and 1 pair of scores.
func TestEvalNeed(t *testing.T) {
	tb := read(t, "x,c\n1.5,a\n2.5,b\n3.5,c\n")
	if got := TableCells(tb, 10, []string{"x", "c", "absent"}); got != 44 {
		t.Errorf("TableCells = %v, want 44", got)
	}
	tables := float64(4 * 3 * 2 * BytesPerCell)
	scores := float64(2*ColumnScoreBytes + 1*PairScoreBytes)
	// Every pair: each of 4 workers may hold a table of the largest pair's
	// size (11 × 4).
	want := BaseBytes + tables + scores + 4*44*ContingencyBytesPerCell
	if got := EvalNeed(tb, 10, nil, 4, 1); got != want {
		t.Errorf("EvalNeed = %v, want %v", got, want)
	}
	// With a reference the scores count twice.
	if got := EvalNeed(tb, 10, nil, 4, 2); got != want+scores {
		t.Errorf("EvalNeed(copies 2) = %v, want %v", got, want+scores)
	}
	// Joints: 3 score sets; two workers hold the two largest tables,
	// [x, x] 121 and [x, c] 44.
	want = BaseBytes + tables + float64(2*ColumnScoreBytes+3*PairScoreBytes) + (121+44)*ContingencyBytesPerCell
	if got := EvalNeed(tb, 10, [][]string{{"c", "c"}, {"x", "c"}, {"x", "x"}}, 2, 1); got != want {
		t.Errorf("EvalNeed(joints) = %v, want %v", got, want)
	}
	// From the column count alone: the base and the score lists.
	for copies, want := range map[int]float64{1: BaseBytes + scores, 2: BaseBytes + 2*scores} {
		got := EvalScoresNeed(2, copies)
		if got != want {
			t.Errorf("EvalScoresNeed(2, %d) = %v, want %v", copies, got, want)
		}
		if need := EvalNeed(tb, 10, nil, 1, copies); got > need {
			t.Errorf("EvalScoresNeed(2, %d) = %v above EvalNeed %v", copies, got, need)
		}
	}
}

// TestEvalNeedWide: the estimate of 100,000 columns (5·10⁹ pairs) comes
// without listing the pairs, and is terabytes.
func TestEvalNeedWide(t *testing.T) {
	cs := make([]*table.Column, 100000)
	for j := range cs {
		cs[j] = table.NewInteger(fmt.Sprintf("c%d", j), []int64{int64(j % 2)}, nil)
	}
	tb, err := table.New(cs...)
	if err != nil {
		t.Fatal(err)
	}
	if got := EvalNeed(tb, 6, nil, 2, 1); got < 1e12 {
		t.Errorf("EvalNeed(100,000 columns) = %v, want terabytes", got)
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

// BenchmarkEvalNeed: the estimate is O(columns), so a table too wide to
// score (100,000 columns: 5·10⁹ pairs) is refused at once.
func BenchmarkEvalNeed(b *testing.B) {
	for _, cols := range []int{100, 1000, 5000, 100000} {
		cs := make([]*table.Column, cols)
		for j := range cs {
			cs[j] = table.NewInteger(fmt.Sprintf("c%d", j), []int64{1, 2, 3}, nil)
		}
		tb, err := table.New(cs...)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("columns=%d", cols), func(b *testing.B) {
			var need float64
			for b.Loop() {
				need = EvalNeed(tb, 6, nil, 2, 1)
			}
			b.ReportMetric(need/(1<<30), "GiB-estimate")
		})
	}
}
