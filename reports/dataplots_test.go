package reports

import (
	"math"
	"testing"

	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/table"
)

func TestJointGrid(t *testing.T) {
	mk := func(a, b []int32) *table.Table {
		tb, err := table.New(table.NewCategorical("a", []string{"x", "y"}, a), table.NewCategorical("b", []string{"p", "q"}, b))
		if err != nil {
			t.Fatal(err)
		}
		return tb
	}
	real := mk([]int32{0, 0, 1, 1}, []int32{0, 1, 0, 0})
	synth := mk([]int32{0, 1, 1, 1}, []int32{0, 0, 0, 1})
	space, err := macro.NewSpace(real, 6, synth)
	if err != nil {
		t.Fatal(err)
	}
	vars, _ := space.Lookup("a", "b")
	er, _ := space.Encode(real)
	es, _ := space.Encode(synth)
	target, got := contingency(vars, er), contingency(vars, es)
	// By hand: real (x,p) .25 (x,q) .25 (y,p) .5 (y,q) 0; synthetic .25, 0,
	// .5, .25; synthetic − real 0, −.25, 0, .25.
	want := map[string][][]float64{
		"target": {{0.25, 0.25}, {0.5, 0}},
		"diff":   {{0, -0.25}, {0, 0.25}},
	}
	for name, g := range map[string]heatGrid{"target": toGrid(target, nil), "diff": toGrid(got, target)} {
		if len(g.rows) != 2 || g.rows[0] != "x" || g.cols[1] != "q" {
			t.Fatalf("%s: rows %q cols %q", name, g.rows, g.cols)
		}
		for r := range 2 {
			for c := range 2 {
				if math.Abs(g.Z(c, r)-want[name][r][c]) > 1e-12 {
					t.Errorf("%s[%d][%d] = %g, want %g", name, r, c, g.Z(c, r), want[name][r][c])
				}
			}
		}
	}
}

func TestUnsafeFilesAreNotRead(t *testing.T) {
	for _, f := range []string{"../x/synth.csv", "/etc/synth.csv", "cells/../../synth.csv"} {
		if safeRel(f) {
			t.Errorf("%q accepted", f)
		}
	}
	if !safeRel("cells/ab/synth.csv") {
		t.Error("a cell file refused")
	}
}
