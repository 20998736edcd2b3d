package main

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/synthor/synthor/llm/llmtest"
	"github.com/synthor/synthor/methods"
	"github.com/synthor/synthor/table"
)

// recordsBrain answers llm-icl's prompts with as many copies of one real
// record as each asks for.
func recordsBrain(record []byte) llmtest.Brain {
	re := regexp.MustCompile(`Generate (\d+) records`)
	return func(req llmtest.Request) (string, error) {
		m := re.FindStringSubmatch(req.Prompt())
		if m == nil {
			return "", fmt.Errorf("no record count in the prompt")
		}
		k, _ := strconv.Atoi(m[1])
		return strings.Repeat(string(record)+"\n", k), nil
	}
}

// firstRecord is the first row of t as a JSON object.
func firstRecord(t *testing.T, tb *table.Table) []byte {
	obj := map[string]any{}
	for _, c := range tb.Cols {
		if c.Kind.Numeric() {
			obj[c.Name] = json.Number(c.String(0))
		} else {
			obj[c.Name] = c.String(0)
		}
	}
	b, err := json.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSynthEnvironmentIsAmbient runs synth with every registered method
// while variables meant for other purposes are exported: the dataset
// cache (SYNTHOR_CACHE), an API key variable (SYNTHOR_OPENAI_KEY), a
// setting of llmsynthor (SYNTHOR_ITERATIONS) and of LLM backends
// (SYNTHOR_LLM_MODEL, SYNTHOR_LLM_TIMEOUT). None breaks a method it is not
// meant for; each is read by the method it is meant for, and a bad one
// then exits 2 naming it.
func TestSynthEnvironmentIsAmbient(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "ref.csv")
	if _, stderr, code, err := runCLI(t, "datasets", "export", "ecommerce-bn", "--rows", "200", "--seed", "1", "--out", data); code != 0 {
		t.Fatalf("export: %v %s", err, stderr)
	}
	ref, err := table.ReadFile(data, table.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	srv := llmtest.NewServer(recordsBrain(firstRecord(t, ref)))
	defer srv.Close()
	script, err := filepath.Abs("../../examples/external/bootstrap.sh")
	if err != nil {
		t.Fatal(err)
	}
	_, awkErr := exec.LookPath("awk")

	t.Setenv("SYNTHOR_CACHE", t.TempDir())
	t.Setenv("SYNTHOR_OPENAI_KEY", "sk-ambient-0123")
	t.Setenv("SYNTHOR_ITERATIONS", "50")
	t.Setenv("SYNTHOR_LLM_MODEL", "fake-model")
	controls, seed := sampleFiles(t, dir)
	synth := func(t *testing.T, method string) (string, int, error) {
		t.Helper()
		args := []string{"synth", "--data", data, "--method", method, "--rows", "60", "--seed", "1", "--out", filepath.Join(t.TempDir(), "s.csv")}
		switch method {
		case "ipu": // weights a seed sample of households to controls
			args = []string{"synth", "--targets", controls, "--sample", seed, "--method", method, "--rows", "60", "--seed", "1", "--out", filepath.Join(t.TempDir(), "s.csv")}
		case "llm-icl":
			args = append(args, "--set", "llm.base_url="+srv.URL, "--set", "llm.retries=0")
		case "external":
			args = append(args, "--set", "command=sh "+script)
		}
		_, stderr, code, err := runCLI(t, args...)
		return stderr, code, err
	}
	names := methods.Names()
	if len(names) < 10 {
		t.Fatalf("registry %v", names)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			if name == "external" && awkErr != nil {
				t.Skip("examples/external/bootstrap.sh needs awk, which is not installed")
			}
			stderr, code, err := synth(t, name)
			if code != 0 {
				t.Fatalf("exit %d: %v", code, err)
			}
			want := ": 60 rows in "
			if name == "ipu" {
				want = " rows in " // 60 households of persons
			}
			if !strings.Contains(stderr, want) {
				t.Errorf("stderr %q", stderr)
			}
			if name == "llmsynthor" && !strings.Contains(stderr, "50 iterations") {
				t.Errorf("SYNTHOR_ITERATIONS=50 was not read by llmsynthor: %q", stderr)
			}
		})
	}

	// A bad value of a variable breaks only the methods it is meant for.
	t.Setenv("SYNTHOR_LLM_TIMEOUT", "5")
	t.Setenv("SYNTHOR_MIN_LEAF", "0")
	for _, c := range []struct {
		method string
		code   int
		want   string
	}{
		{"llmsynthor", 0, ""},
		{"bayes-net", 0, ""},
		{"llm-icl", 2, `environment variable SYNTHOR_LLM_TIMEOUT: llm.timeout: want a duration with a unit (e.g. 90s, 10m), got "5"`},
		{"cart", 2, "environment variable SYNTHOR_MIN_LEAF: min_leaf: must be at least 1, got 0"},
	} {
		_, code, err := synth(t, c.method)
		if code != c.code || (c.want != "" && (err == nil || !strings.HasSuffix(err.Error(), c.want))) {
			t.Errorf("%s: exit %d, %v; want %d %q", c.method, code, err, c.code, c.want)
		}
	}
}
