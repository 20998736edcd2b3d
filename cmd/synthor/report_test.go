package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/synthor/synthor/bench"
	"github.com/synthor/synthor/reports"
)

const reportRun = "../../reports/testdata/run"

// copyRun writes the fixture run's results to a new directory after edit.
func copyRun(t *testing.T, edit func(*bench.Result)) string {
	t.Helper()
	rs, err := reports.Load(reportRun)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var b strings.Builder
	for i := range rs {
		edit(&rs[i])
		line, err := json.Marshal(rs[i])
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	if err := os.WriteFile(filepath.Join(dir, "results.jsonl"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestReportGate(t *testing.T) {
	rerun := copyRun(t, func(r *bench.Result) { r.Timings.TotalS += 0.5 })
	planted := copyRun(t, func(r *bench.Result) {
		if r.Method.Label != "bayes-net" {
			return
		}
		for k, s := range r.Metrics {
			if s.Name == "jsd" && strings.Join(s.Columns, ",") == "user_age,user_gender,product_category" {
				r.Metrics[k].Value = s.Value * 4
			}
		}
	})
	gate := []string{"--baseline", reportRun, "--fail-on-regression", "--format", "markdown"}
	out, _, code, err := runCLI(t, append([]string{"report", rerun}, gate...)...)
	if code != 0 || !strings.Contains(out, "Regression gate: passed") {
		t.Fatalf("rerun: exit %d (%v)\n%s", code, err, out)
	}
	out, _, code, err = runCLI(t, append([]string{"report", planted}, gate...)...)
	if code != 1 || !strings.Contains(out, "Regression gate: failed") ||
		!strings.Contains(out, "| bayes-net | fidelity | jsd    | user_age, user_gender, product_category |") {
		t.Fatalf("planted: exit %d (%v)\n%s", code, err, out)
	}
	if !strings.Contains(err.Error(), "1 metrics regressed") {
		t.Fatalf("error %v", err)
	}
	out, _, _, _ = runCLI(t, "report", planted, "--baseline", reportRun, "--format", "json")
	var verdict struct {
		Passed      bool `json:"passed"`
		Regressions []struct {
			Method, Metric string
		} `json:"regressions"`
	}
	if err := json.Unmarshal([]byte(out), &verdict); err != nil || verdict.Passed || len(verdict.Regressions) != 1 ||
		verdict.Regressions[0].Method != "bayes-net" || verdict.Regressions[0].Metric != "jsd" {
		t.Fatalf("json verdict %+v (%v)\n%s", verdict, err, out)
	}
	// Without --fail-on-regression the verdict is printed and the exit is 0.
	if _, _, code, _ := runCLI(t, "report", planted, "--baseline", reportRun); code != 0 {
		t.Fatalf("exit %d without --fail-on-regression", code)
	}
}

func TestReportFormatsAndOut(t *testing.T) {
	for _, f := range reports.Formats {
		out, _, code, err := runCLI(t, "report", reportRun, "--format", f)
		if code != 0 || len(out) == 0 {
			t.Fatalf("%s: exit %d %v", f, code, err)
		}
	}
	want, err := os.ReadFile("../../reports/testdata/report.table")
	if err != nil {
		t.Fatal(err)
	}
	out, _, _, _ := runCLI(t, "report", reportRun)
	if out != string(want) {
		t.Error("synthor report differs from the reports golden table")
	}
	file := filepath.Join(t.TempDir(), "r.html")
	real := "ecommerce-bn=" + filepath.Join(reportRun, "reference.csv")
	if _, _, code, err := runCLI(t, "report", reportRun, "--format", "html", "--out", file, "--real", real); code != 0 {
		t.Fatalf("--out: %v", err)
	}
	b, err := os.ReadFile(file)
	if err != nil || !strings.HasPrefix(string(b), "<!DOCTYPE html>") || !strings.Contains(string(b), "<h4>price <span") {
		t.Fatalf("--out file: %v", err)
	}
}

func TestReportUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"report"}, 2, "requires at least 1 arg"},
		{[]string{"report", reportRun, "--format", "pdf"}, 2, `--format "pdf"`},
		{[]string{"report", reportRun, "--fail-on-regression"}, 2, "needs --baseline"},
		{[]string{"report", reportRun, "--tolerance-sd", "-1", "--baseline", reportRun}, 2, "negative"},
		{[]string{"report", "no/such/dir"}, 1, "no/such/dir"},
		{[]string{"report", reportRun, "--real", "ecommerce-bn"}, 2, "not DATASET=FILE"},
		{[]string{"report", reportRun, "--real", "ecommerce-bn=no/such.csv"}, 1, "no/such.csv"},
		{[]string{"report", reportRun, "--real", "nosuch=" + reportRun + "/results.jsonl"}, 2, `no dataset "nosuch" in the results (datasets: ecommerce-bn)`},
	} {
		_, _, code, err := runCLI(t, c.args...)
		if code != c.code || err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: exit %d, %v; want %d with %q", c.args, code, err, c.code, c.want)
		}
	}
}

func TestReportHTMLToTerminalRefused(t *testing.T) {
	old := isTerminal
	isTerminal = func(io.Writer) bool { return true }
	t.Cleanup(func() { isTerminal = old })
	out, _, code, err := runCLI(t, "report", reportRun, "--format", "html")
	if code != 2 || err == nil || !strings.Contains(err.Error(), "--out report.html") || out != "" {
		t.Fatalf("exit %d, err %v, %d bytes on stdout; want exit 2 with a hint and nothing written", code, err, len(out))
	}
	// To a file, or to a pipe, the page is written.
	page := filepath.Join(t.TempDir(), "r.html")
	if _, _, code, err := runCLI(t, "report", reportRun, "--format", "html", "--out", page); code != 0 {
		t.Fatalf("--out: exit %d %v", code, err)
	}
	isTerminal = old
	if out, _, code, _ := runCLI(t, "report", reportRun, "--format", "html"); code != 0 || !strings.HasPrefix(out, "<!DOCTYPE html>") {
		t.Fatalf("to a pipe: exit %d, %.40q", code, out)
	}
}
