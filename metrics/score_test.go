package metrics

import (
	"encoding/json"
	"math"
	"testing"
)

func TestScoreJSON(t *testing.T) {
	yes := true
	cases := []struct {
		name string
		s    Score
		want string
	}{
		{"value", Score{Name: "tvd", Group: "fidelity", Columns: []string{"c"}, Value: 0.25, Better: Lower},
			`{"name":"tvd","group":"fidelity","columns":["c"],"value":0.25,"better":"lower"}`},
		{"undefined", Undefined("ks", "fidelity", nil, Lower, "no values"),
			`{"name":"ks","group":"fidelity","columns":[],"value":null,"better":"lower","reason":"no values"}`},
		{"targeted params", Score{Name: "jsd", Group: "fidelity", Columns: []string{"a", "b"}, Value: 1, Better: Lower, Targeted: &yes, Params: map[string]any{"bins": 6}},
			`{"name":"jsd","group":"fidelity","columns":["a","b"],"value":1,"better":"lower","targeted":true,"params":{"bins":6}}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := json.Marshal(c.s)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != c.want {
				t.Errorf("got  %s\nwant %s", b, c.want)
			}
			var back Score
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if back.OK() != c.s.OK() || (c.s.OK() && back.Value != c.s.Value) || back.Reason != c.s.Reason || back.Name != c.s.Name {
				t.Errorf("round trip: %+v, want %+v", back, c.s)
			}
			if !c.s.OK() && !math.IsNaN(back.Value) {
				t.Errorf("null value read back as %g", back.Value)
			}
		})
	}
}

func TestScoreReferenceJSON(t *testing.T) {
	cases := []struct {
		s    Score
		want string
	}{
		{Score{Name: "a", Group: "g", Value: 1, Better: Lower},
			`{"name":"a","group":"g","columns":[],"value":1,"better":"lower"}`},
		{Score{Name: "a", Group: "g", Value: 1, Better: Lower, Reference: 0.5, ReferenceKind: ReferenceFixed},
			`{"name":"a","group":"g","columns":[],"value":1,"better":"lower","reference":0.5,"reference_kind":"fixed"}`},
		{Score{Name: "a", Group: "g", Value: 1, Better: Lower, Reference: math.NaN(), ReferenceKind: ReferenceHoldout, ReferenceReason: "no rows"},
			`{"name":"a","group":"g","columns":[],"value":1,"better":"lower","reference":null,"reference_kind":"holdout","reference_reason":"no rows"}`},
	}
	for _, c := range cases {
		b, err := json.Marshal(c.s)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != c.want {
			t.Errorf("got  %s\nwant %s", b, c.want)
		}
		var back Score
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if back.ReferenceKind != c.s.ReferenceKind || back.HasReference() != c.s.HasReference() ||
			(c.s.HasReference() && back.Reference != c.s.Reference) {
			t.Errorf("round trip of %s: %+v", b, back)
		}
	}
}
