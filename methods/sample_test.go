package methods

import (
	"context"
	"strings"
	"testing"

	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/macro"
)

// TestFitSampleAndGroupSample checks how FitSample hands a seed to each
// kind of method and how GroupSample groups a seed read from a file.
func TestFitSampleAndGroupSample(t *testing.T) {
	ctx := context.Background()
	full := datasets.Population(200, 3)
	tg, err := macro.ControlsFromTable(full, macro.ControlSpec{Groups: []string{"num_persons", "householder_type"}, Members: []string{"age"}})
	if err != nil {
		t.Fatal(err)
	}
	seed := datasets.Population(50, 4)
	read := seed.Take(nil)
	read.Cols = nil
	for _, c := range seed.Cols {
		cp := *c
		cp.Group = false
		read.Cols = append(read.Cols, &cp)
	}
	read.GroupKey = ""
	if err := GroupSample(read, tg); err != nil {
		t.Fatal(err)
	}
	if read.GroupKey != "household_id" || !read.Col("num_persons").Group || read.Col("age").Group {
		t.Fatalf("grouped by %q; num_persons group-level %v", read.GroupKey, read.Col("num_persons").Group)
	}
	bad := *tg.Grouping
	bad.Key = "hh"
	badTg := *tg
	badTg.Grouping = &bad
	if err := GroupSample(read, &badTg); err == nil || !strings.Contains(err.Error(), `no column "hh", the targets' group key`) {
		t.Fatalf("missing key: %v", err)
	}
	for name, want := range map[string]string{
		"ipu": "fitted to the seed sample and the controls", "llmsynthor": "the seed sample gave only its schema",
		"independent": "fitted to the seed sample alone",
	} {
		s, err := New(name, nil, Options{})
		if err != nil {
			t.Fatal(err)
		}
		how, err := FitSample(ctx, s, seed, tg)
		if err != nil || !strings.Contains(how, want) {
			t.Errorf("%s: %q (%v), want %q", name, how, err, want)
		}
	}
	m, _ := Lookup("ipu")
	l, _ := Lookup("llmsynthor")
	if !NeedsSample(m) || NeedsSample(l) {
		t.Error("NeedsSample: ipu needs a sample, llmsynthor does not")
	}
}
