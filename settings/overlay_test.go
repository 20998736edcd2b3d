package settings

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// run is a config as a command decodes it.
type run struct {
	Name   string  `yaml:"name"`
	Seeds  Seeds   `yaml:"seeds"`
	Limits limits  `yaml:"limits"`
	Items  []item  `yaml:"items"`
	Ratio  float64 `yaml:"ratio"`
}

type limits struct {
	Workers int      `yaml:"workers"`
	Timeout Duration `yaml:"timeout"`
	Memory  Size     `yaml:"memory"`
}

type item struct {
	Name string `yaml:"name"`
	Rows Rows   `yaml:"rows"`
}

func TestParseFile(t *testing.T) {
	for _, c := range []struct{ name, doc, want string }{
		{"second document", "name: a\n---\nname: b\n", "config c.yaml:2: a second YAML document"},
		{"empty", "", "config c.yaml: is empty"},
		{"comment only", "# nothing\n", "config c.yaml: is empty"},
		{"null document", "~\n", "config c.yaml: is empty"},
		{"a list", "- a\n- b\n", "config c.yaml:1: want keys (key: value), got a list"},
		{"syntax", "seeds: [1, 2\n", "config c.yaml:1: YAML syntax: did not find expected ',' or ']'"},
		{"empty list", "name: a\nseeds: []\n", "config c.yaml:2: seeds: empty list given"},
		{"empty section", "limits: {}\n", "config c.yaml:1: limits: empty section given"},
		{"null value", "name: a\nlimits:\n  timeout:\n", "config c.yaml:3: limits.timeout: no value given"},
		{"null item", "items: [{name: a}, ~]\n", "config c.yaml:1: items[1]: no value given"},
		{"key twice", "name: a\nname: b\n", "config c.yaml:2: name: given twice (first on line 1)"},
		{"list key", "[a]: 1\n", "a key must be a name"},
		{"odd key", "\"a\\nb\": 1\n\"a\\nb\": 2\n", `config c.yaml:2: "a\nb": given twice`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.doc), "c.yaml")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want %q", err, c.want)
			}
			if !IsError(err) {
				t.Errorf("%v is not a settings error", err)
			}
		})
	}
}

func TestDecodeErrorsNameKeyAndLine(t *testing.T) {
	doc := "name: x\nlimits:\n  workers: 2\n  timeout: 5\n"
	for _, c := range []struct{ name, doc, want string }{
		{"duration without unit", doc, "config c.yaml:4: limits.timeout: duration \"5\" has no unit"},
		{"unknown key", "name: x\nlimits: {workers: 2, timout: 5s}\n", "config c.yaml:2: limits.timout: unknown key (valid: workers, timeout, memory)"},
		{"unknown top key", "nmae: x\n", "config c.yaml:1: nmae: unknown key (valid: name, seeds, limits, items, ratio)"},
		{"wrong type", "name: x\nlimits:\n  workers: many\n", "config c.yaml:3: limits.workers: want a whole number, got \"many\""},
		{"list for a number", "limits: {workers: [1]}\n", "config c.yaml:1: limits.workers: want a whole number, got a list"},
		{"item key", "items:\n  - {name: a}\n  - {name: b, rowz: 3}\n", "config c.yaml:3: items[1].rowz: unknown key (valid: name, rows)"},
		{"item rows", "items:\n  - name: a\n    rows: 1e6\n", "config c.yaml:3: items[0].rows: \"1e6\" is not a whole number"},
		{"seeds", "seeds: [1, 2, 1]\n", "config c.yaml:1: seeds: seed 1 is given twice"},
		{"float", "ratio: abc\n", "config c.yaml:1: ratio: want a number, got \"abc\""},
	} {
		t.Run(c.name, func(t *testing.T) {
			o, err := Parse([]byte(c.doc), "c.yaml")
			if err != nil {
				t.Fatal(err)
			}
			var r run
			err = o.Decode(&r)
			if err == nil || err.Error() != c.want && !strings.HasPrefix(err.Error(), c.want) {
				t.Fatalf("error\n %v\nwant\n %s", err, c.want)
			}
			if !IsError(err) {
				t.Errorf("not a settings error: %T", err)
			}
		})
	}
}

func TestOverlayPrecedence(t *testing.T) {
	o, err := Parse([]byte("name: file\nlimits: {workers: 1, timeout: 1m}\n"), "c.yaml")
	if err != nil {
		t.Fatal(err)
	}
	env := []string{"X_WORKERS=3", "X_TIMEOUT=2m", "X_NAME=env", "X_UNRELATED=5", "X_MEMORY="}
	if err := o.Env(env, "X_", []string{"workers", "timeout", "memory"}, "limits"); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"limits.timeout=3m", "Seeds=[4, 5]", "limits.memory=1GiB"} {
		if err := o.Set(s); err != nil {
			t.Fatal(err)
		}
	}
	var r run
	if err := o.Decode(&r); err != nil {
		t.Fatal(err)
	}
	if r.Name != "file" || r.Limits.Workers != 3 || r.Limits.Timeout.D() != 3*time.Minute || r.Limits.Memory != 1<<30 || r.Seeds.String() != "4,5" {
		t.Errorf("decoded %+v", r)
	}
}

func TestOverlayErrorsNameTheirOrigin(t *testing.T) {
	for _, c := range []struct {
		name string
		sets []string
		env  []string
		want string
	}{
		{"set", []string{"limits.timeout=5"}, nil, "--set limits.timeout=5: limits.timeout: duration \"5\" has no unit"},
		{"set in a list", []string{"seeds=[1, x]"}, nil, "--set seeds=[1, x]: seeds[1]: seed \"x\""},
		{"env", nil, []string{"X_WORKERS=lots"}, "environment variable X_WORKERS: limits.workers: want a whole number, got \"lots\""},
		{"set unknown", []string{"limits.timout=5s"}, nil, "--set limits.timout=5s: limits.timout: unknown key (valid: workers, timeout, memory)"},
		{"set no value", []string{"name="}, nil, "--set name=: want key=value"},
		{"set no key", []string{"=3"}, nil, "--set =3: want key=value"},
		{"set into a value", []string{"name.x=3"}, nil, "--set name.x=3: name holds a value"},
		{"set bad list", []string{"seeds=[1"}, nil, "--set seeds=[1: \"[1\" is not a list"},
		{"set index", []string{"items[0].name=3"}, nil, "--set items[0].name=3: \"items[0].name\" is not a key path"},
	} {
		t.Run(c.name, func(t *testing.T) {
			o, err := Parse([]byte("name: x\nlimits: {workers: 1}\n"), "c.yaml")
			if err != nil {
				t.Fatal(err)
			}
			err = o.Env(c.env, "X_", []string{"workers"}, "limits")
			for _, s := range c.sets {
				if err == nil {
					err = o.Set(s)
				}
			}
			if err == nil {
				var r run
				err = o.Decode(&r)
			}
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Fatalf("error\n %v\nwant\n %s", err, c.want)
			}
		})
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	if _, err := ReadFile(filepath.Join(dir, "none.yaml")); err == nil || IsError(err) || !strings.Contains(err.Error(), "file not found") {
		t.Errorf("missing file: %v (want a plain error)", err)
	}
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte("a: "+strings.Repeat("x", MaxFileBytes)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(big); err == nil || !strings.Contains(err.Error(), "not a config file") {
		t.Errorf("big file: %v", err)
	}
	var e *Error
	if _, err := ReadFile(big); !errors.As(err, &e) || len(err.Error()) > 200 {
		t.Errorf("big file error %q", err)
	}
}
