package bench

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/synthor/synthor/settings"
)

// TestConfigRefusesWhatItWouldMisread: values a config used to read as
// something other than written are errors naming the file, line and key.
func TestConfigRefusesWhatItWouldMisread(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ok.csv"), []byte("a,b\n1,x\n2,y\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "backends"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "backends", "bad.yaml"), []byte("llm:\n  model: m\n  temperature: 7\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, body, want string }{
		{"negative seed", "seeds: [-1]\n", `c.yaml:1: seeds[0]: seed "-1" is not a whole number >= 0`},
		{"fractional seed", "seeds: [1.5]\n", `c.yaml:1: seeds[0]: seed "1.5" is not a whole number >= 0`},
		{"seed given thrice", "seeds: [1, 1, 1]\n", "c.yaml:1: seeds: seed 1 is given twice"},
		{"timeout without unit", "limits:\n  timeout: 5\n", `c.yaml:2: limits.timeout: duration "5" has no unit`},
		{"memory without unit", "limits: {memory: 1000000}\n", `c.yaml:1: limits.memory: size "1000000" has no unit`},
		{"empty seeds", "methods: [independent]\nseeds: []\n", "c.yaml:2: seeds: empty list given"},
		{"empty datasets", "datasets:\n", "c.yaml:1: datasets: no value given"},
		{"empty config", "# nothing\n", "config " + dir + "/c.yaml: is empty"},
		{"second document", "methods: [independent]\n---\nseeds: [3]\n", "c.yaml:2: a second YAML document"},
		{"name outside out/", "name: ../../x\n", `c.yaml:1: name: "../../x" is not a plain name`},
		{"file under a catalog name", "datasets: [{file: ok.csv, name: ecommerce-bn}]\n", `c.yaml:1: datasets[0].name: "ecommerce-bn" is a catalog dataset`},
		{"rows with a fraction", "datasets: [{name: ecommerce-bn, rows: 10.5}]\n", `c.yaml:1: datasets[0].rows: "10.5" is not a whole number`},
		{"rows negative", "datasets:\n  - name: ecommerce-bn\n    rows: -5\n", `c.yaml:3: datasets[0].rows: "-5" is not a whole number`},
		{"holdout NaN", "datasets: [{name: ecommerce-bn, holdout: .nan}]\n", "c.yaml:1: datasets[0].holdout: must be in [0, 0.9), got NaN"},
		{"metric twice", "metrics: [fidelity, fidelity]\n", `c.yaml:1: metrics[1]: "fidelity" appears twice`},
		{"tolerance NaN", "methods: [{name: llmsynthor, params: {tolerance: .nan}}]\n", `c.yaml:1: methods[0].params.tolerance: want a number (0..1), got ".nan"`},
		{"batch 0", "methods:\n  - name: llmsynthor\n    params:\n      batch: 0\n", "c.yaml:4: methods[0].params.batch: must be at least 1, got 0"},
		{"joints twice a column", "methods: [{name: llmsynthor, params: {joints: 'age,age'}}]\n", `methods[0].params.joints: group 1 names column "age" twice`},
		{"planner twice", "methods: [{name: llmsynthor, planner: llm, params: {planner: stat}}]\n", "methods[0].planner: given twice"},
		{"bad backend value", "methods: [{name: llmsynthor, planner: llm, backend: bad}]\n", "c.yaml:1: methods[0].backend: llm config: key llm.temperature: want a value in [0, 2], got 7"},
		{"bad inline llm", "methods: [{name: llmsynthor, planner: llm, llm: {model: m, timeout: 5}}]\n", "c.yaml:1: methods[0].llm.timeout: want a duration with a unit"},
		{"workers negative", "limits: {workers: -2}\n", "c.yaml:1: limits.workers: must be at least 0, got -2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(dir, "c.yaml")
			if err := os.WriteFile(p, []byte(c.body), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := LoadConfig(p, nil)
			if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error\n %v\nwant one line containing\n %s", err, c.want)
			}
			if !settings.IsError(err) {
				t.Errorf("%v is not a settings error (exit status 2)", err)
			}
		})
	}
}

// TestConfigSetsAreTyped: --set goes through the same decoder as the file.
func TestConfigSetsAreTyped(t *testing.T) {
	p := writeConfig(t, "methods: [independent]\nlimits: {timeout: 1m}\n")
	c, err := LoadConfig(p, []string{"limits.timeout=90s", "seeds=[3, 4]", "limits.memory=2GiB", "datasets=[adult]"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Limits.Timeout.D().Seconds() != 90 || c.Seeds.String() != "3,4" || c.Limits.Memory != 2<<30 || c.Datasets[0].Name != "adult" {
		t.Errorf("config %+v", c)
	}
	for _, c := range []struct {
		set, want string
	}{
		{"limits.timeout=5", "--set limits.timeout=5: limits.timeout: duration \"5\" has no unit"},
		{"seeds=[1, 1]", "--set seeds=[1, 1]: seeds: seed 1 is given twice"},
		{"name=../x", `--set name=../x: name: "../x" is not a plain name`},
	} {
		if _, err := LoadConfig(p, []string{c.set}); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("--set %s: %v, want %q", c.set, err, c.want)
		}
	}
}
