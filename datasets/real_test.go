package datasets

import (
	"bufio"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/synthor/synthor/internal/need"
	"github.com/synthor/synthor/table"
)

// loadFetchedOrSkip loads a fetched dataset, skipping the test when it is
// not in the cache.
func loadFetchedOrSkip(t testing.TB, name string) (*Dataset, *table.Table) {
	t.Helper()
	d, err := Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	if !d.Fetched() {
		need.Skip(t, "datasets", "%s is not fetched: run synthor datasets fetch %s (cache: $SYNTHOR_CACHE or the user cache dir)", name, name)
	}
	tb, err := d.Load("")
	if err != nil {
		t.Fatal(err)
	}
	return d, tb
}

func missingCells(tb *table.Table) int {
	n := 0
	for _, c := range tb.Cols {
		n += c.NullCount()
	}
	return n
}

// reference reads testdata/real_reference.txt (written by
// real_reference.R with R): "key words value" lines.
func reference(t *testing.T) map[string]float64 {
	t.Helper()
	f, err := os.Open("testdata/real_reference.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]float64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		w := strings.Fields(sc.Text())
		// "cps1988 rows 28155 cols 7" holds two values.
		if len(w) == 5 && w[1] == "rows" {
			out[w[0]+" rows"], _ = strconv.ParseFloat(w[2], 64)
			out[w[0]+" cols"], _ = strconv.ParseFloat(w[4], 64)
			continue
		}
		v, err := strconv.ParseFloat(w[len(w)-1], 64)
		if err != nil {
			t.Fatalf("reference line %q: %v", sc.Text(), err)
		}
		out[strings.Join(w[:len(w)-1], " ")] = v
	}
	return out
}

// TestFetchedReference checks the R datasets against values R computed
// from the same files.
func TestFetchedReference(t *testing.T) {
	ref := reference(t)
	t.Run("cps1988", func(t *testing.T) {
		_, tb := loadFetchedOrSkip(t, "cps1988")
		checkShape(t, tb, int(ref["cps1988 rows"]), int(ref["cps1988 cols"]))
		eth := col(t, tb, "ethnicity")
		if !slices.Equal(eth.Categories, []string{"cauc", "afam"}) {
			t.Errorf("ethnicity categories %v, want [cauc afam]", eth.Categories)
		}
		afam := 0
		for _, k := range eth.Codes {
			if eth.Dict[k] == "afam" {
				afam++
			}
		}
		if afam != int(ref["cps1988 afam"]) {
			t.Errorf("afam %d, R says %v", afam, ref["cps1988 afam"])
		}
		if m := mean(col(t, tb, "wage").Floats); math.Abs(m-ref["cps1988 mean wage"]) > 1e-6 {
			t.Errorf("mean wage %v, R says %v", m, ref["cps1988 mean wage"])
		}
	})
	t.Run("income", func(t *testing.T) {
		_, tb := loadFetchedOrSkip(t, "income")
		checkShape(t, tb, int(ref["income rows"]), int(ref["income cols"]))
		if n := missingCells(tb); n != int(ref["income missing"]) {
			t.Errorf("%d missing cells, R says %v", n, ref["income missing"])
		}
		if n := col(t, tb, "LANGUAGE").NullCount(); n != int(ref["income missing LANGUAGE"]) {
			t.Errorf("LANGUAGE: %d missing, R says %v", n, ref["income missing LANGUAGE"])
		}
	})
	t.Run("eusilc", func(t *testing.T) {
		d, tb := loadFetchedOrSkip(t, "eusilc")
		checkShape(t, tb, int(ref["eusilc rows"]), int(ref["eusilc cols"]))
		g, err := tb.Groups()
		if err != nil || len(g) != int(ref["eusilc households"]) {
			t.Errorf("%d households (%v), R says %v", len(g), err, ref["eusilc households"])
		}
		if n := missingCells(tb); n != int(ref["eusilc missing"]) {
			t.Errorf("%d missing cells, R says %v", n, ref["eusilc missing"])
		}
		s := 0.0
		for _, v := range col(t, tb, "py010n").Values() {
			s += v
		}
		if want := ref["eusilc sum py010n"]; math.Abs(s-want) > 1e-9*want {
			t.Errorf("sum py010n %v, R says %v", s, want)
		}
		if !d.SyntheticFromReal || !d.Grouped {
			t.Error("eusilc must be marked grouped and synthetic-from-real")
		}
	})
}

func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

func checkShape(t *testing.T, tb *table.Table, rows, cols int) {
	t.Helper()
	if tb.NumRows() != rows || tb.NumCols() != cols {
		t.Errorf("%d x %d, want %d x %d", tb.NumRows(), tb.NumCols(), rows, cols)
	}
}

// TestFetchedShapes checks the other datasets against the sizes their
// sources document (DATASETS.md; UCI for credit-g).
func TestFetchedShapes(t *testing.T) {
	cases := []struct {
		name       string
		rows, cols int
	}{
		{"superstore", 9994, 21},
		{"credit-g", 1000, 21},
		{"flights", 3_000_000, 9},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.rows > 1_000_000 && raceEnabled {
				t.Skipf("%s: loading %d rows under the race detector takes minutes; checked without -race here and by BenchmarkLoadFlights", c.name, c.rows)
			}
			d, tb := loadFetchedOrSkip(t, c.name)
			checkShape(t, tb, c.rows, c.cols)
			if d.Rows != c.rows {
				t.Errorf("catalog Rows %d, want %d", d.Rows, c.rows)
			}
			if c.name == "flights" {
				checkFields(t, tb)
				// Every airport of the flights is in the airport list.
				for _, n := range []string{"origin_latitude", "destination_longitude"} {
					if k := col(t, tb, n).NullCount(); k != 0 {
						t.Errorf("%s: %d flights without coordinates", n, k)
					}
				}
			}
		})
	}
}
