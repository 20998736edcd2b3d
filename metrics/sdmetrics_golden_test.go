package metrics

import (
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/synthor/synthor/table"
)

// The golden reports in testdata/sdmetrics were produced by SDMetrics
// 0.29.1.dev0 (see testdata/sdmetrics/README.md). Every score must agree to
// sdmTol, under both pair conventions, with the same pairs counted.
const sdmTol = 1e-9

const sdmDir = "testdata/sdmetrics"

type sdmMeta struct {
	Columns map[string]struct {
		Sdtype         string `json:"sdtype"`
		DatetimeFormat string `json:"datetime_format"`
	} `json:"columns"`
}

// sdmMetaOrder returns the column names of a metadata file in file order
// (Go maps lose it).
func sdmMetaOrder(t testing.TB, raw []byte) []string {
	t.Helper()
	var doc struct {
		Columns json.RawMessage `json:"columns"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(strings.NewReader(string(doc.Columns)))
	var names []string
	depth := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch v := tok.(type) {
		case json.Delim:
			if v == '{' {
				depth++
			} else if v == '}' {
				depth--
			}
		case string:
			if depth == 1 {
				names = append(names, v)
				// skip the column's object
				var skip json.RawMessage
				if err := dec.Decode(&skip); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	return names
}

// sdmReadCSV reads a golden CSV (optionally gzipped) the way the reference
// read it: pandas.read_csv(keep_default_na=False, na_values=[""]), column
// types from the SDMetrics metadata (numerical: integer when every value is
// an integer, else float; categorical and boolean: categorical; datetime:
// Unix ns parsed with the metadata's format).
func sdmReadCSV(t testing.TB, name, metaFile string) *table.Table {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(sdmDir, metaFile))
	if err != nil {
		t.Fatal(err)
	}
	var meta sdmMeta
	if err := json.Unmarshal(raw, &meta); err != nil {
		t.Fatal(err)
	}
	order := sdmMetaOrder(t, raw)
	f, err := os.Open(filepath.Join(sdmDir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(name, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	recs, err := csv.NewReader(r).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	header, body := recs[0], recs[1:]
	idx := map[string]int{}
	for i, h := range header {
		idx[h] = i
	}
	var cols []*table.Column
	for _, colName := range order {
		j, ok := idx[colName]
		if !ok {
			t.Fatalf("%s: no column %q", name, colName)
		}
		m := meta.Columns[colName]
		n := len(body)
		nulls := make([]bool, n)
		for i, rec := range body {
			nulls[i] = rec[j] == ""
		}
		switch m.Sdtype {
		case "categorical", "boolean":
			var dict []string
			seen := map[string]int32{}
			codes := make([]int32, n)
			for i, rec := range body {
				if nulls[i] {
					codes[i] = table.Missing
					continue
				}
				c, ok := seen[rec[j]]
				if !ok {
					c = int32(len(dict))
					seen[rec[j]] = c
					dict = append(dict, rec[j])
				}
				codes[i] = c
			}
			cols = append(cols, table.NewCategorical(colName, dict, codes))
		case "datetime":
			layout := strings.NewReplacer("%Y", "2006", "%m", "01", "%d", "02").Replace(m.DatetimeFormat)
			v := make([]int64, n)
			for i, rec := range body {
				if nulls[i] {
					continue
				}
				tm, err := time.Parse(layout, rec[j])
				if err != nil {
					t.Fatalf("%s row %d column %s: %v", name, i+2, colName, err)
				}
				v[i] = tm.UnixNano()
			}
			cols = append(cols, table.NewDatetime(colName, v, nulls))
		case "numerical":
			ints := make([]int64, n)
			isInt := true
			for i, rec := range body {
				if nulls[i] {
					continue
				}
				x, err := strconv.ParseInt(rec[j], 10, 64)
				if err != nil {
					isInt = false
					break
				}
				ints[i] = x
			}
			if isInt {
				cols = append(cols, table.NewInteger(colName, ints, nulls))
				continue
			}
			fl := make([]float64, n)
			for i, rec := range body {
				fl[i] = math.NaN()
				if nulls[i] {
					continue
				}
				x, err := strconv.ParseFloat(rec[j], 64)
				if err != nil {
					t.Fatalf("%s row %d column %s: %v", name, i+2, colName, err)
				}
				fl[i] = x
			}
			cols = append(cols, table.NewFloat(colName, fl))
		default:
			t.Fatalf("%s: unknown sdtype %q", metaFile, m.Sdtype)
		}
	}
	tb, err := table.New(cols...)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

type sdmGolden struct {
	Rows    []int `json:"rows"`
	Quality struct {
		Convention string              `json:"convention"`
		Score      *float64            `json:"score"`
		Properties map[string]*float64 `json:"properties"`
		Columns    []struct {
			Column string   `json:"column"`
			Metric string   `json:"metric"`
			Score  *float64 `json:"score"`
			Error  *string  `json:"error"`
		} `json:"columns"`
		Pairs []struct {
			Columns              []string `json:"columns"`
			Metric               string   `json:"metric"`
			Score                *float64 `json:"score"`
			RealCorrelation      *float64 `json:"real_correlation"`
			SyntheticCorrelation *float64 `json:"synthetic_correlation"`
			RealAssociation      *float64 `json:"real_association"`
			Counted              *bool    `json:"counted"`
			Error                *string  `json:"error"`
		} `json:"pairs"`
	} `json:"quality"`
}

var sdmMetricNames = map[string]string{
	"KSComplement":          NameKSComplement,
	"TVComplement":          NameTVComplement,
	"CorrelationSimilarity": NameCorrelationSimilarity,
	"ContingencySimilarity": NameContingencySimilarity,
}

// sdmClose checks got against SDMetrics' value: both undefined, or both
// defined and within sdmTol.
func sdmClose(t *testing.T, what string, got float64, want *float64) {
	t.Helper()
	switch {
	case want == nil && !math.IsNaN(got):
		t.Errorf("%s = %.17g, SDMetrics gives NaN", what, got)
	case want != nil && math.IsNaN(got):
		t.Errorf("%s = NaN, SDMetrics gives %.17g", what, *want)
	case want != nil && math.Abs(got-*want) > sdmTol:
		t.Errorf("%s = %.17g, SDMetrics gives %.17g (diff %.3g)", what, got, *want, got-*want)
	}
}

type sdmCase struct {
	name, real, synth, meta string
}

var sdmCases = []sdmCase{
	{"adult_indep", "adult_train.csv.gz", "adult_indep.csv.gz", "adult_metadata.json"},
	{"adult_perturbed", "adult_train.csv.gz", "adult_perturbed.csv.gz", "adult_metadata.json"},
	{"edge", "edge_real.csv", "edge_synth.csv", "edge_metadata.json"},
}

func TestSDMetricsGolden(t *testing.T) {
	for _, c := range sdmCases {
		real := sdmReadCSV(t, c.real, c.meta)
		synth := sdmReadCSV(t, c.synth, c.meta)
		for _, conv := range []struct{ file, filter string }{
			{c.name + ".quality.json", PairFilterSDMetrics},
			{c.name + ".quality_allpairs.json", PairFilterAll},
		} {
			t.Run(c.name+"/"+conv.filter, func(t *testing.T) {
				raw, err := os.ReadFile(filepath.Join(sdmDir, conv.file))
				if err != nil {
					t.Fatal(err)
				}
				var g sdmGolden
				if err := json.Unmarshal(raw, &g); err != nil {
					t.Fatal(err)
				}
				if g.Rows[0] != real.NumRows() || g.Rows[1] != synth.NumRows() {
					t.Fatalf("rows %d/%d, golden %v", real.NumRows(), synth.NumRows(), g.Rows)
				}
				rep, err := NewQualityReport(context.Background(), real, synth, QualityConfig{PairFilter: conv.filter})
				if err != nil {
					t.Fatal(err)
				}
				sdmCheckGolden(t, rep, &g)
			})
		}
	}
}

func sdmCheckGolden(t *testing.T, rep *QualityReport, g *sdmGolden) {
	t.Helper()
	q := g.Quality
	if len(rep.Columns) != len(q.Columns) {
		t.Fatalf("%d columns, SDMetrics %d", len(rep.Columns), len(q.Columns))
	}
	for i, want := range q.Columns {
		got := rep.Columns[i]
		what := got.Metric + "(" + got.Column + ")"
		if got.Column != want.Column || got.Metric != sdmMetricNames[want.Metric] {
			t.Errorf("column %d: %s, SDMetrics %s(%s)", i, what, want.Metric, want.Column)
		}
		sdmClose(t, what, got.Value, want.Score)
		if math.IsNaN(got.Value) && got.Reason == "" {
			t.Errorf("%s: NaN without a reason", what)
		}
	}
	if len(rep.Pairs) != len(q.Pairs) {
		t.Fatalf("%d pairs, SDMetrics %d", len(rep.Pairs), len(q.Pairs))
	}
	counted := 0
	for i, want := range q.Pairs {
		got := rep.Pairs[i]
		what := got.Metric + "(" + got.Columns[0] + ", " + got.Columns[1] + ")"
		if got.Columns[0] != want.Columns[0] || got.Columns[1] != want.Columns[1] || got.Metric != sdmMetricNames[want.Metric] {
			t.Errorf("pair %d: %s, SDMetrics %s(%v)", i, what, want.Metric, want.Columns)
			continue
		}
		sdmClose(t, what, got.Value, want.Score)
		wantCounted := want.Counted != nil && *want.Counted
		if got.Counted != wantCounted {
			t.Errorf("%s: counted %v, SDMetrics %v", what, got.Counted, wantCounted)
		}
		if wantCounted {
			counted++
		}
		if want.RealCorrelation != nil {
			sdmClose(t, what+" real r", got.RealCorrelation, want.RealCorrelation)
		}
		if want.SyntheticCorrelation != nil {
			sdmClose(t, what+" synthetic r", got.SyntheticCorrelation, want.SyntheticCorrelation)
		}
		if q.Convention == PairFilterSDMetrics && want.Metric == "ContingencySimilarity" && want.Error == nil {
			sdmClose(t, what+" real cramér's v", got.RealAssociation, want.RealAssociation)
		}
		if math.IsNaN(got.Value) && got.Reason == "" {
			t.Errorf("%s: NaN without a reason", what)
		}
		if want.Error != nil {
			kind, _, _ := strings.Cut(*want.Error, ":")
			if !strings.Contains(got.Reason, kind) {
				t.Errorf("%s: reason %q does not name SDMetrics' %s", what, got.Reason, kind)
			}
		}
		if want.Score == nil && want.Error == nil && !strings.Contains(got.Reason, "skipped by the sdmetrics pair filter") {
			t.Errorf("%s: reason %q, want a pair-filter skip", what, got.Reason)
		}
	}
	if n := rep.PairsCounted(); n != counted {
		t.Errorf("%d pairs counted, SDMetrics %d", n, counted)
	}
	sdmClose(t, "column shapes", rep.ColumnShapes, q.Properties["Column Shapes"])
	sdmClose(t, "column pair trends", rep.ColumnPairTrends, q.Properties["Column Pair Trends"])
	sdmClose(t, "overall", rep.Score, q.Score)
}
