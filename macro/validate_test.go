package macro

import (
	"math"
	"strings"
	"testing"
)

const validateVars = `variables:
  - {name: g, kind: categorical, categories: [M, F]}
  - {name: t, kind: categorical, categories: [A, B, C]}
`

func TestTargetsConsistency(t *testing.T) {
	cases := []struct {
		name, body, want string // want: substring of the error, "" for none
	}{
		{"consistent counts", "size: 100\n" + validateVars +
			"marginals:\n  - {vars: [g], counts: [40, 60]}\njoints:\n  - {vars: [g, t], counts: [10, 10, 20, 20, 20, 20]}\n", ""},
		{"shares rounded to 3 decimals", validateVars +
			"joints:\n  - {vars: [g, t], shares: [0.167, 0.167, 0.167, 0.167, 0.167, 0.167]}\n", ""},
		{"counts within 1% of size", "size: 100\n" + validateVars + "marginals:\n  - {vars: [g], counts: [40, 60.9]}\n" +
			"  - {vars: [t], counts: [33, 33, 34]}\n", ""},
		{"size negative", "size: -10\n" + validateVars + "marginals:\n  - {vars: [g], counts: [1, 1]}\n", "size -10: want a positive number"},
		{"size NaN", "size: .nan\n" + validateVars + "marginals:\n  - {vars: [g], counts: [1, 1]}\n", "size NaN"},
		{"shares sum to 3", validateVars + "joints:\n  - {vars: [g, t], shares: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]}\n", "joint 1 [g, t]: shares sum to 3, not 1"},
		{"shares sum to 0.98", validateVars + "joints:\n  - {vars: [g, t], shares: [0.1, 0.2, 0.2, 0.2, 0.2, 0.08]}\n", "shares sum to 0.98"},
		{"counts not size", "size: 100\n" + validateVars + "marginals:\n  - {vars: [g], counts: [40, 50]}\n  - {vars: [t], counts: [30, 30, 40]}\n",
			"marginal 1 [g]: counts sum to 90, not size 100"},
		{"NaN is the 6th of 6", validateVars + "joints:\n  - {vars: [g, t], shares: [0.1, 0.2, 0.2, 0.2, 0.3, .nan]}\n", "shares: value 6 of 6 is NaN"},
		{"negative 2nd", validateVars + "marginals:\n  - {vars: [g], counts: [3, -1]}\n  - {vars: [t], counts: [1, 1, 1]}\n", "marginal 1 [g]: counts: value 2 of 2 is -1"},
		{"infinite", validateVars + "marginals:\n  - {vars: [t], counts: [1, .inf, 1]}\n  - {vars: [g], counts: [1, 1]}\n", "value 2 of 3 is +Inf"},
		// g: 0.4/0.6 in the marginal, 0.5/0.5 summed from the joint.
		{"joint disagrees with marginal", "size: 100\n" + validateVars +
			"marginals:\n  - {vars: [g], counts: [40, 60]}\njoints:\n  - {vars: [g, t], counts: [20, 20, 10, 20, 20, 10]}\n",
			`joint 1 [g, t] disagrees with the marginal of g: category "M" has share 0.5 in the joint and 0.4 in the marginal`},
		// t is summed from the first joint; the second says otherwise.
		{"two joints disagree", validateVars +
			"joints:\n  - {vars: [g, t], shares: [0.1, 0.2, 0.2, 0.1, 0.2, 0.2]}\n  - {vars: [t], shares: [0.6, 0.2, 0.2]}\n",
			"joint 2 [t] disagrees with the marginal of t"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseTargets([]byte(c.body))
			if c.want == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

// FuzzTargetsConsistency: every targets file ParseTargets accepts has
// finite non-negative counts, and each joint summed over its other
// variables agrees with every variable's marginal within AgreementTolerance.
func FuzzTargetsConsistency(f *testing.F) {
	f.Add([]byte("size: 100\n" + validateVars + "marginals:\n  - {vars: [g], counts: [40, 60]}\njoints:\n  - {vars: [g, t], counts: [10, 10, 20, 20, 20, 20]}\n"))
	f.Add([]byte(validateVars + "joints:\n  - {vars: [g, t], shares: [0.1, 0.2, 0.2, 0.2, 0.3, .nan]}\n"))
	f.Add([]byte("size: -3\n" + validateVars + "marginals:\n  - {vars: [g], counts: [1, 1]}\n  - {vars: [t], counts: [1, 1, 1]}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		tg, err := ParseTargets(b)
		if err != nil {
			return
		}
		for _, c := range tg.Tables() {
			for _, x := range c.Counts {
				if x < 0 || math.IsNaN(x) || math.IsInf(x, 0) {
					t.Fatalf("table %s: count %v", c.Key(), x)
				}
			}
		}
		if err := tg.checkAgreement(); err != nil {
			t.Fatalf("accepted, yet: %v", err)
		}
	})
}
