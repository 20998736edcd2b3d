package main

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const evalData = "testdata/eval/"

// evalGolden compares got with testdata/eval/NAME, rewriting it under -update;
// a mismatch is written to NAME.got.
func evalGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join(evalData, name)
	if updating() {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/synthor -run Eval -update)", err)
	}
	if got != string(want) && !evalSameUpToRounding(got, string(want)) {
		_ = os.WriteFile(path+".got", []byte(got), 0o644)
		t.Errorf("output differs from %s (see %s.got)", path, path)
	}
}

// evalSameUpToRounding reports whether two outputs differ only in numbers
// within a relative 1e-12 (the last digits of full-precision values may
// change with the platform's floating-point contraction).
func evalSameUpToRounding(a, b string) bool {
	fa, fb := strings.FieldsFunc(a, evalNumberSep), strings.FieldsFunc(b, evalNumberSep)
	if len(fa) != len(fb) {
		return false
	}
	for i := range fa {
		if fa[i] == fb[i] {
			continue
		}
		x, errX := strconv.ParseFloat(fa[i], 64)
		y, errY := strconv.ParseFloat(fb[i], 64)
		if errX != nil || errY != nil || math.Abs(x-y) > 1e-12*max(1, math.Abs(x)) {
			return false
		}
	}
	return true
}

// evalNumberSep splits output into tokens that are numbers or words.
func evalNumberSep(r rune) bool { return strings.ContainsRune(" \t\n,:\"[]{}|", r) }

func TestEvalFormats(t *testing.T) {
	base := []string{"eval", "--real", evalData + "real.csv", "--synth", evalData + "synth.csv", "--seed", "3"}
	for _, f := range []string{"table", "markdown", "json", "csv"} {
		t.Run(f, func(t *testing.T) {
			out, errOut, code, err := runCLI(t, append(base, "--format", f)...)
			if err != nil || code != 0 {
				t.Fatalf("exit %d: %v", code, err)
			}
			if errOut != "" {
				t.Errorf("stderr %q", errOut)
			}
			evalGolden(t, "scores."+f, out)
		})
	}
}

// evalJSON is the documented JSON shape.
type evalJSON struct {
	Metrics []struct {
		Name     string         `json:"name"`
		Group    string         `json:"group"`
		Columns  []string       `json:"columns"`
		Value    *float64       `json:"value"`
		Better   string         `json:"better"`
		Reason   string         `json:"reason"`
		Targeted *bool          `json:"targeted"`
		Params   map[string]any `json:"params"`
		// The reference fields come with a holdout (--holdout).
		Reference       *float64 `json:"reference"`
		ReferenceKind   string   `json:"reference_kind"`
		ReferenceReason string   `json:"reference_reason"`
	} `json:"metrics"`
}

func evalParseJSON(t *testing.T, out string) evalJSON {
	t.Helper()
	var v evalJSON
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("output is not the documented JSON: %v", err)
	}
	return v
}

// evalCSVColumn reads one column of a CSV file with encoding/csv, as an
// independent check of the pipeline's counts.
func evalCSVColumn(t *testing.T, path, col string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	j := -1
	for i, h := range rows[0] {
		if h == col {
			j = i
		}
	}
	var out []string
	for _, r := range rows[1:] {
		out = append(out, r[j])
	}
	return out
}

func TestEvalJSONValues(t *testing.T) {
	out, _, _, err := runCLI(t, "eval", "--real", evalData+"real.csv", "--synth", evalData+"synth.csv", "--format", "json", "--joints", "gender,price;age,price,city;price,age")
	if err != nil {
		t.Fatal(err)
	}
	v := evalParseJSON(t, out)
	names := map[string]bool{}
	for _, m := range v.Metrics {
		names[m.Name] = true
		if m.Value == nil && m.Reason == "" {
			t.Errorf("%s%v: null value without a reason", m.Name, m.Columns)
		}
		if m.Better != "lower" && m.Better != "higher" {
			t.Errorf("%s%v: better %q", m.Name, m.Columns, m.Better)
		}
		if m.Targeted != nil {
			t.Errorf("%s%v: targeted without --targets", m.Name, m.Columns)
		}
	}
	for _, n := range []string{"tvd", "ks", "wasserstein", "jsd", "hellinger", "srmse", "pearson_diff", "spearman_diff", "c2st_gap", "c2st_auc"} {
		if !names[n] {
			t.Errorf("no %s score", n)
		}
	}
	// TVD of gender and of city (missing is a category), counted here
	// straight from the CSV files.
	for _, col := range []string{"gender", "city"} {
		r := evalCSVColumn(t, evalData+"real.csv", col)
		s := evalCSVColumn(t, evalData+"synth.csv", col)
		share := func(v []string) map[string]float64 {
			m := map[string]float64{}
			for _, x := range v {
				m[x] += 1 / float64(len(v))
			}
			return m
		}
		pr, ps := share(r), share(s)
		want := 0.0
		for _, k := range []string{"Male", "Female", "Lyon", "Paris", "Nice", ""} {
			want += math.Abs(pr[k]-ps[k]) / 2
		}
		found := false
		for _, m := range v.Metrics {
			if m.Name == "tvd" && len(m.Columns) == 1 && m.Columns[0] == col {
				found = true
				if m.Value == nil || math.Abs(*m.Value-want) > 1e-12 {
					t.Errorf("tvd[%s] = %v, want %g", col, m.Value, want)
				}
			}
		}
		if !found {
			t.Errorf("no tvd[%s]", col)
		}
	}
	// --joints replaces the pairs: only the two groups have joint scores.
	for _, m := range v.Metrics {
		if len(m.Columns) > 1 && m.Group == "fidelity" && !strings.HasPrefix(m.Name, "c2st") && m.Name != "column_pair_trends" {
			k := strings.Join(m.Columns, ",")
			if k != "gender,price" && k != "age,price,city" && k != "price,age" {
				t.Errorf("%s over %s, not a requested joint", m.Name, k)
			}
		}
	}
}

func TestEvalTargets(t *testing.T) {
	out, _, _, err := runCLI(t, "eval", "--real", evalData+"real.csv", "--synth", evalData+"synth.csv", "--format", "json", "--targets", evalData+"targets.yaml", "--c2st-rows", "0")
	if err != nil {
		t.Fatal(err)
	}
	v := evalParseJSON(t, out)
	targeted := map[string]bool{"gender": true, "price": true, "city": true, "gender,price": true}
	for _, m := range v.Metrics {
		if strings.HasPrefix(m.Name, "c2st") {
			t.Errorf("c2st score with --c2st-rows 0")
		}
		if m.Group != "fidelity" || len(m.Columns) == 0 {
			continue
		}
		if m.Targeted == nil {
			t.Errorf("%s%v: no targeted field with --targets", m.Name, m.Columns)
			continue
		}
		want := targeted[strings.Join(m.Columns, ",")]
		if *m.Targeted != want {
			t.Errorf("%s%v: targeted %v, want %v", m.Name, m.Columns, *m.Targeted, want)
		}
	}
}

func TestEvalErrors(t *testing.T) {
	real, synth := evalData+"real.csv", evalData+"synth.csv"
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no synth", []string{"eval", "--real", real}, 2, "--real and --synth are required"},
		{"bad format", []string{"eval", "--real", real, "--synth", synth, "--format", "xml"}, 2, `--format "xml"`},
		{"unknown group", []string{"eval", "--real", real, "--synth", synth, "--metrics", "fidelity,nosuch"}, 2, `unknown metric group "nosuch" (valid: `},
		{"bad pair filter", []string{"eval", "--real", real, "--synth", synth, "--pair-filter", "some"}, 2, `--pair-filter "some"`},
		{"bad bins", []string{"eval", "--real", real, "--synth", synth, "--bins", "0"}, 2, "--bins 0"},
		{"bad joints", []string{"eval", "--real", real, "--synth", synth, "--joints", "age,;city"}, 2, "empty column name"},
		{"single joint", []string{"eval", "--real", real, "--synth", synth, "--joints", "age"}, 2, "needs two or more columns"},
		{"joint twice a column", []string{"eval", "--real", real, "--synth", synth, "--joints", "age,age"}, 2, `--joints" flag: group 1 names column "age" twice`},
		{"unknown target", []string{"eval", "--real", real, "--synth", synth, "--target", "nosuch"}, 2, `--target "nosuch" is not a column of`},
		{"unknown flag", []string{"eval", "--real", real, "--synth", synth, "--nope"}, 2, "unknown flag"},
		{"joint column", []string{"eval", "--real", real, "--synth", synth, "--joints", "age,zip"}, 2, `column "zip" is not in`},
		{"missing column", []string{"eval", "--real", real, "--synth", evalData + "synth_nocol.csv"}, 1, `column "price" of testdata/eval/real.csv is missing from testdata/eval/synth_nocol.csv`},
		{"extra column", []string{"eval", "--real", evalData + "synth_nocol.csv", "--synth", synth}, 1, `column "price" of testdata/eval/synth.csv is not in`},
		{"kind", []string{"eval", "--real", real, "--synth", evalData + "synth_kind.csv"}, 1, `column "age" is integer in testdata/eval/real.csv but text in testdata/eval/synth_kind.csv`},
		{"no file", []string{"eval", "--real", real, "--synth", evalData + "nope.csv"}, 1, "nope.csv"},
		{"bad targets", []string{"eval", "--real", real, "--synth", synth, "--targets", real}, 1, "targets"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, _, code, err := runCLI(t, c.args...)
			if err == nil {
				t.Fatalf("no error; stdout %q", out)
			}
			if code != c.code {
				t.Errorf("exit %d, want %d (%v)", code, c.code, err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q, want it to contain %q", err, c.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
			if out != "" {
				t.Errorf("stdout %q on error", out)
			}
		})
	}
}

// TestEvalSchema checks that a schema matching the inferred kinds changes
// nothing (category order does not matter to any score) and that a schema
// the synthetic file violates is an error naming it.
func TestEvalSchema(t *testing.T) {
	args := []string{"eval", "--real", evalData + "real.csv", "--synth", evalData + "synth.csv", "--format", "csv"}
	plain, _, _, err := runCLI(t, args...)
	if err != nil {
		t.Fatal(err)
	}
	withSchema, _, _, err := runCLI(t, append(args, "--schema", evalData+"schema.yaml")...)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := csv.NewReader(strings.NewReader(plain)).ReadAll()
	b, _ := csv.NewReader(strings.NewReader(withSchema)).ReadAll()
	if len(a) != len(b) || len(a) < 2 {
		t.Fatalf("%d rows without the schema, %d with it", len(a), len(b))
	}
	for i := range a {
		// Category order changes the summation order: compare values
		// within rounding, the rest exactly.
		x, errX := strconv.ParseFloat(a[i][3], 64)
		y, errY := strconv.ParseFloat(b[i][3], 64)
		if (errX == nil) != (errY == nil) || (errX == nil && math.Abs(x-y) > 1e-12) {
			t.Errorf("row %d: value %s without the schema, %s with it", i, a[i][3], b[i][3])
		}
		a[i][3], b[i][3] = "", ""
		if strings.Join(a[i], "|") != strings.Join(b[i], "|") {
			t.Errorf("row %d: %v without the schema, %v with it", i, a[i], b[i])
		}
	}
	_, _, code, err := runCLI(t, "eval", "--real", evalData+"real.csv", "--synth", evalData+"synth_kind.csv", "--schema", evalData+"schema.yaml")
	if err == nil || code != 1 || !strings.Contains(err.Error(), "synth_kind.csv") {
		t.Errorf("exit %d, error %v; want exit 1 naming synth_kind.csv", code, err)
	}
	_, _, code, err = runCLI(t, "eval", "--real", evalData+"real.csv", "--synth", evalData+"synth.csv", "--schema", evalData+"nope.yaml")
	if err == nil || code != 1 || !strings.Contains(err.Error(), "nope.yaml") {
		t.Errorf("exit %d, error %v; want exit 1 naming nope.yaml", code, err)
	}
}

// TestEvalSDMetrics checks the sdmetrics group: --pair-filter reaches it,
// and the table format appends the quality summary (other formats do not).
func TestEvalSDMetrics(t *testing.T) {
	base := []string{"eval", "--real", evalData + "real.csv", "--synth", evalData + "synth.csv", "--metrics", "sdmetrics,fidelity", "--c2st-rows", "0"}
	for _, pf := range []string{"sdmetrics", "all"} {
		t.Run(pf, func(t *testing.T) {
			out, _, _, err := runCLI(t, append(base, "--pair-filter", pf)...)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out, "SDMetrics quality report (pair filter: "+pf+")") {
				t.Errorf("no quality summary for pair filter %s in:\n%s", pf, out)
			}
			js, _, _, err := runCLI(t, append(base, "--pair-filter", pf, "--format", "json")...)
			if err != nil {
				t.Fatal(err)
			}
			v := evalParseJSON(t, js)
			groups := map[string]int{}
			for _, m := range v.Metrics {
				groups[m.Group]++
				if m.Name == "column_pair_trends" && m.Params["pair_filter"] != pf {
					t.Errorf("%s column_pair_trends params %v, want pair_filter %s", m.Group, m.Params, pf)
				}
			}
			if groups["sdmetrics"] == 0 || groups["fidelity"] == 0 {
				t.Errorf("scores per group %v", groups)
			}
			if strings.Contains(js, "quality report") {
				t.Error("summary text in JSON output")
			}
		})
	}
}

// TestEvalSeed checks that the same seed gives byte-identical output and
// that the seed reaches the classifier test.
func TestEvalSeed(t *testing.T) {
	args := []string{"eval", "--real", evalData + "real.csv", "--synth", evalData + "synth.csv", "--format", "csv"}
	a, _, _, err := runCLI(t, append(args, "--seed", "11")...)
	if err != nil {
		t.Fatal(err)
	}
	b, _, _, _ := runCLI(t, append(args, "--seed", "11")...)
	if a != b {
		t.Error("same seed, different output")
	}
	var seeds []string
	for _, s := range []string{"11", "12", "13", "14"} {
		out, _, _, err := runCLI(t, append(args, "--seed", s)...)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r[1] == "c2st_auc" {
				seeds = append(seeds, r[3])
			}
		}
	}
	distinct := map[string]bool{}
	for _, v := range seeds {
		distinct[v] = true
	}
	if len(seeds) != 4 || len(distinct) < 2 {
		t.Errorf("c2st_auc over four seeds: %v; the seed does not reach the test", seeds)
	}
}

func TestSameUpToRounding(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{`{"value": 0.19054184349584266}`, `{"value": 0.19054184349584274}`, true},
		{`{"value": 0.1905}`, `{"value": 0.1906}`, false},
		{`a,b,0.5`, `a,c,0.5`, false},
		{`a,0.5`, `a,0.5,1`, false},
	} {
		if got := evalSameUpToRounding(c.a, c.b); got != c.want {
			t.Errorf("evalSameUpToRounding(%q, %q) = %v", c.a, c.b, got)
		}
	}
}

// TestEvalAllMissing checks that a column missing in every synthetic row
// (whose kind cannot be inferred) is scored with reasons, not rejected.
func TestEvalAllMissing(t *testing.T) {
	out, _, code, err := runCLI(t, "eval", "--real", evalData+"real.csv", "--synth", evalData+"synth_gone.csv", "--format", "json", "--c2st-rows", "0")
	if err != nil || code != 0 {
		t.Fatalf("exit %d: %v", code, err)
	}
	v := evalParseJSON(t, out)
	found := 0
	for _, m := range v.Metrics {
		if len(m.Columns) != 1 || m.Columns[0] != "price" || m.Group != "fidelity" {
			continue
		}
		switch m.Name {
		case "ks", "wasserstein":
			found++
			if m.Value != nil || !strings.Contains(m.Reason, "synthetic column has no values") {
				t.Errorf("%s[price] = %v, reason %q", m.Name, m.Value, m.Reason)
			}
		case "jsd", "hellinger":
			found++
			// All synthetic mass sits in the missing cell, which the real
			// column never uses: the supports are disjoint.
			if m.Value == nil || math.Abs(*m.Value-1) > 1e-12 {
				t.Errorf("%s[price] = %v, want 1", m.Name, m.Value)
			}
		}
	}
	if found != 4 {
		t.Errorf("%d price scores, want 4", found)
	}
}
