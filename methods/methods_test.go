package methods

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/synthor/synthor/llm"
	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/settings"
	"github.com/synthor/synthor/synthor"
	"github.com/synthor/synthor/table"
)

func TestLookup(t *testing.T) {
	want := []string{"bayes-net", "bootstrap", "cart", "external", "gaussian-copula", "independent", "ipf", "ipu", "llm-icl", "llmsynthor", "uniform"}
	if got := Names(); !slices.Equal(got, want) {
		t.Fatalf("Names() = %v, want %v", got, want)
	}
	_, err := Lookup("ctgan")
	if !errors.Is(err, ErrUnknown) || err.Error() != `unknown method "ctgan" (valid: `+strings.Join(want, ", ")+`)` {
		t.Errorf("unknown name: %v", err)
	}
	for _, m := range All() {
		if m.Label == "" || m.Build == nil || !strings.HasPrefix(m.Label, m.Name+":") && m.Name != "llmsynthor" {
			t.Errorf("%s: label %q, build %v", m.Name, m.Label, m.Build != nil)
		}
	}
	for _, m := range All() {
		for _, p := range m.Params {
			// SYNTHOR_CACHE and SYNTHOR_LLM_* mean other things.
			if p.Key == "cache" || strings.HasPrefix(p.Key, "llm") || p.Key != strings.ToLower(p.Key) {
				t.Errorf("%s: param key %q would read a variable meant for something else", m.Name, p.Key)
			}
		}
	}
	m, _ := Lookup("llmsynthor")
	model, _ := m.Values(map[string]any{"prior": "model"})
	if m.MemoryFactor(Values{}) != 4 || m.MemoryFactor(model) != 16 || !m.MacroOnly || !m.Groups || !m.Traces {
		t.Errorf("llmsynthor capabilities %+v", m)
	}
	if b, _ := Lookup("bootstrap"); !b.CopiesRecords || b.MemoryFactor(Values{}) != 1 {
		t.Error("bootstrap copies records, factor 1")
	}
}

// TestDefaultsDecode: every param's default is a value of its kind in
// its range (Values read it), and every method builds with its defaults.
func TestDefaultsDecode(t *testing.T) {
	for _, m := range All() {
		for _, p := range m.Params {
			if p.Default == "" {
				continue
			}
			if _, err := m.Values(map[string]any{p.Key: p.Default}); err != nil {
				t.Errorf("%s: default of %s: %v", m.Name, p.Key, err)
			}
			if p.Doc == "" {
				t.Errorf("%s.%s has no doc", m.Name, p.Key)
			}
		}
		params := map[string]any{}
		if m.Name == "external" {
			params["command"] = "true"
		}
		v, err := m.Values(params)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.New(v, Options{Client: llm.ClientFunc(nil)}); err != nil {
			t.Errorf("%s with its defaults: %v", m.Name, err)
		}
	}
	for _, name := range []string{"ipf", "llm-icl"} {
		m, _ := Lookup(name)
		if m.Param("bins").Default != "6" || macro.DefaultBins != 6 {
			t.Errorf("%s bins default is macro.DefaultBins", name)
		}
	}
}

// TestLLMSynthorDefaultsAreSynthors: the llmsynthor params' defaults are
// synthor's own: giving each one leaves the effective config unchanged.
func TestLLMSynthorDefaultsAreSynthors(t *testing.T) {
	m, _ := Lookup("llmsynthor")
	all := map[string]any{}
	for _, p := range m.Params {
		if p.Default != "" {
			all[p.Key] = p.Default
		}
	}
	build := func(params map[string]any) synthor.Config {
		v, err := m.Values(params)
		if err != nil {
			t.Fatal(err)
		}
		s, err := m.New(v, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return s.(*synthor.Synthesizer).Config
	}
	if got, want := build(all), build(nil); !reflect.DeepEqual(got, want) {
		t.Errorf("defaults given %+v\nnone given    %+v", got, want)
	}
	// Under profile=paper an unset key takes the paper's value.
	if got := build(map[string]any{"profile": "paper"}); got.Sampling != synthor.SamplingUniform || got.Proposals != 5 || got.NJoints != 3 {
		t.Errorf("paper profile: %+v", got)
	}
}

func TestValuesRefuseBadValues(t *testing.T) {
	for _, c := range []struct {
		method string
		params map[string]any
		want   string
	}{
		{"llmsynthor", map[string]any{"tolerance": "NaN"}, `llmsynthor: tolerance: want a number (0..1), got "NaN"`},
		{"llmsynthor", map[string]any{"tolerance": math.NaN()}, "llmsynthor: tolerance: want a number (0..1)"},
		{"llmsynthor", map[string]any{"batch": 0}, "llmsynthor: batch: must be at least 1, got 0"},
		{"llmsynthor", map[string]any{"joints": "age,age"}, `llmsynthor: joints: group 1 names column "age" twice`},
		{"llmsynthor", map[string]any{"joints": []any{[]any{"a"}}}, "llmsynthor: joints: group 1"},
		{"llmsynthor", map[string]any{"iterations": 0}, "llmsynthor: iterations: must be in 1..1000000, got 0"},
		{"llmsynthor", map[string]any{"iterations": "1.5"}, `llmsynthor: iterations: want a whole number (1..1000000), got "1.5"`},
		{"llmsynthor", map[string]any{"removal": "maybe"}, `llmsynthor: removal: want true or false, got "maybe"`},
		{"llmsynthor", map[string]any{"planner": "oracle"}, `llmsynthor: planner: want one of stat, llm, got "oracle"`},
		{"llmsynthor", map[string]any{"discrete": 0}, "llmsynthor: discrete: must not be 0 (leave it unset for the default, 32)"},
		{"llmsynthor", map[string]any{"overrides": "a=b:0.5,a=b:0.4"}, "overridden twice"},
		{"llmsynthor", map[string]any{"iteratons": 5}, "llmsynthor: iteratons: unknown param of llmsynthor (valid: planner, iterations,"},
		{"bayes-net", map[string]any{"k": "two"}, `bayes-net: k: want a whole number (0..10), got "two"`},
		{"bayes-net", map[string]any{"epsilon": -1}, "bayes-net: epsilon: must be at least 0, got -1"},
		{"bayes-net", map[string]any{"dp_seed": -1}, `bayes-net: dp_seed: seed "-1" is not a whole number >= 0`},
		{"cart", map[string]any{"min_leaf": 0}, "cart: min_leaf: must be at least 1, got 0"},
		{"cart", map[string]any{"cp": "x"}, `cart: cp: want a number (0..1), got "x"`},
		{"ipf", map[string]any{"joints": "a,b;c"}, `ipf: joints: group 2 ("c") needs two or more columns`},
		{"ipf", map[string]any{"tolerance": "inf"}, "ipf: tolerance: want a number"},
		{"llm-icl", map[string]any{"batch": 0}, "llm-icl: batch: must be in 1..10000, got 0"},
		{"llm-icl", map[string]any{"temperature": 3}, "llm-icl: temperature: must be in 0..2, got 3"},
		{"external", map[string]any{"timeout": "5"}, `external: timeout: duration "5" has no unit`},
		{"external", map[string]any{"timeout": "soon"}, `external: timeout: duration "soon"`},
		{"uniform", map[string]any{"k": 1}, "uniform: k: unknown param of uniform (valid: none)"},
	} {
		m, err := Lookup(c.method)
		if err != nil {
			t.Fatal(err)
		}
		_, err = m.Values(c.params)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) && !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %v: %v, want %q", c.method, c.params, err, c.want)
		}
	}
}

// TestBuildErrors: what no single range states is refused by the
// constructor, naming the method.
func TestBuildErrors(t *testing.T) {
	for _, c := range []struct {
		method string
		params map[string]any
		o      Options
		want   string
	}{
		{"external", nil, Options{}, `external: param "command" is required`},
		{"llm-icl", nil, Options{}, "llm-icl: needs an LLM backend"},
		{"llmsynthor", map[string]any{"planner": "llm"}, Options{}, "llmsynthor: needs an LLM backend"},
	} {
		_, err := New(c.method, c.params, c.o)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %v: %v, want %q", c.method, c.params, err, c.want)
		}
	}
}

// TestJSONRoundTrip: values written as JSON read back the same, typed.
func TestJSONRoundTrip(t *testing.T) {
	m, _ := Lookup("llmsynthor")
	v, err := m.Values(map[string]any{"iterations": "50", "joints": "a,b;c,d", "overrides": "a=x:0.5", "tolerance": "1e-3", "removal": "true", "context": "2030"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := v.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"context":"2030","iterations":50,"joints":[["a","b"],["c","d"]],"overrides":["a=x:0.5"],"removal":true,"tolerance":0.001}`
	if string(b) != want {
		t.Fatalf("JSON %s, want %s", b, want)
	}
	var back map[string]any
	if err := yaml.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	again, err := m.Values(back)
	if err != nil {
		t.Fatal(err)
	}
	if again.Int("iterations") != 50 || again.Joints("joints").String() != "a,b;c,d" || again.Overrides("overrides")[0].Share != 0.5 ||
		again.Float("tolerance") != 1e-3 || !again.Bool("removal") || again.Text("context") != "2030" || again.Int("bins") != 6 {
		t.Errorf("read back %v", again.JSON())
	}
	e, _ := Lookup("external")
	ev, err := e.Values(map[string]any{"command": "x", "timeout": "90s"})
	if err != nil || ev.JSON()["timeout"] != "1m30s" || ev.Duration("timeout").Seconds() != 90 {
		t.Errorf("duration %v, %v", ev.JSON(), err)
	}
}

// TestDecodeNamesWhere: a bad value from a config file, a variable or a
// --set is an error saying where it came from.
func TestDecodeNamesWhere(t *testing.T) {
	m, _ := Lookup("llmsynthor")
	o, err := settings.Parse([]byte("iterations: 10\nllm: {model: x}\njoints: [[a, b], [a]]\n"), "c.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.Decode(o.Root(), "llm")
	if err = o.Explain(err, ""); err == nil || !strings.HasPrefix(err.Error(), "config c.yaml:3: joints[1]: group") && !strings.HasPrefix(err.Error(), "config c.yaml:3: joints: group 2") {
		t.Errorf("file: %v", err)
	}
	o = settings.New()
	if err := o.Env([]string{"SYNTHOR_BATCH=0"}, EnvPrefix, m.Keys()); err != nil {
		t.Fatal(err)
	}
	_, err = m.Decode(o.Root())
	if err = o.Explain(err, ""); err == nil || err.Error() != "environment variable SYNTHOR_BATCH: batch: must be at least 1, got 0" {
		t.Errorf("env: %v", err)
	}
}

// TestEveryMethodSamples builds each method from its registry entry with
// its defaults and samples a small table: the registry's constructors are
// the ones runs and synth use.
func TestEveryMethodSamples(t *testing.T) {
	train := table.MustNew(
		table.NewCategorical("color", []string{"red", "blue"}, []int32{0, 1, 0, 1, 0, 0}),
		table.NewInteger("n", []int64{1, 2, 3, 4, 5, 6}, nil),
	)
	for _, m := range All() {
		if m.UsesLLM(Values{m: m}) || m.Name == "external" || m.SampleOnly {
			continue // their own tests use a fake server, a script, a seed sample with controls
		}
		t.Run(m.Name, func(t *testing.T) {
			s, err := New(m.Name, nil, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Fit(context.Background(), train); err != nil {
				t.Fatal(err)
			}
			out, err := s.Sample(context.Background(), 4, 1)
			if err != nil || out.NumRows() != 4 {
				t.Fatalf("sample: %v", err)
			}
			if Describe(m, s) == "" {
				t.Error("no description")
			}
		})
	}
}

// paramTable renders a method's params as the README's settings table.
func paramTable(m *Method) string {
	var b strings.Builder
	b.WriteString("| key | default | values | meaning |\n|---|---|---|---|\n")
	for _, p := range m.Params {
		def := "unset"
		if p.Default != "" {
			def = p.Default
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", p.Key, def, p.Range(), p.Doc)
	}
	return b.String()
}

// TestREADMEListsEveryParam: the README names every method and holds each
// one's settings table as the registry declares it (key, default, values,
// meaning), so that the documentation cannot drift from the code.
func TestREADMEListsEveryParam(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Skipf("no README beside the module: %v", err)
	}
	readme := string(b)
	for _, m := range All() {
		if !strings.Contains(readme, "`"+m.Name+"`") {
			t.Errorf("README does not name method %s", m.Name)
		}
		for _, p := range m.Params {
			if strings.Contains(p.Doc, "|") {
				t.Errorf("%s.%s: a doc with '|' breaks the table", m.Name, p.Key)
			}
		}
		if want := paramTable(m); len(m.Params) > 0 && !strings.Contains(readme, want) {
			t.Errorf("README lacks the settings table of %s as the registry declares it:\n%s", m.Name, want)
		}
	}
}

// FuzzValues: any key and value, given as YAML text, decode to values of
// the param's kind in its range, or to one bounded error line naming the
// method and the key; never a panic.
func FuzzValues(f *testing.F) {
	for _, s := range [][2]string{
		{"iterations", "50"}, {"tolerance", "NaN"}, {"joints", "a,b;c,a"}, {"joints", "[[a, b], [a]]"},
		{"overrides", "x=y:0.5,x=z:0.7"}, {"batch", "0"}, {"removal", "maybe"}, {"point_share", "-0"}, {"k", "1e3"},
		{"timeout", "5"}, {"dp_seed", "-1"}, {"cp", "1e-400"}, {"nope", "1"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, key, text string) {
		var val any
		if yaml.Unmarshal([]byte(text), &val) != nil {
			val = text
		}
		for _, m := range All() {
			v, err := m.Values(map[string]any{key: val})
			if err != nil {
				if msg := err.Error(); strings.Contains(msg, "\n") && !strings.Contains(key, "\n") || len(msg) > 400+len(key) || !strings.HasPrefix(msg, m.Name+": ") {
					t.Fatalf("%s: error %q", m.Name, msg)
				}
				continue
			}
			p := m.Param(key)
			if p == nil {
				if v.Len() > 0 {
					t.Fatalf("%s: accepted unknown key %q", m.Name, key)
				}
				continue
			}
			if !v.Has(key) {
				continue // "auto" joints
			}
			switch p.Kind {
			case Int:
				if x := float64(v.Int(key)); p.inRange(x) != nil {
					t.Fatalf("%s.%s = %v out of range", m.Name, key, x)
				}
			case Float:
				if x := v.Float(key); math.IsNaN(x) || math.IsInf(x, 0) || p.inRange(x) != nil {
					t.Fatalf("%s.%s = %v out of range", m.Name, key, x)
				}
			case Joints:
				for _, g := range v.Joints(key) {
					if len(g) < 2 {
						t.Fatalf("%s.%s: group %v", m.Name, key, g)
					}
				}
			}
		}
	})
}
