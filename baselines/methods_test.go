package baselines_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/synthor/synthor/baselines"
	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/llm"
	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/methods"
	"github.com/synthor/synthor/table"
)

// baselineNames are the registry's methods but LLMSynthor.
func baselineNames() []string {
	return slices.DeleteFunc(methods.Names(), func(n string) bool { return n == "llmsynthor" })
}

// TestEveryBaselineBuilds: each baseline of the registry builds with its
// defaults, names itself, says what it is, and refuses to sample unfitted.
func TestEveryBaselineBuilds(t *testing.T) {
	want := []string{"bayes-net", "bootstrap", "cart", "external", "gaussian-copula", "independent", "ipf", "ipu", "llm-icl", "uniform"}
	if got := baselineNames(); !slices.Equal(got, want) {
		t.Fatalf("baselines %v, want %v", got, want)
	}
	boot, err := methods.Lookup("bootstrap")
	if err != nil || !boot.CopiesRecords || !strings.Contains(boot.Label, "copies real records") {
		t.Errorf("bootstrap must be marked as copying real records: %+v, %v", boot, err)
	}
	if m, _ := methods.Lookup("ipf"); !m.MacroOnly {
		t.Errorf("ipf must be marked macro-only")
	}
	if _, err := baselines.NewICL(nil, baselines.ICLConfig{}); err == nil || err.Error() != "llm-icl: no LLM client configured" {
		t.Errorf("llm-icl without a client: %v", err)
	}
	if _, err := baselines.NewBayesNet(baselines.BayesNetConfig{Epsilon: -1}); err == nil || err.Error() != "bayes-net: epsilon -1 must be a finite number >= 0" {
		t.Errorf("negative epsilon: %v", err)
	}
	for _, name := range baselineNames() {
		params := map[string]any{}
		if name == "external" {
			params["command"] = "true"
		}
		s, err := methods.New(name, params, methods.Options{Client: llm.ClientFunc(nil)})
		if err != nil {
			t.Fatalf("New(%q): %v", name, err)
		}
		if s.Name() != name {
			t.Errorf("New(%q).Name() = %q", name, s.Name())
		}
		if _, ok := s.(methods.Labeler); !ok {
			t.Errorf("%s has no Label", name)
		}
		if _, err := s.Sample(context.Background(), 1, 1); !errors.Is(err, baselines.ErrNotFitted) {
			t.Errorf("%s: Sample before Fit: %v, want ErrNotFitted", name, err)
		}
	}
}

// TestGrouped checks that bootstrap and independent resample whole groups
// of a households table, and that the other methods refuse grouped tables
// with an error naming them.
func TestGrouped(t *testing.T) {
	ctx := context.Background()
	train := datasets.Population(400, 1)
	sizes := map[int]bool{}
	groups, err := train.Groups()
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range groups {
		sizes[g[1]-g[0]] = true
	}
	for _, name := range []string{"bootstrap", "independent"} {
		t.Run(name, func(t *testing.T) {
			s, err := methods.New(name, nil, methods.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Fit(ctx, train); err != nil {
				t.Fatal(err)
			}
			out, err := s.Sample(ctx, 150, 3)
			if err != nil {
				t.Fatal(err)
			}
			if out.GroupKey != train.GroupKey {
				t.Fatalf("group key %q, want %q", out.GroupKey, train.GroupKey)
			}
			og, err := out.Groups()
			if err != nil {
				t.Fatal(err)
			}
			if len(og) != 150 {
				t.Fatalf("%d groups, want 150", len(og))
			}
			for _, g := range og {
				if !sizes[g[1]-g[0]] {
					t.Fatalf("group of %d rows: no training group has that size", g[1]-g[0])
				}
				for _, c := range out.Cols {
					if !c.Group {
						continue
					}
					for i := g[0] + 1; i < g[1]; i++ {
						if c.String(i) != c.String(g[0]) {
							t.Fatalf("group-level column %q varies within a group: %q vs %q", c.Name, c.String(i), c.String(g[0]))
						}
					}
				}
			}
			if name == "bootstrap" {
				// Whole households copied: every output group's member ages
				// are some training household's.
				key := func(tb *table.Table, g [2]int) string {
					var parts []string
					for i := g[0]; i < g[1]; i++ {
						parts = append(parts, tb.Col("age").String(i)+"/"+tb.Col("income").String(i))
					}
					return strings.Join(parts, ",")
				}
				real := map[string]bool{}
				for _, g := range groups {
					real[key(train, g)] = true
				}
				for _, g := range og {
					if !real[key(out, g)] {
						t.Fatalf("output household %s is not a training household", key(out, g))
					}
				}
			}
		})
	}
	for _, name := range []string{"uniform", "gaussian-copula", "bayes-net", "cart", "ipf", "llm-icl"} {
		t.Run(name+" refuses", func(t *testing.T) {
			s, err := methods.New(name, nil, methods.Options{Client: copyingClient(train)})
			if err != nil {
				t.Fatal(err)
			}
			err = s.Fit(ctx, train)
			if !errors.Is(err, baselines.ErrGrouped) || !strings.HasPrefix(err.Error(), name+": ") {
				t.Fatalf("error %v, want ErrGrouped naming %s", err, name)
			}
		})
	}
}

// promptClient is a fake LLM for llm-icl: it records prompts and answers
// with scripted lines.
type promptClient struct {
	prompts []string
	reply   func(call int, k int) string
}

func (p *promptClient) Complete(_ context.Context, req llm.Request) (*llm.Response, error) {
	text := req.Messages[len(req.Messages)-1].Content
	p.prompts = append(p.prompts, text)
	m := regexp.MustCompile(`Generate (\d+) records`).FindStringSubmatch(text)
	k, _ := strconv.Atoi(m[1])
	return &llm.Response{Text: p.reply(len(p.prompts)-1, k), Usage: llm.Usage{PromptTokens: 1000, CompletionTokens: 50}}, nil
}

func TestICL(t *testing.T) {
	ctx := context.Background()
	train := datasets.EcommerceBN(300, 4)
	valid := `{"user_age": 30.5, "user_gender": "Female", "user_location_tier": "Developed", "product_category": "Apparel", "price": 120.25, "payment_method": "Online Payment"}`
	invalid := []string{
		`{"user_age": 30.5, "user_gender": "female", "user_location_tier": "Developed", "product_category": "Apparel", "price": 120.25, "payment_method": "Online Payment"}`,  // case
		`{"user_age": 300, "user_gender": "Female", "user_location_tier": "Developed", "product_category": "Apparel", "price": 120.25, "payment_method": "Online Payment"}`,   // range
		`{"user_age": 30.5, "user_gender": "Female", "user_location_tier": "Developed", "product_category": "Apparel", "price": 120.25}`,                                      // missing key
		`{"user_age": "old", "user_gender": "Female", "user_location_tier": "Developed", "product_category": "Apparel", "price": 120.25, "payment_method": "Online Payment"}`, // type
		`Here are your records:`,
		`{"user_age": 30.5, "user_gender": "Female", "user_location_tier": "Developed", "product_category": "Apparel", "price": 120.25, "payment_method": "Online Payment", "extra": 1}`,
	}
	t.Run("no real rows unless asked", func(t *testing.T) {
		fake := &promptClient{reply: func(call, k int) string {
			lines := []string{"```json"}
			if call == 0 {
				lines = append(lines, invalid...)
			}
			for i := 0; i < k; i++ {
				lines = append(lines, valid)
			}
			return strings.Join(append(lines, "```"), "\n")
		}}
		s, err := baselines.NewICL(fake, baselines.ICLConfig{Batch: 40})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(s.Label(), "no real rows") {
			t.Errorf("label %q does not say that no real rows are shown", s.Label())
		}
		if err := s.Fit(ctx, train); err != nil {
			t.Fatal(err)
		}
		out, err := s.Sample(ctx, 100, 1)
		if err != nil {
			t.Fatal(err)
		}
		if out.NumRows() != 100 {
			t.Fatalf("%d rows", out.NumRows())
		}
		st := s.Stats()
		want := baselines.ICLStats{Calls: 3, PromptTokens: 3000, CompletionTokens: 150, ValidRows: 100, InvalidRows: len(invalid)}
		if st != want {
			t.Errorf("stats %+v, want %+v", st, want)
		}
		if out.Col("user_gender").String(0) != "Female" || out.Col("price").Floats[0] != 120.25 {
			t.Errorf("first row not parsed: %q %g", out.Col("user_gender").String(0), out.Col("price").Floats[0])
		}
		for _, p := range fake.prompts {
			for _, must := range []string{`"Male","Female"`, "user_gender: Male", "Generate", `"Food & Beverages"`} {
				if !strings.Contains(p, must) {
					t.Errorf("prompt lacks %q:\n%s", must, p)
				}
			}
			// No training value may appear but the quantile bin edges
			// (aggregates that may coincide with a value): the prompt holds
			// no record.
			for _, col := range []string{"user_age", "price"} {
				c := train.Col(col)
				edges := macro.QuantileBins(c.Values(), macro.DefaultBins).Edges
				for i := 0; i < train.NumRows(); i++ {
					v := c.String(i)
					if slices.Contains(edges, c.Floats[i]) {
						continue
					}
					re := regexp.MustCompile(`(^|[^0-9.])` + regexp.QuoteMeta(v) + `([^0-9.%]|$)`)
					if strings.Contains(v, ".") && re.MatchString(p) {
						t.Fatalf("prompt holds training value %s of row %d", v, i+1)
					}
				}
			}
			if strings.Contains(p, "Example records") {
				t.Errorf("examples section present with examples = 0")
			}
		}
	})
	t.Run("examples when asked", func(t *testing.T) {
		fake := &promptClient{reply: func(_, k int) string { return strings.Repeat(valid+"\n", k) }}
		s, err := baselines.NewICL(fake, baselines.ICLConfig{Examples: 3})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(s.Label(), "3 real example rows") {
			t.Errorf("label %q does not say that real rows are shown", s.Label())
		}
		if err := s.Fit(ctx, train); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Sample(ctx, 10, 1); err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(fake.prompts[0], `{"user_age"`); n != 3 {
			t.Errorf("%d example rows in the prompt, want 3", n)
		}
	})
	t.Run("gives up", func(t *testing.T) {
		fake := &promptClient{reply: func(_, k int) string { return invalid[0] }}
		s, _ := baselines.NewICL(fake, baselines.ICLConfig{MaxCalls: 4})
		if err := s.Fit(ctx, train); err != nil {
			t.Fatal(err)
		}
		_, err := s.Sample(ctx, 10, 1)
		if err == nil || err.Error() != "llm-icl: 0 of 10 valid rows after 4 calls (4 invalid rows); raise max_calls or batch" {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("client error", func(t *testing.T) {
		boom := errors.New("rate limited")
		s, _ := baselines.NewICL(llm.ClientFunc(func(context.Context, llm.Request) (*llm.Response, error) { return nil, boom }), baselines.ICLConfig{})
		if err := s.Fit(ctx, train); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Sample(ctx, 10, 1); !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "llm-icl: call 1: ") {
			t.Fatalf("error %v", err)
		}
	})
}

// writeScript writes an executable shell script and returns the command
// that runs it.
func writeScript(t *testing.T, body string) string {
	t.Helper()
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	path := filepath.Join(t.TempDir(), "synth.sh")
	script := "#!/bin/sh\nset -eu\nwhile [ $# -gt 0 ]; do case $1 in --out) out=$2;; --rows) rows=$2;; --train) train=$2;; esac; shift 2; done\n" + body
	if err := os.WriteFile(path, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	return "sh " + path
}

func TestExternal(t *testing.T) {
	ctx := context.Background()
	train := table.MustNew(
		table.NewCategorical("color", []string{"red", "blue"}, []int32{0, 1, 0}),
		table.NewInteger("n", []int64{1, 2, 3}, nil),
	)
	tests := []struct {
		name    string
		body    string
		timeout string
		want    string // error prefix after "external: "; empty for success
	}{
		{"ok, columns reordered", `printf 'n,color\n2,blue\n3,red\n' > "$out"`, "", ""},
		{"fails", `echo "model exploded" >&2; exit 3`, "", `command "sh SCRIPT" failed: exit status 3: stderr: model exploded`},
		{"no output", `echo done`, "", `command "sh SCRIPT" wrote no output file (--out): stderr: done`},
		{"empty output", `: > "$out"`, "", `read output of sh SCRIPT: `},
		{"ragged", `printf 'color,n\nred,1\nblue\n' > "$out"`, "", `read output of sh SCRIPT: line 3`},
		{"unknown category", `printf 'color,n\nred,1\ngreen,2\n' > "$out"`, "", `read output of sh SCRIPT: line 3`},
		{"missing column", `printf 'color\nred\nblue\n' > "$out"`, "", `output of "sh SCRIPT" has no column "n"`},
		{"wrong row count", `printf 'color,n\nred,1\n' > "$out"`, "", `output of "sh SCRIPT" has 1 rows, want 2`},
		{"timeout", `sleep 5`, "200ms", `command "sh SCRIPT" timed out after 200ms`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := writeScript(t, tt.body)
			params := map[string]any{"command": cmd}
			if tt.timeout != "" {
				params["timeout"] = tt.timeout
			}
			s, err := methods.New("external", params, methods.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Fit(ctx, train); err != nil {
				t.Fatal(err)
			}
			out, err := s.Sample(ctx, 2, 1)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if got := strings.Join(out.Names(), ","); got != "color,n" {
					t.Errorf("columns %s", got)
				}
				if out.Col("color").String(0) != "blue" || out.Col("color").Dict[0] != "red" || out.Col("n").Ints[1] != 3 {
					t.Errorf("output not read in the training schema: %v %v", out.Col("color").Dict, out.Col("n").Ints)
				}
				return
			}
			want := "external: " + strings.ReplaceAll(tt.want, "sh SCRIPT", cmd)
			if err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Fatalf("error %v, want prefix %q", err, want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
		})
	}
}

func TestBayesNetPrivacy(t *testing.T) {
	ctx := context.Background()
	train := datasets.EcommerceBN(5000, 2)
	a, err := baselines.NewBayesNet(baselines.BayesNetConfig{Epsilon: 1, DPSeed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.Label(), "epsilon=1 differential privacy") {
		t.Errorf("label %q does not state the budget", a.Label())
	}
	if err := a.Fit(ctx, train); err != nil {
		t.Fatal(err)
	}
	out, err := a.Sample(ctx, 5000, 1)
	if err != nil {
		t.Fatal(err)
	}
	// With epsilon = 1 on 5,000 rows the noise is small: the marginal of
	// gender stays within a few points of the truth.
	g := out.Col("user_gender")
	female := 0
	for _, c := range g.Codes {
		if c >= 0 && g.Dict[c] == "Female" {
			female++
		}
	}
	if share := float64(female) / 5000; share < 0.50 || share > 0.60 {
		t.Errorf("female share %.3f, want about 0.55", share)
	}
	// Private values are drawn uniformly inside bins, never copied.
	real := map[float64]bool{}
	for _, v := range train.Col("price").Floats {
		real[v] = true
	}
	copied := 0
	for _, v := range out.Col("price").Floats {
		if real[v] {
			copied++
		}
	}
	if copied > 5 {
		t.Errorf("%d private prices equal a training price", copied)
	}
	if _, err := baselines.NewBayesNet(baselines.BayesNetConfig{Epsilon: 1}); err != nil {
		t.Fatal(err)
	}
	text := table.MustNew(table.NewText("s", []string{"a", "b"}, nil))
	bn, _ := baselines.NewBayesNet(baselines.BayesNetConfig{Epsilon: 1})
	if err := bn.Fit(ctx, text); err == nil || err.Error() != `bayes-net: fit: text column "s" cannot be released under differential privacy` {
		t.Errorf("error %v", err)
	}
}

func Example() {
	train := table.MustNew(
		table.NewCategorical("color", []string{"red", "blue"}, []int32{0, 1, 0, 0, 1}),
		table.NewFloat("size", []float64{1.5, 2.5, 1.0, 3.0, 2.0}),
	)
	s, err := methods.New("independent", nil, methods.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	if err := s.Fit(ctx, train); err != nil {
		fmt.Println(err)
		return
	}
	out, err := s.Sample(ctx, 1000, 42)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(out.Names(), out.NumRows())
	lo, hi := 99.0, 0.0
	for _, v := range out.Col("size").Floats {
		lo, hi = min(lo, v), max(hi, v)
	}
	fmt.Println(lo >= 1 && hi <= 3)
	// Output:
	// [color size] 1000
	// true
}

// TestFitBadInput checks that every method rejects a malformed training
// table with a one-line error naming the method and the problem, instead of
// panicking.
func TestFitBadInput(t *testing.T) {
	ragged := &table.Table{Cols: []*table.Column{
		table.NewFloat("a", []float64{1, 2, 3}),
		table.NewFloat("b", []float64{1, 2}),
	}}
	badCode := &table.Table{Cols: []*table.Column{
		{Field: table.Field{Name: "c", Kind: table.Categorical}, Dict: []string{"x"}, Codes: []int32{0, 5}},
	}}
	tests := []struct {
		name  string
		train *table.Table
		want  string
	}{
		{"nil", nil, "fit: training table has no columns"},
		{"no rows", table.MustNew(table.NewFloat("a", nil)), "fit: training table has no rows"},
		{"ragged", ragged, `fit: column "b" has 2 rows, column "a" has 3`},
		{"code out of range", badCode, `fit: column "c": row 2: code 5 outside the 1 categories`},
	}
	for _, name := range baselineNames() {
		for _, tt := range tests {
			t.Run(name+"/"+tt.name, func(t *testing.T) {
				params := map[string]any{}
				if name == "external" {
					params["command"] = "true"
				}
				s, err := methods.New(name, params, methods.Options{Client: copyingClient(nil)})
				if err != nil {
					t.Fatal(err)
				}
				err = s.Fit(context.Background(), tt.train)
				if want := name + ": " + tt.want; err == nil || err.Error() != want {
					t.Fatalf("error %v, want %q", err, want)
				}
			})
		}
	}
}

// TestDefaultsValidate checks that every Default config is valid and that
// Validate names the bad key.
func TestDefaultsValidate(t *testing.T) {
	for name, err := range map[string]error{
		"bayes-net": baselines.DefaultBayesNetConfig().Validate(),
		"cart":      baselines.DefaultCARTConfig().Validate(),
		"ipf":       baselines.DefaultIPFConfig().Validate(),
		"llm-icl":   baselines.DefaultICLConfig().Validate(),
		"external":  baselines.DefaultExternalConfig("prog").Validate(),
	} {
		if err != nil {
			t.Errorf("%s: default config invalid: %v", name, err)
		}
	}
	bad := []struct {
		err  error
		want string
	}{
		{baselines.BayesNetConfig{K: -1}.Validate(), "bayes-net: k -1 is negative"},
		{baselines.IPFConfig{Pool: -2}.Validate(), "ipf: pool -2 is negative"},
		{baselines.IPFConfig{Joints: [][]string{{"a"}}}.Validate(), "ipf: joint [a] needs two or more variables"},
		{baselines.ICLConfig{Batch: -1}.Validate(), "llm-icl: batch -1 is negative"},
		{baselines.CARTConfig{MaxLevels: -1}.Validate(), "cart: max_levels -1 is negative"},
		{baselines.ExternalConfig{Command: []string{"x"}, Timeout: -1}.Validate(), "external: timeout -1ns is negative"},
	}
	for _, b := range bad {
		if b.err == nil || b.err.Error() != b.want {
			t.Errorf("error %v, want %q", b.err, b.want)
		}
	}
}

// TestICLConcurrency checks that calls in flight at once do not change the
// output.
func TestICLConcurrency(t *testing.T) {
	ctx := context.Background()
	train := mixedTable(500, 3)
	var outs [][]byte
	for _, c := range []string{"1", "4"} {
		s, err := methods.New("llm-icl", map[string]any{"batch": 7, "concurrency": c}, methods.Options{Client: copyingClient(train)})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Fit(ctx, train); err != nil {
			t.Fatal(err)
		}
		out, err := s.Sample(ctx, 100, 5)
		if err != nil {
			t.Fatal(err)
		}
		if st := s.(*baselines.ICL).Stats(); st.Calls != 15 || st.ValidRows != 100 {
			t.Errorf("concurrency %s: %+v, want 15 calls, 100 valid rows", c, st)
		}
		outs = append(outs, csvBytes(t, out))
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Errorf("output depends on concurrency")
	}
}

// TestGroupedNotContiguous checks that a grouped table whose groups are not
// contiguous is a fit error naming the method and the row, and leaves the
// method unfitted.
func TestGroupedNotContiguous(t *testing.T) {
	train := table.MustNew(
		table.NewInteger("hh", []int64{1, 1, 2, 1}, nil),
		table.NewInteger("age", []int64{30, 5, 40, 8}, nil),
	)
	train.GroupKey = "hh"
	for _, name := range []string{"bootstrap", "independent"} {
		s, err := methods.New(name, nil, methods.Options{})
		if err != nil {
			t.Fatal(err)
		}
		err = s.Fit(context.Background(), train)
		if want := name + `: fit: group key "hh": value "1" at row 4 is not contiguous with its group`; err == nil || err.Error() != want {
			t.Errorf("error %v, want %q", err, want)
		}
		if _, err := s.Sample(context.Background(), 1, 1); !errors.Is(err, baselines.ErrNotFitted) {
			t.Errorf("%s: sample after a failed fit: %v, want ErrNotFitted", name, err)
		}
	}
}
