package metrics

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/synthor/synthor/table"
)

func init() {
	// -update rewrites golden files; defined here unless another test file
	// of the package already did.
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files in testdata")
	}
}

func sdmUpdating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

func sdmReport(t *testing.T, real, synth *table.Table, filter string) *QualityReport {
	t.Helper()
	rep, err := NewQualityReport(context.Background(), real, synth, QualityConfig{PairFilter: filter})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func sdmColumnScore(t *testing.T, rep *QualityReport, name string) ColumnShape {
	t.Helper()
	for _, c := range rep.Columns {
		if c.Column == name {
			return c
		}
	}
	t.Fatalf("no column %q in the report", name)
	return ColumnShape{}
}

func sdmPairScore(t *testing.T, rep *QualityReport, a, b string) PairTrend {
	t.Helper()
	for _, p := range rep.Pairs {
		if p.Columns == [2]string{a, b} {
			return p
		}
	}
	t.Fatalf("no pair (%s, %s) in the report", a, b)
	return PairTrend{}
}

func sdmNear(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > tol {
		t.Errorf("%s = %.17g, want %.17g", what, got, want)
	}
}

func TestQualityConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		cfg     QualityConfig
		wantErr string
	}{
		{QualityConfig{}, ""},
		{DefaultQualityConfig, ""},
		{QualityConfig{PairFilter: "all", Workers: 3}, ""},
		{QualityConfig{PairFilter: "some"}, `pair_filter "some"`},
		{QualityConfig{Workers: -1}, "workers -1"},
	} {
		t.Run(tc.cfg.PairFilter+"/"+tc.wantErr, func(t *testing.T) {
			err := tc.cfg.Validate()
			if tc.wantErr == "" && err != nil {
				t.Fatalf("unexpected error %v", err)
			}
			if tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("error %v, want one naming %s", err, tc.wantErr)
			}
		})
	}
}

// TestQualityIdentical: a table scored against itself gets 1 for every
// defined score, under both conventions (SDMetrics' definition: D = 0, no
// variation, equal correlations).
func TestQualityIdentical(t *testing.T) {
	adult := sdmReadCSV(t, "adult_train.csv.gz", "adult_metadata.json")
	edge := sdmReadCSV(t, "edge_real.csv", "edge_metadata.json")
	for _, tc := range []struct {
		name string
		tb   *table.Table
	}{{"adult", adult}, {"edge", edge}} {
		for _, filter := range []string{PairFilterAll, PairFilterSDMetrics} {
			t.Run(tc.name+"/"+filter, func(t *testing.T) {
				rep := sdmReport(t, tc.tb, tc.tb, filter)
				for _, s := range rep.Scores() {
					if s.OK() {
						sdmNear(t, s.Name+strings.Join(s.Columns, ","), s.Value, 1, 1e-12)
					} else if s.Reason == "" {
						t.Errorf("%s %v: undefined without a reason", s.Name, s.Columns)
					}
				}
				if tc.name == "adult" {
					// No column of Adult is constant or empty: everything
					// has a value under "all".
					for _, s := range rep.Scores() {
						if filter == PairFilterAll && !s.OK() {
							t.Errorf("%s %v undefined: %s", s.Name, s.Columns, s.Reason)
						}
					}
					if rep.Score != 1 || rep.ColumnShapes != 1 || rep.ColumnPairTrends != 1 {
						t.Errorf("overall %v, shapes %v, trends %v, want 1", rep.Score, rep.ColumnShapes, rep.ColumnPairTrends)
					}
				}
			})
		}
	}
}

// TestQualityDefinitions checks cases the goldens do not cover against
// closed forms.
func TestQualityDefinitions(t *testing.T) {
	t.Run("disjoint categories give tv_complement 0 up to the 1e-6 term", func(t *testing.T) {
		real := table.MustNew(table.NewCategorical("c", []string{"a", "b"}, []int32{0, 1, 1, 0, 0}))
		synth := table.MustNew(table.NewCategorical("c", []string{"c", "d"}, []int32{0, 1, 1}))
		rep := sdmReport(t, real, synth, PairFilterAll)
		// Real shares n_c/(n+2e-6), unseen ones 1e-6/(n+2e-6): the
		// complement is 2e-6/(n+2e-6) with n = 5.
		sdmNear(t, "tv_complement", sdmColumnScore(t, rep, "c").Value, 2e-6/(5+2e-6), 1e-15)
	})
	t.Run("numbers beyond the real range give ks_complement 0", func(t *testing.T) {
		real := table.MustNew(
			table.NewFloat("f", []float64{1, 2.5, 3, math.NaN()}),
			table.NewInteger("i", []int64{1, 2, 3, 4}, nil),
			table.NewDatetime("d", []int64{1e18, 2e18, 3e18, 4e18}, nil),
		)
		synth := table.MustNew(
			table.NewFloat("f", []float64{3.5, 4, 10}),
			table.NewInteger("i", []int64{5, 6, 1 << 40}, nil),
			table.NewDatetime("d", []int64{5e18, 6e18, 7e18}, nil),
		)
		rep := sdmReport(t, real, synth, PairFilterAll)
		for _, c := range []string{"f", "i", "d"} {
			sdmNear(t, "ks_complement("+c+")", sdmColumnScore(t, rep, c).Value, 0, 0)
		}
	})
	t.Run("correlation 0.6 against -0.6 gives 0.4", func(t *testing.T) {
		z1 := []float64{1, 1, -1, -1}
		z2 := []float64{1, -1, 1, -1}
		mk := func(r float64) *table.Table {
			y := make([]float64, 4)
			for i := range y {
				y[i] = r*z1[i] + 0.8*z2[i]
			}
			return table.MustNew(table.NewFloat("x", z1), table.NewFloat("y", y))
		}
		for _, filter := range []string{PairFilterAll, PairFilterSDMetrics} {
			rep := sdmReport(t, mk(0.6), mk(-0.6), filter)
			p := sdmPairScore(t, rep, "x", "y")
			sdmNear(t, filter+" correlation_similarity", p.Value, 0.4, 1e-12)
			sdmNear(t, filter+" real r", p.RealCorrelation, 0.6, 1e-12)
			sdmNear(t, filter+" synthetic r", p.SyntheticCorrelation, -0.6, 1e-12)
			if !p.Counted {
				t.Errorf("%s: |r| = 0.6 > 0.5 should count", filter)
			}
			sdmNear(t, filter+" column pair trends", rep.ColumnPairTrends, 0.4, 1e-12)
		}
	})
	t.Run("weak real correlation is skipped under sdmetrics only", func(t *testing.T) {
		z1 := []float64{1, 1, -1, -1}
		z2 := []float64{1, -1, 1, -1}
		y := make([]float64, 4)
		for i := range y {
			y[i] = 0.3*z1[i] + math.Sqrt(1-0.09)*z2[i]
		}
		tb := table.MustNew(table.NewFloat("x", z1), table.NewFloat("y", y))
		p := sdmPairScore(t, sdmReport(t, tb, tb, PairFilterSDMetrics), "x", "y")
		if p.Counted || !math.IsNaN(p.Value) || !strings.Contains(p.Reason, "skipped by the sdmetrics pair filter") || !strings.Contains(p.Reason, "0.3") {
			t.Errorf("sdmetrics: %+v, want skipped with |r| 0.3 in the reason", p)
		}
		p = sdmPairScore(t, sdmReport(t, tb, tb, PairFilterAll), "x", "y")
		if !p.Counted || p.Value != 1 {
			t.Errorf("all: %+v, want counted with 1", p)
		}
	})
	t.Run("contingency by hand", func(t *testing.T) {
		// Real: (a,x) (a,x) (b,y) (b,y); synthetic: (a,x) (a,y) (b,y) (b,y).
		// Shares differ by 0.25 in two cells: 1 − ½·0.5 = 0.75. The real
		// table is perfectly associated: Cramér's V = 1.
		real := table.MustNew(
			table.NewCategorical("u", []string{"a", "b"}, []int32{0, 0, 1, 1}),
			table.NewCategorical("v", []string{"x", "y"}, []int32{0, 0, 1, 1}),
		)
		synth := table.MustNew(
			table.NewCategorical("u", []string{"b", "a"}, []int32{1, 1, 0, 0}),
			table.NewCategorical("v", []string{"y", "x"}, []int32{1, 0, 0, 0}),
		)
		rep := sdmReport(t, real, synth, PairFilterSDMetrics)
		p := sdmPairScore(t, rep, "u", "v")
		sdmNear(t, "contingency_similarity", p.Value, 0.75, 1e-15)
		sdmNear(t, "real cramér's v", p.RealAssociation, 1, 1e-15)
		sdmNear(t, "tv_complement(v)", sdmColumnScore(t, rep, "v").Value, 0.75, 1e-15)
	})
	t.Run("missing values are a contingency cell but not a tv category", func(t *testing.T) {
		real := table.MustNew(
			table.NewCategorical("u", []string{"a"}, []int32{0, 0, table.Missing, table.Missing}),
			table.NewCategorical("v", []string{"x", "y"}, []int32{0, 1, 0, 1}),
		)
		synth := table.MustNew(
			table.NewCategorical("u", []string{"a"}, []int32{0, 0, 0, 0}),
			table.NewCategorical("v", []string{"x", "y"}, []int32{0, 1, 0, 1}),
		)
		rep := sdmReport(t, real, synth, PairFilterAll)
		sdmNear(t, "tv_complement(u)", sdmColumnScore(t, rep, "u").Value, 1, 0)
		// Real cells (a,x) (a,y) (NaN,x) (NaN,y) a quarter each; synthetic
		// (a,x) (a,y) a half each: ½(0.25·2 + 0.25·2) = 0.5.
		sdmNear(t, "contingency_similarity", sdmPairScore(t, rep, "u", "v").Value, 0.5, 1e-15)
	})
	t.Run("empty and constant columns are undefined with reasons", func(t *testing.T) {
		nan := math.NaN()
		real := table.MustNew(
			table.NewFloat("x", []float64{1, 2, 3, 4}),
			table.NewFloat("k", []float64{5, 5, 5, 5}),
			table.NewFloat("e", []float64{1, 2, 4, 3}),
			table.NewCategorical("c", []string{"a"}, []int32{0, 0, 0, 0}),
		)
		synth := table.MustNew(
			table.NewFloat("x", []float64{1, 3, 2, 4}),
			table.NewFloat("k", []float64{5, 5, 5, 6}),
			table.NewFloat("e", []float64{nan, nan, nan, nan}),
			table.NewCategorical("c", []string{"a"}, []int32{table.Missing, table.Missing, table.Missing, table.Missing}),
		)
		rep := sdmReport(t, real, synth, PairFilterAll)
		for _, tc := range []struct {
			got    float64
			reason string
			want   string
		}{
			{sdmColumnScore(t, rep, "e").Value, sdmColumnScore(t, rep, "e").Reason, "synthetic column has no non-missing value"},
			{sdmColumnScore(t, rep, "c").Value, sdmColumnScore(t, rep, "c").Reason, "IncomputableMetricError"},
			{sdmPairScore(t, rep, "x", "k").Value, sdmPairScore(t, rep, "x", "k").Reason, "real data in column 'k' contains a constant value"},
			{sdmPairScore(t, rep, "x", "e").Value, sdmPairScore(t, rep, "x", "e").Reason, "fewer than 2 rows of the synthetic data"},
		} {
			if !math.IsNaN(tc.got) || !strings.Contains(tc.reason, tc.want) {
				t.Errorf("value %v reason %q, want NaN with %q", tc.got, tc.reason, tc.want)
			}
		}
		// A single-category column has no Cramér's V: not counted under
		// sdmetrics.
		rep = sdmReport(t, real, real, PairFilterSDMetrics)
		p := sdmPairScore(t, rep, "x", "c")
		if p.Counted || !strings.Contains(p.Reason, "undefined") {
			t.Errorf("%+v, want skipped as undefined", p)
		}
	})
	t.Run("text columns are not scored", func(t *testing.T) {
		tb := table.MustNew(table.NewText("t", []string{"a", "b"}, nil), table.NewFloat("x", []float64{1, 2}))
		rep := sdmReport(t, tb, tb, PairFilterAll)
		if len(rep.Columns) != 1 || len(rep.Pairs) != 0 {
			t.Errorf("%d columns %d pairs, want 1 and 0", len(rep.Columns), len(rep.Pairs))
		}
		if !math.IsNaN(rep.ColumnPairTrends) || rep.ColumnPairTrendsReason == "" || rep.Score != 1 {
			t.Errorf("trends %v (%q), overall %v", rep.ColumnPairTrends, rep.ColumnPairTrendsReason, rep.Score)
		}
	})
}

func TestQualityErrors(t *testing.T) {
	x := table.NewFloat("x", []float64{1, 2})
	c := table.NewCategorical("x", []string{"a"}, []int32{0, 0})
	y := table.NewFloat("y", []float64{1, 2})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name        string
		ctx         context.Context
		real, synth *table.Table
		cfg         QualityConfig
		want        string
	}{
		{"absent column", context.Background(), table.MustNew(x, y), table.MustNew(y), QualityConfig{}, `column "x" of the real table is absent`},
		{"kind mismatch", context.Background(), table.MustNew(x), table.MustNew(c), QualityConfig{}, `column "x" is float in the real table but categorical`},
		{"nil table", context.Background(), nil, table.MustNew(x), QualityConfig{}, "required"},
		{"bad filter", context.Background(), table.MustNew(x), table.MustNew(x), QualityConfig{PairFilter: "most"}, "pair_filter"},
		{"cancelled", ctx, table.MustNew(x, y), table.MustNew(x, y), QualityConfig{}, "context canceled"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewQualityReport(tc.ctx, tc.real, tc.synth, tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			if tc.name == "cancelled" && !errors.Is(err, context.Canceled) {
				t.Fatalf("error %v does not wrap context.Canceled", err)
			}
		})
	}
}

// TestQualityWorkers: the report does not depend on the number of
// goroutines.
func TestQualityWorkers(t *testing.T) {
	real := sdmReadCSV(t, "edge_real.csv", "edge_metadata.json")
	synth := sdmReadCSV(t, "edge_synth.csv", "edge_metadata.json")
	var want []byte
	for _, w := range []int{1, 2, 7} {
		rep, err := NewQualityReport(context.Background(), real, synth, QualityConfig{PairFilter: PairFilterAll, Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		got, err := json.Marshal(rep.Scores())
		if err != nil {
			t.Fatal(err)
		}
		if want == nil {
			want = got
		} else if !bytes.Equal(got, want) {
			t.Fatalf("workers=%d gives different scores", w)
		}
	}
}

// TestSDMetricsScores checks the rows the metric group returns.
func TestSDMetricsScores(t *testing.T) {
	real := sdmReadCSV(t, "edge_real.csv", "edge_metadata.json")
	synth := sdmReadCSV(t, "edge_synth.csv", "edge_metadata.json")
	for _, filter := range []string{"", PairFilterAll} {
		t.Run("filter="+filter, func(t *testing.T) {
			scores, err := SDMetrics(context.Background(), Input{Real: real, Synth: synth, PairFilter: filter})
			if err != nil {
				t.Fatal(err)
			}
			want := filter
			if want == "" {
				want = PairFilterSDMetrics
			}
			// 10 columns, 45 pairs, 3 aggregates.
			if len(scores) != 10+45+3 {
				t.Fatalf("%d scores, want 58", len(scores))
			}
			names := map[string]int{}
			for i, s := range scores {
				names[s.Name]++
				if s.Group != "sdmetrics" || s.Better != Higher {
					t.Errorf("score %d: group %q better %q", i, s.Group, s.Better)
				}
				if !s.OK() && s.Reason == "" {
					t.Errorf("score %d (%s %v): undefined without a reason", i, s.Name, s.Columns)
				}
				if i >= 10 && s.Params["pair_filter"] != want {
					t.Errorf("score %d (%s): pair_filter %v, want %s", i, s.Name, s.Params["pair_filter"], want)
				}
			}
			for name, n := range map[string]int{
				NameKSComplement: 6, NameTVComplement: 4,
				NameCorrelationSimilarity: 15, NameContingencySimilarity: 30,
				NameColumnShapes: 1, NameColumnPairTrends: 1, NameSDMetricsQuality: 1,
			} {
				if names[name] != n {
					t.Errorf("%d %s rows, want %d", names[name], name, n)
				}
			}
			last := scores[len(scores)-1]
			if last.Name != NameSDMetricsQuality {
				t.Fatalf("last row %s", last.Name)
			}
			b, err := json.Marshal(scores)
			if err != nil {
				t.Fatal(err)
			}
			// A skipped pair is a null value with its reason.
			if filter == "" && !bytes.Contains(b, []byte(`"value":null,"better":"higher","reason":"skipped by the sdmetrics pair filter`)) &&
				!bytes.Contains(b, []byte(`"reason":"skipped by the sdmetrics pair filter`)) {
				t.Errorf("no skipped pair in %s", b)
			}
		})
	}
}

func TestWriteQualitySummary(t *testing.T) {
	real := sdmReadCSV(t, "edge_real.csv", "edge_metadata.json")
	synth := sdmReadCSV(t, "edge_synth.csv", "edge_metadata.json")
	adult := sdmReadCSV(t, "adult_train.csv.gz", "adult_metadata.json")
	indep := sdmReadCSV(t, "adult_indep.csv.gz", "adult_metadata.json")
	for _, tc := range []struct {
		name        string
		real, synth *table.Table
		filter      string
	}{
		{"edge_all", real, synth, PairFilterAll},
		{"edge_sdmetrics", real, synth, PairFilterSDMetrics},
		{"adult_indep_sdmetrics", adult, indep, PairFilterSDMetrics},
	} {
		t.Run(tc.name, func(t *testing.T) {
			scores, err := SDMetrics(context.Background(), Input{Real: tc.real, Synth: tc.synth, PairFilter: tc.filter})
			if err != nil {
				t.Fatal(err)
			}
			// Through JSON, as a report renderer receives them.
			b, err := json.Marshal(scores)
			if err != nil {
				t.Fatal(err)
			}
			var back []Score
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if err := WriteQualitySummary(&out, back); err != nil {
				t.Fatal(err)
			}
			sdmGoldenFile(t, filepath.Join(sdmDir, "summary_"+tc.name+".golden"), out.Bytes())
		})
	}
	t.Run("no report", func(t *testing.T) {
		err := WriteQualitySummary(&bytes.Buffer{}, []Score{{Name: "tvd", Group: "fidelity"}})
		if err == nil || !strings.Contains(err.Error(), "no sdmetrics_quality score") {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("write error", func(t *testing.T) {
		scores, err := SDMetrics(context.Background(), Input{Real: real, Synth: synth})
		if err != nil {
			t.Fatal(err)
		}
		err = WriteQualitySummary(sdmFailWriter{}, scores)
		if !errors.Is(err, errSDMWrite) {
			t.Fatalf("error %v, want the writer's", err)
		}
	})
}

var errSDMWrite = errors.New("disk full")

type sdmFailWriter struct{}

func (sdmFailWriter) Write([]byte) (int, error) { return 0, errSDMWrite }

// sdmGoldenFile compares got with the golden file, rewriting it under
// -update and leaving got beside it as .got on a mismatch.
func sdmGoldenFile(t *testing.T, path string, got []byte) {
	t.Helper()
	if sdmUpdating() {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		_ = os.WriteFile(path+".got", got, 0o644)
		t.Errorf("%s differs from the golden file (got in %s.got):\n%s", path, path, got)
	}
}

// TestSDMetricsPathsAgree: the fast paths (counted integers, bitset
// contingency tables, interleaved count tables) give what the plain ones
// give.
func TestSDMetricsPathsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	for _, n := range []int{5, 64, 1000, 20000} {
		for _, span := range []int64{1, 7, 300, 1 << 20} {
			t.Run(fmt.Sprintf("n=%d/span=%d", n, span), func(t *testing.T) {
				mk := func(shift int64) *table.Column {
					v := make([]int64, n)
					for i := range v {
						v[i] = shift + rng.Int64N(span)
						if rng.IntN(10) == 0 {
							v[i] = shift // a frequent value
						}
					}
					return table.NewInteger("x", v, nil)
				}
				a, b := mk(0), mk(span/3)
				col := &sdmCol{name: "x", cont: true, side: [2]*table.Column{a, b}, rows: [2]int{n, n}}
				got := col.prepare()
				want, _ := sdmKSComplement(a, b)
				sdmNear(t, "counted ks_complement", got.Value, want, 1e-12)
				for s, c := range []*table.Column{a, b} {
					mean, sxx := sdmMeanSxx(c.Ints)
					sdmNear(t, "counted mean", col.st[s].mean, mean, 1e-9*math.Abs(mean)+1e-12)
					sdmNear(t, "counted sxx", col.st[s].sxx, sxx, 1e-9*sxx+1e-12)
				}
				// Contingency counts: row lists on either side and both
				// increment kernels. The categorical column has a
				// dominant category so that it gets a row list.
				k := 3 + rng.IntN(20)
				codes := make([]int32, n)
				for i := range codes {
					codes[i] = int32(rng.IntN(k))
					if rng.IntN(10) < 7 {
						codes[i] = 2
					}
				}
				dict := make([]string, k)
				for i := range dict {
					dict[i] = strconv.Itoa(i)
				}
				cat := &sdmCol{name: "c", side: [2]*table.Column{table.NewCategorical("c", dict, codes), table.NewCategorical("c", dict, codes)}, rows: [2]int{n, n}}
				cat.prepare()
				cells := col.k * cat.k
				one := sdmCountPair(&col.codes[0], &cat.codes[0], cat.k, make([]int32, cells), 1)
				four := sdmCountPair(&col.codes[0], &cat.codes[0], cat.k, make([]int32, 4*cells), 4)
				if !slices.Equal(four, one) {
					t.Fatalf("counts differ:\none  %v\nfour %v", one, four)
				}
				if n < 1<<10 {
					if cat.listLen(0) >= 0 {
						t.Fatal("row list planned on a small table")
					}
					return
				}
				if cat.listLen(0) < 0 {
					t.Fatal("no row list planned for a column 70% one category")
				}
				cat.sp[0] = newSDMSparse(&cat.codes[0], cat.count[0], n)
				if cat.sp[0].dom != 2 || len(cat.sp[0].rows) != cat.listLen(0) {
					t.Fatalf("row list off code %d with %d rows, want code 2 and %d", cat.sp[0].dom, len(cat.sp[0].rows), cat.listLen(0))
				}
				onB := sdmCountSparse(&col.codes[0], &cat.codes[0], col.k, cat.k, cat.sp[0], false, col.count[0])
				if !slices.Equal(onB, one) {
					t.Fatalf("counts differ:\nplain %v\nlisted %v", one, onB)
				}
				onA := sdmCountSparse(&cat.codes[0], &col.codes[0], cat.k, col.k, cat.sp[0], true, col.count[0])
				plain := sdmCountPair(&cat.codes[0], &col.codes[0], col.k, make([]int32, cells), 1)
				if !slices.Equal(onA, plain) {
					t.Fatalf("counts differ:\nplain %v\nlisted %v", plain, onA)
				}
			})
		}
	}
}

// sdmBruteContingency computes ContingencySimilarity and the real side's
// Cramér's V from the values as strings, with maps: an independent check
// of the coded, listed and sparse counting paths.
func sdmBruteContingency(real, synth [2]*table.Column) (score, v float64) {
	cells := func(c [2]*table.Column) map[[2]string]float64 {
		m := map[[2]string]float64{}
		n := c[0].Len()
		for i := range n {
			m[[2]string{c[0].String(i) + "|" + strconv.FormatBool(c[0].IsNull(i)), c[1].String(i) + "|" + strconv.FormatBool(c[1].IsNull(i))}] += 1 / float64(n)
		}
		return m
	}
	r, s := cells(real), cells(synth)
	tv := 0.0
	for k, x := range r {
		tv += math.Abs(x - s[k])
	}
	for k, y := range s {
		if _, ok := r[k]; !ok {
			tv += y
		}
	}
	rows, cols := map[string]float64{}, map[string]float64{}
	for k, x := range r {
		rows[k[0]] += x
		cols[k[1]] += x
	}
	n := float64(real[0].Len())
	chi2 := 0.0
	for a, ra := range rows {
		for b, cb := range cols {
			e := ra * cb * n
			o := r[[2]string{a, b}] * n
			chi2 += (o - e) * (o - e) / e
		}
	}
	return 1 - tv/2, math.Sqrt(chi2 / n / float64(min(len(rows), len(cols))-1))
}

// TestSDMetricsWideCategories covers wide codes (over 256 categories), the
// plain listed kernels and the sparse path of tables over 4M cells against
// a brute-force computation.
func TestSDMetricsWideCategories(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 5))
	mk := func(name string, n, k int, dominant float64) *table.Column {
		dict := make([]string, k)
		for i := range dict {
			dict[i] = name + strconv.Itoa(i)
		}
		codes := make([]int32, n)
		for i := range codes {
			codes[i] = int32(rng.IntN(k))
			if rng.Float64() < dominant {
				codes[i] = 1
			}
			if rng.IntN(50) == 0 {
				codes[i] = table.Missing
			}
		}
		return table.NewCategorical(name, dict, codes)
	}
	for _, tc := range []struct {
		name      string
		n, ka, kb int
		dominant  float64
	}{
		{"byte codes beyond 128 with row lists", 6000, 250, 9, 0.6},
		{"wide codes with row lists", 6000, 300, 7, 0.6},
		{"wide codes without row lists", 6000, 300, 7, 0},
		{"sparse table over 4M cells", 3000, 2100, 2100, 0.5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// a is the more skewed column: its row list does the counting.
			real := [2]*table.Column{mk("a", tc.n, tc.ka, tc.dominant), mk("b", tc.n, tc.kb, tc.dominant*0.7)}
			synth := [2]*table.Column{mk("a", tc.n+7, tc.ka, tc.dominant), mk("b", tc.n+7, tc.kb, tc.dominant*0.7)}
			wantScore, wantV := sdmBruteContingency(real, synth)
			rep := sdmReport(t, table.MustNew(real[0], real[1]), table.MustNew(synth[0], synth[1]), PairFilterSDMetrics)
			p := sdmPairScore(t, rep, "a", "b")
			sdmNear(t, "real cramér's v", p.RealAssociation, wantV, 1e-9)
			rep = sdmReport(t, table.MustNew(real[0], real[1]), table.MustNew(synth[0], synth[1]), PairFilterAll)
			sdmNear(t, "contingency_similarity", sdmPairScore(t, rep, "a", "b").Value, wantScore, 1e-12)
			// The same pair with every possible row list built, whatever
			// the planner would choose.
			cols, err := sdmColumns(table.MustNew(real[0], real[1]), table.MustNew(synth[0], synth[1]))
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range cols {
				c.prepare()
				for s := range 2 {
					if c.listLen(s) >= 0 {
						c.sp[s] = newSDMSparse(&c.codes[s], c.count[s], c.rows[s])
					}
				}
			}
			if tc.dominant > 0 && cols[0].sp[0] == nil {
				t.Fatal("no row list for the skewed column")
			}
			sdmNear(t, "listed contingency_similarity", sdmPair(cols[0], cols[1], false).Value, wantScore, 1e-12)
		})
	}
}

// TestSDMetricsKSBrute compares KSComplement with the statistic evaluated
// naively at every value of either sample (ties, negative zero, mixed
// integer and float sides, every sorting path).
func TestSDMetricsKSBrute(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 4))
	ecdf := func(x []float64, v float64) float64 {
		k := 0
		for _, y := range x {
			if y <= v {
				k++
			}
		}
		return float64(k) / float64(len(x))
	}
	for _, tc := range []struct {
		name   string
		n1, n2 int
		gen    func() float64
	}{
		{"coarse floats with ties", 300, 170, func() float64 { return float64(rng.IntN(20)-10) / 4 }},
		{"signed zeros", 50, 60, func() float64 { return []float64{0, math.Copysign(0, -1), 1, -1}[rng.IntN(4)] }},
		{"wide floats", 400, 333, func() float64 { return rng.NormFloat64() * 1e6 }},
		{"small integers as floats", 500, 200, func() float64 { return float64(rng.IntN(7)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := make([]float64, tc.n1)
			b := make([]float64, tc.n2)
			for i := range a {
				a[i] = tc.gen()
			}
			for i := range b {
				b[i] = tc.gen()
			}
			d := 0.0
			for _, v := range append(slices.Clone(a), b...) {
				d = max(d, math.Abs(ecdf(a, v)-ecdf(b, v)))
			}
			got, _ := sdmKSComplement(table.NewFloat("x", a), table.NewFloat("x", b))
			sdmNear(t, "ks_complement", got, 1-d, 1e-12)
			// The same values with an integer real side where they are
			// integers.
			ints := make([]int64, len(a))
			isInt := true
			for i, v := range a {
				ints[i] = int64(v)
				isInt = isInt && float64(ints[i]) == v
			}
			if isInt {
				got, _ = sdmKSComplement(table.NewInteger("x", ints, nil), table.NewFloat("x", b))
				sdmNear(t, "ks_complement (integer real side)", got, 1-d, 1e-12)
			}
		})
	}
}
