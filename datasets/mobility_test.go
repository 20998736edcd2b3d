package datasets

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"testing"
)

// cellRC parses a cell label "r<row>c<col>".
func cellRC(t *testing.T, s string) (int, int) {
	t.Helper()
	var r, c int
	if _, err := fmt.Sscanf(s, "r%dc%d", &r, &c); err != nil || r < 0 || r > 9 || c < 0 || c > 9 {
		t.Fatalf("bad cell label %q", s)
	}
	return r, c
}

func TestMobilityShares(t *testing.T) {
	tb := Mobility(100_000, 9)
	bin, act := col(t, tb, "time_bin"), col(t, tb, "activity")
	orig, dest := col(t, tb, "origin"), col(t, tb, "destination")
	dist, mode := col(t, tb, "distance"), col(t, tb, "mode")
	cbd := map[string]bool{"r4c4": true, "r4c5": true, "r5c4": true, "r5c5": true}
	schools := map[string]bool{"r2c2": true, "r2c7": true, "r7c2": true, "r7c7": true}

	bins := newCondShares()
	acts := newCondShares()
	origCBD := newCondShares()
	destCBD := newCondShares()
	modes := newCondShares()
	for i := 0; i < tb.NumRows(); i++ {
		b, a, o, d := bin.String(i), act.String(i), orig.String(i), dest.String(i)
		bins.add("day", b)
		acts.add(b, a)
		origCBD.add(b, strconv.FormatBool(cbd[o]))
		switch a {
		case "school":
			if !schools[d] {
				t.Fatalf("row %d: school trip to %s, not a school cell", i, d)
			}
		case "home":
			if cbd[d] {
				t.Fatalf("row %d: home trip into the CBD cell %s", i, d)
			}
		default:
			destCBD.add(a, strconv.FormatBool(cbd[d]))
		}
		or, oc := cellRC(t, o)
		dr, dc := cellRC(t, d)
		want := 0.1
		if o != d {
			want = 0.2 * math.Sqrt(float64((or-dr)*(or-dr)+(oc-dc)*(oc-dc)))
		}
		km := dist.Floats[i]
		if math.Abs(km-want) > 0.0005 {
			t.Fatalf("row %d: %s -> %s distance %g km, want %.4f", i, o, d, km, want)
		}
		band := "drive"
		switch {
		case km < 0.5:
			band = "walk"
		case km < 1.5:
			band = "bike"
		}
		modes.add(band, mode.String(i))
	}
	const floor = 0.01
	checkSharesSE(t, "time bin", bins, map[string]map[string]float64{
		"day": {"0-6": 0.04, "6-9": 0.22, "9-12": 0.14, "12-14": 0.14, "14-17": 0.16, "17-20": 0.22, "20-24": 0.08},
	}, floor)
	row := func(ps ...float64) map[string]float64 {
		m := map[string]float64{}
		for k, name := range []string{"home", "work", "school", "shopping", "leisure", "other"} {
			if ps[k] > 0 {
				m[name] = ps[k]
			}
		}
		return m
	}
	checkSharesSE(t, "activity", acts, map[string]map[string]float64{
		"0-6":   row(0.50, 0.25, 0.00, 0.02, 0.13, 0.10),
		"6-9":   row(0.05, 0.55, 0.25, 0.03, 0.04, 0.08),
		"9-12":  row(0.10, 0.20, 0.05, 0.30, 0.15, 0.20),
		"12-14": row(0.12, 0.25, 0.03, 0.25, 0.20, 0.15),
		"14-17": row(0.30, 0.10, 0.02, 0.25, 0.18, 0.15),
		"17-20": row(0.55, 0.03, 0.00, 0.15, 0.20, 0.07),
		"20-24": row(0.60, 0.02, 0.00, 0.05, 0.28, 0.05),
	}, floor)
	yes := func(p float64) map[string]float64 { return map[string]float64{"true": p, "false": 1 - p} }
	checkSharesSE(t, "origin in CBD", origCBD, map[string]map[string]float64{
		"0-6": yes(0.05), "6-9": yes(0.05), "9-12": yes(0.30), "12-14": yes(0.40),
		"14-17": yes(0.35), "17-20": yes(0.50), "20-24": yes(0.30),
	}, floor)
	// Work, shopping, leisure and other: CBD with the stated probability,
	// else uniform over all 100 cells (4 of them CBD).
	viaUniform := func(p float64) map[string]float64 { return yes(p + (1-p)*0.04) }
	checkSharesSE(t, "destination in CBD", destCBD, map[string]map[string]float64{
		"work": viaUniform(0.60), "shopping": viaUniform(0.40), "leisure": viaUniform(0.30), "other": viaUniform(0.20),
	}, floor)
	mix := func(main string) map[string]float64 {
		m := map[string]float64{"walk": 0.025, "bike": 0.025, "drive": 0.025}
		m[main] = 0.95
		return m
	}
	checkSharesSE(t, "mode by distance", modes, map[string]map[string]float64{
		"walk": mix("walk"), "bike": mix("bike"), "drive": mix("drive"),
	}, floor)
}

func TestMobilityDeterministic(t *testing.T) {
	a := dump(Mobility(500, 1))
	if !bytes.Equal(a, dump(Mobility(500, 1))) {
		t.Error("same seed gave different tables")
	}
	if bytes.Equal(a, dump(Mobility(500, 2))) {
		t.Error("seeds 1 and 2 gave the same table")
	}
}
