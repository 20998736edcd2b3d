package baselines_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/synthor/synthor/llm"
	"github.com/synthor/synthor/methods"
	"github.com/synthor/synthor/synthor"
	"github.com/synthor/synthor/table"
)

// mixedTable returns n rows of every column kind, with missing values in
// most columns at known shares.
func mixedTable(n int, seed uint64) *table.Table {
	r := rand.New(rand.NewPCG(seed, 99))
	colors := []string{"red", "green", "blue", "black"}
	cat := make([]int32, n)
	ints := make([]int64, n)
	intNull := make([]bool, n)
	fl := make([]float64, n)
	dt := make([]int64, n)
	dtNull := make([]bool, n)
	txt := make([]string, n)
	txtNull := make([]bool, n)
	for i := 0; i < n; i++ {
		cat[i] = int32(r.IntN(4))
		if r.Float64() < 0.1 {
			cat[i] = table.Missing
		}
		ints[i] = int64(20 + r.IntN(50))
		intNull[i] = r.Float64() < 0.2
		if intNull[i] {
			ints[i] = 0
		}
		fl[i] = float64(ints[i])*3.5 + r.NormFloat64()*10
		if r.Float64() < 0.05 {
			fl[i] = math.NaN()
		}
		dt[i] = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(365*24)) * time.Hour).UnixNano()
		dtNull[i] = r.Float64() < 0.03
		if dtNull[i] {
			dt[i] = 0
		}
		txt[i] = fmt.Sprintf("word-%d", r.IntN(30))
		txtNull[i] = r.Float64() < 0.15
		if txtNull[i] {
			txt[i] = ""
		}
	}
	cols := []*table.Column{
		table.NewCategorical("color", colors, cat),
		table.NewInteger("count", ints, intNull),
		table.NewFloat("amount", fl),
		table.NewDatetime("when", dt, dtNull),
		table.NewText("note", txt, txtNull),
	}
	return table.MustNew(cols...)
}

// edgeTable returns n rows with edge columns: a constant category, a
// constant number, a categorical column with n distinct values, a text
// column with n distinct values, an all-missing float and an all-missing
// categorical, beside one ordinary column.
func edgeTable(n int) *table.Table {
	konst := make([]int32, n)
	kf := make([]float64, n)
	hi := make([]int32, n)
	hiDict := make([]string, n)
	hiTxt := make([]string, n)
	miss := make([]float64, n)
	missCat := make([]int32, n)
	ord := make([]float64, n)
	for i := 0; i < n; i++ {
		kf[i] = 7
		hi[i] = int32(i)
		hiDict[i] = fmt.Sprintf("id-%05d", i)
		hiTxt[i] = fmt.Sprintf("name-%05d", (i*7919)%n)
		miss[i] = math.NaN()
		missCat[i] = table.Missing
		ord[i] = float64(i % 97)
	}
	return table.MustNew(
		table.NewCategorical("const", []string{"only"}, konst),
		table.NewFloat("const_num", kf),
		table.NewCategorical("high_card", hiDict, hi),
		table.NewText("high_card_text", hiTxt, nil),
		table.NewFloat("all_missing", miss),
		table.NewCategorical("all_missing_cat", []string{"a", "b"}, missCat),
		table.NewFloat("ordinary", ord),
	)
}

// copyingClient is a fake LLM that answers each call with k training rows
// as JSON lines (k read from the prompt), picked from the request seed.
func copyingClient(train *table.Table) llm.Client {
	re := regexp.MustCompile(`Generate (\d+) records`)
	return llm.ClientFunc(func(_ context.Context, req llm.Request) (*llm.Response, error) {
		m := re.FindStringSubmatch(req.Messages[len(req.Messages)-1].Content)
		if m == nil {
			return nil, fmt.Errorf("fake: no record count in the prompt")
		}
		k, _ := strconv.Atoi(m[1])
		r := rand.New(rand.NewPCG(uint64(*req.Seed), 5))
		var sb strings.Builder
		for e := 0; e < k; e++ {
			sb.Write(rowJSON(train, r.IntN(train.NumRows())))
			sb.WriteByte('\n')
		}
		return &llm.Response{Text: sb.String(), Usage: llm.Usage{PromptTokens: 100, CompletionTokens: 10 * k}}, nil
	})
}

func rowJSON(t *table.Table, i int) []byte {
	obj := map[string]any{}
	for _, c := range t.Cols {
		switch {
		case c.IsNull(i):
			obj[c.Name] = nil
		case c.Kind == table.Integer || c.Kind == table.Float:
			obj[c.Name] = json.Number(c.String(i))
		default:
			obj[c.Name] = c.String(i)
		}
	}
	b, _ := json.Marshal(obj)
	return b
}

// methodsFor returns every method of the registry (LLMSynthor and the
// baselines) configured to run on train.
func methodsFor(t *testing.T, train *table.Table) map[string]methods.Synthesizer {
	t.Helper()
	out := map[string]methods.Synthesizer{}
	for _, name := range methods.Names() {
		var opts methods.Options
		var params map[string]any
		switch name {
		case "ipu":
			continue // weights a seed sample to controls, not a table: ipu_test.go checks it on a household seed
		case "llm-icl":
			opts.Client = copyingClient(train)
			params = map[string]any{"batch": 500}
		case "external":
			if _, err := exec.LookPath("awk"); err != nil {
				continue
			}
			script, err := filepath.Abs("../examples/external/bootstrap.sh")
			if err != nil {
				t.Fatal(err)
			}
			params = map[string]any{"command": "sh " + script, "timeout": "60s"}
		}
		s, err := methods.New(name, params, opts)
		if err != nil {
			t.Fatalf("New(%q): %v", name, err)
		}
		out[name] = s
	}
	return out
}

// checkFreshIDs checks that an identifier column made afresh holds
// distinct values, none of them a training value.
func checkFreshIDs(t *testing.T, c, train *table.Column) {
	t.Helper()
	real := map[string]bool{}
	for i := range train.Len() {
		if !train.IsNull(i) {
			real[train.String(i)] = true
		}
	}
	seen := map[string]bool{}
	for i := range c.Len() {
		if c.IsNull(i) {
			continue
		}
		v := c.String(i)
		if real[v] {
			t.Errorf("identifier column %q copies the training value %q", c.Name, v)
			return
		}
		if seen[v] {
			t.Errorf("identifier column %q repeats %q", c.Name, v)
			return
		}
		seen[v] = true
	}
}

// knownGaps are the checks of the battery a method is known to fail, with
// why. The checks still run: a failure is logged as the known gap instead
// of failing the test, so the entry must go once the method is fixed.
var knownGaps = map[string]map[string]string{}

// reporter returns t.Errorf, or t.Logf prefixed with the gap when method
// is known to fail check.
func reporter(t *testing.T, method, check string) func(format string, a ...any) {
	if why, ok := knownGaps[method][check]; ok {
		return func(format string, a ...any) { t.Logf("known gap (%s): "+format, append([]any{why}, a...)...) }
	}
	return t.Errorf
}

func csvBytes(t *testing.T, tb *table.Table) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := table.WriteCSV(&b, tb); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// battery checks one fitted method's output against the training table.
// missingTol is the allowed gap in each column's missing share.
func battery(t *testing.T, s methods.Synthesizer, train *table.Table, n int, missingTol float64) {
	t.Helper()
	ctx := context.Background()
	out, err := s.Sample(ctx, n, 42)
	if err != nil {
		t.Fatalf("sample: %v", err)
	}
	// Schema kept.
	if got, want := strings.Join(out.Names(), ","), strings.Join(train.Names(), ","); got != want {
		t.Fatalf("columns %s, want %s", got, want)
	}
	if out.NumRows() != n {
		t.Fatalf("%d rows, want %d", out.NumRows(), n)
	}
	ipf := s.Name() == "ipf"
	// Identifier columns a method reports making afresh keep no training
	// value (and so no training dictionary).
	ids := map[string]bool{}
	if sm, ok := s.(methods.Summarizer); ok && sm.Result() != nil {
		for _, c := range sm.Result().Columns {
			ids[c.Name] = c.How == synthor.ColumnIdentifier
		}
	}
	rangeErr, missErr := reporter(t, s.Name(), "range"), reporter(t, s.Name(), "missing")
	for j, c := range out.Cols {
		tc := train.Cols[j]
		if c.Kind != tc.Kind {
			t.Errorf("column %q is %s, want %s", c.Name, c.Kind, tc.Kind)
			continue
		}
		if ids[c.Name] {
			checkFreshIDs(t, c, tc)
		} else if c.Kind == table.Categorical && strings.Join(c.Dict, "\x00") != strings.Join(tc.Dict, "\x00") {
			t.Errorf("column %q: dictionary changed", c.Name)
		}
		// The table invariant: Nulls nil when nothing is missing, and
		// missing positions hold the zero value.
		if c.Nulls != nil && c.NullCount() == 0 {
			t.Errorf("column %q: non-nil Nulls without a missing value", c.Name)
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range tc.Values() {
			lo, hi = min(lo, v), max(hi, v)
		}
		seen := map[string]bool{}
		if c.Kind == table.Text {
			for i, x := range tc.Strs {
				if !tc.IsNull(i) {
					seen[x] = true
				}
			}
		}
		for i := 0; i < n; i++ {
			if c.IsNull(i) {
				if c.Kind == table.Categorical && c.Codes[i] != table.Missing {
					t.Fatalf("column %q row %d: null with code %d", c.Name, i, c.Codes[i])
				}
				continue
			}
			switch {
			case c.Kind == table.Categorical:
				if c.Codes[i] < 0 || int(c.Codes[i]) >= len(c.Dict) {
					t.Fatalf("column %q row %d: invalid code %d", c.Name, i, c.Codes[i])
				}
			case c.Kind.Numeric():
				if v := c.Float(i); !(v >= lo && v <= hi) {
					rangeErr("column %q row %d: %g outside the observed range [%g, %g]", c.Name, i, v, lo, hi)
					i = n // one report per column
				}
			case c.Kind == table.Text && !ids[c.Name]:
				if !seen[c.Strs[i]] {
					t.Fatalf("column %q row %d: %q was never observed", c.Name, i, c.Strs[i])
				}
			}
		}
		if ipf && c.Kind == table.Text {
			continue // documented: targets cannot describe text
		}
		real := float64(tc.NullCount()) / float64(tc.Len())
		synth := float64(c.NullCount()) / float64(max(n, 1))
		if math.Abs(real-synth) > missingTol {
			missErr("column %q: missing share %.3f, training %.3f", c.Name, synth, real)
		}
	}
	// Same seed, same bytes; another seed, other bytes.
	again, err := s.Sample(ctx, n, 42)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(csvBytes(t, out), csvBytes(t, again)) {
		t.Errorf("same seed gave different output")
	}
	other, err := s.Sample(ctx, n, 43)
	if err != nil {
		t.Fatal(err)
	}
	if n > 10 && bytes.Equal(csvBytes(t, out), csvBytes(t, other)) {
		t.Errorf("seeds 42 and 43 gave identical output")
	}
}

func TestBattery(t *testing.T) {
	ctx := context.Background()
	t.Run("mixed", func(t *testing.T) {
		train := mixedTable(3000, 1)
		for name, s := range methodsFor(t, train) {
			t.Run(name, func(t *testing.T) {
				if err := s.Fit(ctx, train); err != nil {
					t.Fatalf("fit: %v", err)
				}
				battery(t, s, train, 2000, 0.04)
			})
		}
	})
	t.Run("edge columns", func(t *testing.T) {
		train := edgeTable(10000)
		for name, s := range methodsFor(t, train) {
			t.Run(name, func(t *testing.T) {
				if why, ok := knownGaps[name]["edge"]; ok {
					defer func() {
						if r := recover(); r != nil {
							t.Skipf("known gap (%s): %v", why, r)
						}
					}()
				}
				if err := s.Fit(ctx, train); err != nil {
					t.Fatalf("fit: %v", err)
				}
				battery(t, s, train, 1000, 0.001)
				out, err := s.Sample(ctx, 500, 1)
				if err != nil {
					t.Fatal(err)
				}
				if c := out.Col("all_missing"); c.NullCount() != 500 {
					t.Errorf("all_missing: %d of 500 missing", c.NullCount())
				}
				k, kf := out.Col("const"), out.Col("const_num")
				for i := 0; i < 500; i++ {
					if k.Codes[i] != 0 || kf.Floats[i] != 7 {
						t.Fatalf("row %d: constant columns hold %q, %g", i, k.String(i), kf.Floats[i])
					}
				}
			})
		}
	})
	t.Run("zero rows", func(t *testing.T) {
		train := mixedTable(200, 2)
		for name, s := range methodsFor(t, train) {
			t.Run(name, func(t *testing.T) {
				if err := s.Fit(ctx, train); err != nil {
					t.Fatalf("fit: %v", err)
				}
				out, err := s.Sample(ctx, 0, 1)
				if why, ok := knownGaps[name]["zero"]; ok && err != nil {
					t.Skipf("known gap (%s): %v", why, err)
				}
				if err != nil {
					t.Fatal(err)
				}
				if out.NumRows() != 0 || out.NumCols() != train.NumCols() {
					t.Errorf("%d x %d, want 0 x %d", out.NumRows(), out.NumCols(), train.NumCols())
				}
			})
		}
	})
}
