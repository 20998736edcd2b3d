package main

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/synthor/synthor/methods"
	"github.com/synthor/synthor/table"
)

// TestSynthFlat: --flat lets a flat method take a grouped table's rows as
// records, which the battery shows refused without it.
func TestSynthFlat(t *testing.T) {
	out := filepath.Join(t.TempDir(), "o.jsonl")
	_, _, code, err := runCLI(t, "synth", "--data", filepath.Join("testdata", "hostile", "households.jsonl"),
		"--method", "independent", "--flat", "--rows", "7", "--out", out)
	if err != nil || code != 0 {
		t.Fatalf("exit %d: %v", code, err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(b, []byte("\n")); n != 7 {
		t.Errorf("%d records, want 7", n)
	}
}

// TestStopperFinish checks the status and the one line for each outcome.
func TestStopperFinish(t *testing.T) {
	cases := []struct {
		name   string
		sig    os.Signal
		err    error
		forced bool
		code   int
		line   string
	}{
		{"success", nil, nil, false, 0, ""},
		{"failure", nil, errors.New("boom\nsecond line"), false, 1, "synthor: boom; second line\n"},
		{"usage", nil, usagef("bad flag"), false, 2, "synthor: bad flag\n"},
		{"SIGTERM", syscall.SIGTERM, errors.New("context canceled"), false, 143, "synthor: stopped by SIGTERM; no output written\n"},
		{"SIGINT forced", syscall.SIGINT, nil, true, 130, "synthor: stopped by SIGINT; no output written\n"},
		{"signal after the work was done", syscall.SIGINT, nil, false, 0, ""},
	}
	// A trace that exists is named as kept.
	trace := filepath.Join(t.TempDir(), "t.jsonl")
	if err := os.WriteFile(trace, []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	code := -1
	s := &stopper{stderr: &stderr, exit: func(n int) { code = n }, sig: syscall.SIGTERM}
	s.keep(trace)
	s.finish(errors.New("context canceled"), false)
	if want := "synthor: stopped by SIGTERM; no output written; " + trace + " keeps what was done\n"; code != 143 || stderr.String() != want {
		t.Errorf("status %d, stderr %q; want 143, %q", code, stderr.String(), want)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stderr bytes.Buffer
			code := -1
			s := &stopper{stderr: &stderr, exit: func(n int) { code = n }, sig: c.sig}
			s.keep(filepath.Join(t.TempDir(), "absent-trace.jsonl"))
			s.finish(c.err, c.forced)
			if code != c.code || stderr.String() != c.line {
				t.Errorf("status %d, stderr %q; want %d, %q", code, stderr.String(), c.code, c.line)
			}
		})
	}
}

// TestRemoveTemps removes table.WriteAtomic's temporary files of the
// tracked outputs, and nothing else.
func TestRemoveTemps(t *testing.T) {
	dir := t.TempDir()
	names := []string{".o.csv.tmp123", ".o.csv.tmp9", "o.csv", ".other.csv.tmp1", "keep.csv"}
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	removeTemps([]string{filepath.Join(dir, "o.csv")})
	entries, _ := os.ReadDir(dir)
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if got := strings.Join(left, " "); got != ".other.csv.tmp1 keep.csv o.csv" {
		t.Errorf("left %q", got)
	}
}

// TestTraceFile: the trace file appears with its first line, each line is
// in the file as soon as it is written, and a run with no line leaves none.
func TestTraceFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "t.jsonl")
	tf := &traceFile{path: path}
	if err := tf.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("a trace with no line was created")
	}
	tf = &traceFile{path: path}
	if _, err := tf.Write([]byte("{\"iteration\":1}\n")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "{\"iteration\":1}\n" {
		t.Errorf("after one line the file holds %q", b)
	}
	if err := tf.Close(); err != nil {
		t.Fatal(err)
	}
	bad := &traceFile{path: filepath.Join(dir, "nowhere", "t.jsonl")}
	if _, err := bad.Write([]byte("x\n")); err == nil {
		t.Fatal("no error for a trace in a missing directory")
	}
	if err := bad.Close(); err == nil || !strings.Contains(err.Error(), "--trace") {
		t.Errorf("Close: %v, want the write error", err)
	}
}

// TestCatalogGroupingIsTrusted: a table with an id column in runs is
// refused as looking grouped when it comes from a file, and taken as the
// catalog says (flat) when it is a catalog dataset's (superstore).
func TestCatalogGroupingIsTrusted(t *testing.T) {
	cart, err := methods.Lookup("cart")
	if err != nil {
		t.Fatal(err)
	}
	train, err := table.New(table.NewCategorical("Order ID", []string{"A", "B", "C"}, []int32{0, 0, 1, 2, 2, 2}),
		table.NewFloat("Sales", []float64{1, 2, 3, 4, 5, 6}))
	if err != nil {
		t.Fatal(err)
	}
	if err := checkGrouping(synthFlags{data: "orders.csv", method: "cart"}, cart, train); err == nil || !strings.Contains(err.Error(), `looks grouped by "Order ID"`) {
		t.Errorf("a file: %v, want it refused as looking grouped", err)
	}
	if err := checkGrouping(synthFlags{dataset: "superstore", method: "cart"}, cart, train); err != nil {
		t.Errorf("the catalog's superstore: %v", err)
	}
}

// TestEvalRefusesWideHeader: a real table whose header names 3,000 columns
// (4.5 million pairs, 5.8 GB of scores) is refused under --max-memory 1GiB
// from its header, before its rows are read (they are malformed here, so
// reading them would fail otherwise); with --joints the pairs are not
// scored and the rows are read.
func TestEvalRefusesWideHeader(t *testing.T) {
	dir := t.TempDir()
	names := make([]string, 3000)
	for j := range names {
		names[j] = "c" + strconv.Itoa(j)
	}
	text := strings.Join(names, ",") + "\n1,2\n"
	plain := filepath.Join(dir, "wide.csv")
	if err := os.WriteFile(plain, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(text))
	zw.Close()
	packed := filepath.Join(dir, "wide.csv.gz")
	if err := os.WriteFile(packed, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, real string
		extra      []string
		want       string
	}{
		{"csv", plain, nil, "the scores of every pair of the 3000 columns in the header of " + plain},
		{"csv.gz", packed, nil, "the scores of every pair of the 3000 columns in the header of " + packed},
		{"joints", plain, []string{"--joints", names[0] + "," + names[1]}, "line 2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"eval", "--real", c.real, "--synth", plain, "--max-memory", "1GiB"}, c.extra...)
			_, _, code, err := runCLI(t, args...)
			if err == nil || code == 0 || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("exit %d, error %v; want one containing %q", code, err, c.want)
			}
		})
	}
}
