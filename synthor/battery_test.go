package synthor

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/synthor/synthor/table"
)

// batteryTable builds a table with what real data has: a numeric column
// missing in 40 % of rows, a float with 6 values (2 decimals), an integer
// year, a spike holding 90 % of rows, an all-missing column, a constant, a
// unique identifier, free text, and a categorical column with missing
// values.
func batteryTable(n int) *table.Table {
	r := rand.New(rand.NewPCG(7, 8))
	income := make([]float64, n)
	incNull := make([]bool, n)
	rate := make([]float64, n)
	year := make([]int64, n)
	spike := make([]int64, n)
	empty := make([]float64, n)
	konst := make([]int64, n)
	ids := make([]string, n)
	notes := make([]string, n)
	cat := make([]int32, n)
	rates := []float64{0.25, 0.5, 1.75, 2.5, 3.1, 4.05}
	words := []string{"late delivery", "great", "ok", "would buy again", "broken on arrival"}
	for i := range n {
		if r.Float64() < 0.4 {
			incNull[i] = true
			income[i] = math.NaN()
		} else {
			income[i] = math.Round(20000+r.ExpFloat64()*15000) + 0.5
		}
		rate[i] = rates[r.IntN(len(rates))]
		year[i] = []int64{1990, 1995, 2000, 2005, 2010, 2015, 2020}[r.IntN(7)] + int64(r.IntN(2))
		if r.Float64() >= 0.9 {
			spike[i] = 1 + r.Int64N(5000)
		}
		empty[i] = math.NaN()
		konst[i] = 7
		ids[i] = fmt.Sprintf("ID-%06d", 100000+i*7)
		notes[i] = fmt.Sprintf("%s (%d)", words[r.IntN(len(words))], r.IntN(80))
		cat[i] = int32(r.IntN(3))
		if r.Float64() < 0.2 {
			cat[i] = table.Missing
		}
	}
	inc := table.NewFloat("income", income)
	inc.Nulls = incNull
	emptyCol := table.NewFloat("empty", empty)
	emptyCol.Nulls = make([]bool, n)
	for i := range emptyCol.Nulls {
		emptyCol.Nulls[i] = true
	}
	return table.MustNew(
		inc,
		table.NewFloat("rate", rate),
		table.NewInteger("year", year, nil),
		table.NewInteger("spike", spike, nil),
		emptyCol,
		table.NewInteger("constant", konst, nil),
		table.NewText("id", ids, nil),
		table.NewText("note", notes, nil),
		table.NewCategorical("colour", []string{"red", "green", "blue"}, cat),
	)
}

// TestBattery runs LLMSynthor with defaults on the battery table written to
// CSV and to JSON lines and read back (the columns' kinds as a reader
// infers them), under a timeout, and checks the output's shape, missing
// shares, domains and value sets against the input's.
func TestBattery(t *testing.T) {
	src := batteryTable(3000)
	for _, ext := range []string{"csv", "jsonl"} {
		t.Run(ext, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "battery."+ext)
			if err := table.WriteFile(path, src); err != nil {
				t.Fatal(err)
			}
			ref, err := table.ReadFile(path, table.ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			s, err := New(DefaultConfig, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Fit(ctx, ref); err != nil {
				t.Fatal(err)
			}
			out, res, err := s.SampleResult(ctx, 2000, 3)
			if err != nil {
				t.Fatal(err)
			}
			if out.NumRows() != 2000 || !slices.Equal(out.Names(), ref.Names()) {
				t.Fatalf("shape %d × %v, want 2000 × %v", out.NumRows(), out.Names(), ref.Names())
			}
			handled := map[string]string{}
			for _, h := range res.Columns {
				handled[h.Name] = h.How
			}
			for name, how := range map[string]string{"empty": ColumnAllMissing, "constant": ColumnConstant, "id": ColumnIdentifier, "note": ColumnFreeText} {
				if handled[name] != how {
					t.Errorf("column %s handled as %q, want %q (all: %v)", name, handled[name], how, res.Columns)
				}
			}
			for _, rc := range ref.Cols {
				sc := out.Col(rc.Name)
				if sc.Kind != rc.Kind {
					t.Errorf("%s: kind %s, want %s", rc.Name, sc.Kind, rc.Kind)
				}
				rm := float64(rc.NullCount()) / float64(rc.Len())
				sm := float64(sc.NullCount()) / float64(sc.Len())
				if math.Abs(rm-sm) > 0.03 {
					t.Errorf("%s: missing share %.3f, want %.3f", rc.Name, sm, rm)
				}
				rv, sv := valueSet(rc), valueSet(sc)
				switch rc.Name {
				case "rate", "year", "constant", "colour", "note":
					for v := range sv {
						if !rv[v] {
							t.Errorf("%s: value %q is not in the input", rc.Name, v)
						}
					}
				case "id":
					seen := 0
					for v := range sv {
						if rv[v] {
							seen++
						}
						if len(v) != len("ID-000000") || v[:3] != "ID-" {
							t.Errorf("id %q has not the shape ID-999999", v)
							break
						}
					}
					if len(sv) != out.NumRows() {
						t.Errorf("ids: %d distinct of %d", len(sv), out.NumRows())
					}
				}
				if rc.Kind.Numeric() && rc.NullCount() < rc.Len() {
					lo, hi := minMax(rc.Values())
					slo, shi := minMax(sc.Values())
					if slo < lo || shi > hi {
						t.Errorf("%s: output range [%g, %g] leaves the input's [%g, %g]", rc.Name, slo, shi, lo, hi)
					}
				}
			}
			// The spike at 0 keeps its share.
			zero := 0
			for _, x := range out.Col("spike").Ints {
				if x == 0 {
					zero++
				}
			}
			if share := float64(zero) / 2000; math.Abs(share-0.9) > 0.02 {
				t.Errorf("spike: share of 0 is %.3f, want 0.9", share)
			}
		})
	}
}

func valueSet(c *table.Column) map[string]bool {
	out := map[string]bool{}
	for i := range c.Len() {
		if !c.IsNull(i) {
			out[c.String(i)] = true
		}
	}
	return out
}

// TestNonFiniteIsAnError checks that a NaN in a float column that is not
// marked missing is a one-line error naming the column and row.
func TestNonFiniteIsAnError(t *testing.T) {
	tb := table.MustNew(table.NewFloat("x", []float64{1, 2, math.Inf(1), 4}), table.NewCategorical("c", []string{"a", "b"}, []int32{0, 1, 0, 1}))
	s, _ := New(DefaultConfig, nil)
	err := s.Fit(context.Background(), tb)
	if err == nil || err.Error() != `llmsynthor: column "x", row 3: +Inf is not a finite number (read it as missing)` {
		t.Fatalf("err = %v", err)
	}
}

// TestStallNamesVariables checks that a planner whose every proposal is
// rejected ends the run with an error naming the variable.
func TestStallNamesVariables(t *testing.T) {
	ref := batteryTable(200)
	plan := &Plan{Proposals: []Proposal{{Values: map[string]Value{"colour": Cat("purple")}, Num: 5}}}
	s, _ := New(DefaultConfig, &scripted{plans: []*Plan{plan}})
	if err := s.Fit(context.Background(), ref); err != nil {
		t.Fatal(err)
	}
	_, _, err := s.SampleResult(context.Background(), 50, 1)
	if err == nil || !containsAll(err.Error(), "no records added", "colour") {
		t.Fatalf("err = %v", err)
	}
}

// TestCancelledRunStops checks that every iteration checks the context.
func TestCancelledRunStops(t *testing.T) {
	ref := batteryTable(200)
	s, _ := New(DefaultConfig, nil)
	if err := s.Fit(context.Background(), ref); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Sample(ctx, 100, 1); err == nil {
		t.Fatal("a cancelled run succeeded")
	}
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// TestConcurrentSampling samples one fitted Synthesizer from several
// goroutines (run with -race): each run gives what it gives alone.
func TestConcurrentSampling(t *testing.T) {
	ref := batteryTable(1000)
	s, err := New(DefaultConfig, nil)
	if err != nil {
		t.Fatal(err)
	}
	var trace strings.Builder
	s.Trace = &syncWriter{w: &trace}
	if err := s.Fit(context.Background(), ref); err != nil {
		t.Fatal(err)
	}
	alone, resAlone, err := s.SampleResult(context.Background(), 300, 5)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	outs := make([]*table.Table, 4)
	errs := make([]error, 4)
	for i := range outs {
		wg.Go(func() {
			var res *Result
			outs[i], res, errs[i] = s.SampleResult(context.Background(), 300, 5)
			if errs[i] == nil && res.Records != resAlone.Records {
				errs[i] = fmt.Errorf("records %d, alone %d", res.Records, resAlone.Records)
			}
		})
	}
	wg.Wait()
	for i := range outs {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if d := table.Diff(outs[i], alone); d != "" {
			t.Fatalf("run %d differs from the same seed alone: %s", i, d)
		}
	}
}

// syncWriter is a writer tests read after the runs end.
type syncWriter struct {
	mu sync.Mutex
	w  *strings.Builder
}

func (w *syncWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(b)
}

// TestMissingProposal checks that a proposal may set a variable to missing
// (JSON null) where the target has missing values, and that null is
// repaired where it has none.
func TestMissingProposal(t *testing.T) {
	ref := batteryTable(300)
	plan := &Plan{Proposals: []Proposal{{Values: map[string]Value{"income": Missing(), "rate": Missing()}, Num: 10}}}
	cfg := DefaultConfig
	cfg.Iterations = 1
	s, out := fitSample(t, cfg, &scripted{plans: []*Plan{plan}}, ref, 10, 1)
	if n := out.Col("income").NullCount(); n != 10 {
		t.Fatalf("income missing in %d of 10 rows", n)
	}
	if n := out.Col("rate").NullCount(); n != 0 {
		t.Fatalf("rate (never missing) missing in %d rows", n)
	}
	if s.Result().Repairs[RepairMissingNotAllowed] != 1 {
		t.Fatalf("repairs %v", s.Result().Repairs)
	}
}

// TestConfigSettings checks the new settings' validation and the paper
// profile.
func TestConfigSettings(t *testing.T) {
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{Sampling: "cubic"}, "sampling"},
		{Config{Profile: "fast"}, "profile"},
		{Config{Bins: 1}, "bins"},
		{Config{Iterations: -1}, "iterations"},
		{Config{Fine: -2}, "fine"},
		{Config{PointShare: 2}, "point_share"},
	} {
		if err := c.cfg.Validate(); err == nil || !strings.HasPrefix(err.Error(), c.want+":") {
			t.Errorf("%+v: err %v, want one naming %s", c.cfg, err, c.want)
		}
	}
	s, err := New(Config{Profile: ProfilePaper}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := s.Config
	if got.Sampling != SamplingUniform || got.NJoints != 3 || got.Bins != 6 || got.Fine != 8 || got.PointShare >= 0 || got.Discrete >= 0 || got.Proposals != 5 {
		t.Fatalf("profile=paper gave %+v", got)
	}
	d, _ := New(Config{}, nil)
	if d.Config.Sampling != SamplingFine || d.Config.NJoints != 0 || d.Config.Proposals != StatProposals {
		t.Fatalf("defaults gave %+v", d.Config)
	}
}
