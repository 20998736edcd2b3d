package metrics

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/table"
)

// households builds a grouped table of households given by their members'
// ages (key hh, size n, tenure t of the first letter of tenures).
func households(ages [][]int64, tenures string) *table.Table {
	var hh, n, age []int64
	var ten []int32
	for g, as := range ages {
		for _, a := range as {
			hh = append(hh, int64(g+1))
			n = append(n, int64(len(as)))
			age = append(age, a)
			if tenures[g] == 'o' {
				ten = append(ten, 0)
			} else {
				ten = append(ten, 1)
			}
		}
	}
	t := table.MustNew(
		table.NewInteger("hh", hh, nil),
		table.NewInteger("n", n, nil),
		table.NewCategorical("tenure", []string{"own", "rent"}, ten),
		table.NewInteger("age", age, nil),
	)
	t.GroupKey = "hh"
	return t
}

// TestControlsRMSE checks control_rmse_pct against hand-computed values.
//
// Controls: households (30, 10) own, (70) rent, (40, 41, 5) own: sizes
// 1, 2, 3 one each; tenure own 2, rent 1; ages with edges at 18 and 65.
// Synthetic: (30, 10) rent, (20, 25) own, (40, 41, 5) own.
//
//	sizes:   s = [0, 2, 1], t = [1, 1, 1]: sqrt((1+1+0)/3)/1 = 81.650 %
//	tenure:  s = [2, 1],    t = [2, 1]:    0 %
//	age (bins [0,18), [18,65), [65,99], 6 members per 3 groups):
//	         s = [2, 5, 0], t = [2, 3, 1]: sqrt((0+4+1)/3)/2 = 64.550 %
//	compositions [0 0 1], [1 1 0], [1 2 0]: t = 1 each; s = [0, 1, 1] and
//	         [0 2 0] = 1 (no control): sqrt((1+0+0+1)/4)/(3/4) = 94.281 %
func TestControlsRMSE(t *testing.T) {
	real := households([][]int64{{30, 10}, {70}, {40, 41, 5}}, "oro")
	synth := households([][]int64{{30, 10}, {20, 25}, {40, 41, 5}}, "roo")
	tg, err := macro.ControlsFromTable(real, macro.ControlSpec{Groups: []string{"n", "tenure"}, Members: []string{"age"},
		Composition: &macro.CompositionSpec{Member: "age", Cuts: []float64{18, 65}}, Options: macro.SpaceOptions{Bins: 1, Discrete: -1, PointShare: -1}})
	if err != nil {
		t.Fatal(err)
	}
	scores, err := Controls(context.Background(), Input{Real: real, Synth: synth, Controls: tg})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{
		"n":                      100 * math.Sqrt(2.0/3),
		"tenure":                 0,
		"age":                    100 * math.Sqrt(5.0/3) / 2,
		"composition(age:18,65)": 100 * math.Sqrt(2.0/4) / 0.75,
		"worst":                  100 * math.Sqrt(2.0/4) / 0.75, // the largest
	}
	if len(scores) != len(want) {
		t.Fatalf("%d scores, want %d: %+v", len(scores), len(want), scores)
	}
	for _, s := range scores {
		key := s.Params["table"].(string)
		w, ok := want[key]
		if !ok || math.Abs(s.Value-w) > 1e-9 || s.Name != NameControlRMS || s.Group != "controls" || s.Better != Lower {
			t.Errorf("table %s: %v (%s/%s), want %v", key, s.Value, s.Group, s.Name, w)
		}
		if key != "worst" && (s.Params["real"] != 0.0 || s.Targeted == nil || !*s.Targeted) {
			t.Errorf("table %s: real %v, targeted %v", key, s.Params["real"], s.Targeted)
		}
	}
	if s := scores[0]; s.Params["level"] != "groups" || s.Params["cells"] != 3 || s.Params["max_cell_error_pct"] != 100.0 {
		t.Errorf("sizes: params %v", s.Params)
	}
	if s := scores[3]; s.Params["level"] != "members" || s.Params["table"] != "age" {
		t.Errorf("member score %v", s.Params)
	}

	none, err := Controls(context.Background(), Input{Real: real, Synth: synth})
	if err != nil || len(none) != 1 || none[0].OK() || !strings.Contains(none[0].Reason, "no controls given") {
		t.Fatalf("no controls: %+v, %v", none, err)
	}
	flat := table.MustNew(synth.Cols...)
	if _, err := Controls(context.Background(), Input{Synth: flat, Controls: tg}); err == nil || !strings.Contains(err.Error(), "the table is flat") {
		t.Fatalf("flat table against grouped controls: %v", err)
	}
	noAge := table.MustNew(synth.Cols[:3]...)
	noAge.GroupKey = "hh"
	got, err := Controls(context.Background(), Input{Synth: noAge, Controls: tg})
	if err != nil || got[3].OK() || !strings.Contains(got[3].Reason, "lacks column age") {
		t.Fatalf("missing column: %+v, %v", got[3], err)
	}
}
