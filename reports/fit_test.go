package reports

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/synthor/synthor/bench"
	"github.com/synthor/synthor/metrics"
)

// maxLine is the widest line of s in runes (every character the reports
// print takes one terminal column).
func maxLine(s string) (int, string) {
	w, long := 0, ""
	for l := range strings.SplitSeq(s, "\n") {
		if n := utf8.RuneCountInString(l); n > w {
			w, long = n, l
		}
	}
	return w, long
}

func TestWrapText(t *testing.T) {
	for _, c := range []struct {
		in   string
		w    int
		want string
	}{
		{"jsd ↓ user_age, user_gender, product_category (targeted)", 30,
			"jsd ↓ user_age, user_gender,\nproduct_category (targeted)"},
		{"llmsynthor-gpt-4.1-nano", 15, "llmsynthor-gpt-\n4.1-nano"},
		{"abcdefghij", 4, "abcd\nefgh\nij"},
		{"short", 10, "short"},
	} {
		if got := wrapText(c.in, c.w); got != c.want {
			t.Errorf("wrapText(%q, %d) = %q, want %q", c.in, c.w, got, c.want)
		}
	}
}

// TestFitKeepsEveryCell lays random grids out at random widths: every line
// of every block fits, the key columns lead every block, and the other
// columns appear once each, in order, with their cells (wrapping aside).
func TestFitKeepsEveryCell(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	word := func() string { return strings.Repeat("x", 1+rng.IntN(9)) }
	for trial := range 300 {
		cols, key := 2+rng.IntN(9), 1+rng.IntN(2)
		g := textGrid{key: key, wrap: map[int]bool{0: true}}
		for j := range cols {
			g.header = append(g.header, fmt.Sprintf("h%d %s", j, word()))
		}
		for range 1 + rng.IntN(5) {
			var row []string
			for j := range cols {
				cell := word()
				if j == 0 {
					cell = word() + " " + word() + ", " + word() + " " + word()
				}
				row = append(row, cell)
			}
			g.rows = append(g.rows, row)
		}
		// 52 columns always hold the key (at most 20 + 9 wide) and a column.
		width := 52 + rng.IntN(70)
		blocks := g.fit(width)
		var seen []string
		for _, b := range blocks {
			var buf bytes.Buffer
			if err := RenderGrid(&buf, false, b.header, b.rows); err != nil {
				t.Fatal(err)
			}
			if w, l := maxLine(buf.String()); w > width {
				t.Fatalf("trial %d: a line of %d > %d columns: %q", trial, w, width, l)
			}
			for k := range b.header {
				h := strings.ReplaceAll(b.header[k], "\n", "")
				if k < key {
					if h != strings.ReplaceAll(g.header[k], " ", "") && !strings.HasPrefix(g.header[k], strings.Fields(h)[0]) {
						t.Fatalf("trial %d: block key %q, want %q", trial, h, g.header[k])
					}
					continue
				}
				seen = append(seen, h)
			}
		}
		var want []string
		for _, h := range g.header[key:] {
			want = append(want, strings.ReplaceAll(h, " ", ""))
		}
		for i := range seen {
			seen[i] = strings.ReplaceAll(seen[i], " ", "")
		}
		if !slices.Equal(seen, want) {
			t.Fatalf("trial %d: columns %q, want %q", trial, seen, want)
		}
	}
}

// pairFiltered is a run whose pair scores the SDMetrics pair filter
// skipped, each with its own reason, on every method.
func pairFiltered() []bench.Result {
	var rs []bench.Result
	methods := []string{"llmsynthor-gpt-4.1-nano", "independent", "bayes-net", "gaussian-copula", "cart", "uniform", "bootstrap"}
	for _, m := range methods {
		for seed := range uint64(3) {
			var ss []metrics.Score
			for k, pair := range [][]string{{"age", "workclass"}, {"education", "education-num"}, {"marital-status", "relationship"}} {
				ss = append(ss, metrics.Undefined("contingency_similarity", "sdmetrics", pair, metrics.Higher,
					fmt.Sprintf("skipped by the sdmetrics pair filter: real cramér's v = 0.%d057 is not above 0.3", k+1)))
			}
			for k, col := range []string{"age", "workclass", "education", "education-num", "marital-status", "occupation",
				"relationship", "race", "sex", "capital-gain", "capital-loss", "hours-per-week", "native-country"} {
				ss = append(ss, score("tvd", 0.01*float64(k+1)+0.001*float64(seed), metrics.Lower, col))
			}
			rs = append(rs, result(m+fmt.Sprint(seed), "adult", m, seed+1, ss...))
		}
	}
	return rs
}

func TestTableWithinWidth(t *testing.T) {
	m := Build(pairFiltered())
	var buf bytes.Buffer
	if err := WriteTable(&buf, m); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if w, l := maxLine(out); w > DefaultWidth {
		t.Errorf("a line of %d columns: %q\n%s", w, l, out)
	}
	// Each reason once, in the notes, its cells marked.
	for k := 1; k <= 3; k++ {
		reason := fmt.Sprintf("real cramér's v = 0.%d057", k)
		if n := strings.Count(strings.ReplaceAll(out, "\n    ", " "), reason); n != 1 {
			t.Errorf("%q appears %d times, want once:\n%s", reason, n, out)
		}
	}
	if !strings.Contains(out, "│ — [1] ") || !strings.Contains(out, "\n[3] skipped by the sdmetrics pair filter") {
		t.Errorf("no note marks:\n%s", out)
	}
	// Every method has its column in some block.
	for _, me := range m.Datasets[0].Methods {
		if !strings.Contains(strings.ReplaceAll(out, "-\n", "-"), me.Label) {
			t.Errorf("method %s not shown", me.Label)
		}
	}
	// Wide: one table a dataset, a line as long as it takes.
	buf.Reset()
	if err := WriteTableWidth(&buf, m, 0); err != nil {
		t.Fatal(err)
	}
	if w, _ := maxLine(buf.String()); w <= DefaultWidth {
		t.Errorf("the wide table is %d columns wide", w)
	}
}
