package bench

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRegistryHasEveryMethod(t *testing.T) {
	names := strings.Join(Names(), ",")
	for _, want := range []string{"llmsynthor", "bayes-net", "ipf", "llm-icl", "bootstrap", "cart"} {
		if !strings.Contains(","+names+",", ","+want+",") {
			t.Errorf("registry lacks %s: %s", want, names)
		}
	}
	if _, err := Lookup("magic"); err == nil || !strings.Contains(err.Error(), "llmsynthor") || !strings.Contains(err.Error(), "bayes-net") {
		t.Errorf("unknown method: %v, want the valid names", err)
	}
	m, _ := Lookup("llmsynthor")
	if !m.UsesLLM(map[string]string{"planner": "llm"}) || m.UsesLLM(nil) {
		t.Error("llmsynthor uses an LLM exactly with planner=llm")
	}
	if _, err := m.New(Options{Params: map[string]string{"planner": "llm"}}); err == nil || !strings.Contains(err.Error(), "LLM backend") {
		t.Errorf("planner=llm without a client: %v", err)
	}
}

func TestStrictParams(t *testing.T) {
	dir := t.TempDir()
	file := func(body string) string {
		p := filepath.Join(dir, "c.yaml")
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct {
		name, method, file string
		sets, env          []string
		want               []string // substrings of the error; nil: no error
		usage              bool
	}{
		{"set typo", "llmsynthor", "", []string{"iteratons=5"}, nil, []string{"iteratons", "iterations", "n_joints"}, true},
		{"env typo", "llmsynthor", "", nil, []string{"SYNTHOR_ITERATONS=5"}, []string{"SYNTHOR_ITERATONS", "iteratons", "valid: planner"}, true},
		{"file typo", "bayes-net", file("k: 2\nbinz: 3\n"), nil, nil, []string{"c.yaml", "binz", "valid: k"}, true},
		{"baseline set typo", "cart", "", []string{"joints=a,b"}, nil, []string{"joints", "cart"}, true},
		{"llm set typo", "llmsynthor", "", []string{"llm.modle=x"}, nil, []string{"llm.modle"}, true},
		{"api key variable is not a key", "llmsynthor", "", []string{"iterations=5", "llm.api_key_env=SYNTHOR_MY_KEY"}, []string{"SYNTHOR_MY_KEY=sk"}, nil, false},
		{"env and set", "llmsynthor", "", []string{"iterations=5"}, []string{"SYNTHOR_BINS=4"}, nil, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, err := Lookup(c.method)
			if err != nil {
				t.Fatal(err)
			}
			st, err := LoadSettings(m, c.file, c.sets, c.env)
			if c.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				if _, err := m.New(Options{Params: st.Params}); err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error; params %v", st.Params)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			var se SettingsError
			if errors.As(err, &se) != c.usage {
				t.Errorf("settings error %v, want %v", !c.usage, c.usage)
			}
		})
	}
}

func TestDecodeConfig(t *testing.T) {
	cfg, err := DecodeConfig(map[string]string{"iterations": "7", "joints": "a,b;c,d,e", "overrides": "x=y:0.5, z=w:0.1", "removal": "true", "tolerance": "0.01"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Iterations != 7 || len(cfg.Joints) != 2 || len(cfg.Joints[1]) != 3 || len(cfg.Overrides) != 2 || !cfg.Removal || cfg.Tolerance != 0.01 {
		t.Errorf("decoded %+v", cfg)
	}
	for _, c := range []struct{ k, v, want string }{
		{"iterations", "many", "iterations"},
		{"planner", "oracle", "planner"},
		{"bins", "-2", "bins"},
	} {
		if _, err := DecodeConfig(map[string]string{c.k: c.v}); err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s=%s: %v, want one line naming %s", c.k, c.v, err, c.want)
		}
	}
	if ParamString([]any{[]any{"a", "b"}, []any{"c", "d"}}) != "a,b;c,d" || ParamString([]any{"x", "y"}) != "x,y" || ParamString(3) != "3" {
		t.Error("ParamString")
	}
}
