package metrics

import (
	"context"
	"testing"
)

func TestTruthScores(t *testing.T) {
	real, synth, hold := smallUtility()
	_, _, truth := smallUtility()
	ctx := context.Background()
	in := Input{Real: real, Synth: synth, Holdout: hold, Target: "y", Truth: truth, C2STRows: -1}
	for _, name := range []string{"utility", "fidelity", "privacy"} {
		g, err := Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		s, err := TruthScores(ctx, name, g, in)
		if err != nil {
			t.Fatal(err)
		}
		if name == "privacy" {
			if s != nil {
				t.Errorf("privacy against the truth: %d scores", len(s))
			}
			continue
		}
		if len(s) == 0 {
			t.Fatalf("%s: no scores", name)
		}
		for _, sc := range s {
			if sc.Group != name+TruthSuffix || sc.Params["reference"] != "truth" {
				t.Errorf("%s: group %q params %v", sc.Name, sc.Group, sc.Params)
			}
			if name == "utility" && sc.Params["test"] != "truth" {
				t.Errorf("%s: test %v", sc.Name, sc.Params["test"])
			}
		}
	}
	// Fidelity of the truth against itself as synthetic is perfect: the
	// truth really took the place of the real table.
	in.Synth = truth
	g, _ := Lookup("fidelity")
	s, err := TruthScores(ctx, "fidelity", g, in)
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range s {
		if sc.Name == NameTVD && sc.Value != 0 {
			t.Errorf("tvd of the truth against itself %v", sc.Value)
		}
	}
	in.Truth = nil
	if s, _ := TruthScores(ctx, "utility", g, in); s != nil {
		t.Error("scores without a truth")
	}
}
