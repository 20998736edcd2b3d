package macro

import (
	"errors"
	"fmt"
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

// TestTargetsCellsEstimated: a small file whose joint or fine marginals
// would take more memory than allowed is refused before they are built,
// naming the largest table; a file too large to decode is refused; one
// within the limit parses.
func TestTargetsCellsEstimated(t *testing.T) {
	var vars, names []string
	for i := range 12 {
		vars = append(vars, fmt.Sprintf("  - {name: v%d, kind: categorical, categories: [a, b, c, d, e, f, g, h, i, j]}", i))
		names = append(names, fmt.Sprintf("v%d", i))
	}
	huge := "size: 100\nvariables:\n" + strings.Join(vars, "\n") + "\njoints:\n  - {vars: [" + strings.Join(names, ", ") + "], shares: [1]}\n"
	fine := "fine: 1000000000\nvariables:\n  - {name: x, kind: float, bins: {edges: [0, 1, 2, 3]}}\nmarginals:\n  - {vars: [x], shares: [0.2, 0.3, 0.5]}\n"
	small := "variables:\n  - {name: a, kind: categorical, categories: [x, y]}\n  - {name: b, kind: categorical, categories: [x, y, z]}\njoints:\n  - {vars: [a, b], shares: [0.1, 0.2, 0.2, 0.1, 0.2, 0.2]}\n"
	// small's tables: marginals of 3 and 4 cells, the joint of 3 × 4.
	smallNeed := float64(len(small))*FileBytesFactor + (3+4+12)*BytesPerCell
	for _, tc := range []struct {
		name, body string
		max        float64
		want       string // "" parses
	}{
		{"12-variable joint", huge, 0, "joint 1 [v0, v1, v2, … (7 more), v10, v11] (3.138e+12 cells)"},
		{"12-variable joint, a limit", huge, 1e9, "joint 1 ["},
		{"fine 1e9", fine, 0, "the fine marginal of x"},
		{"small", small, 0, ""},
		{"small, its need", small, smallNeed, ""},
		{"small, a byte short", small, smallNeed - 1, "joint 1 [a, b] (12 cells)"},
		{"small, too large to decode", small, float64(len(small))*FileBytesFactor - 1, "decoding its"},
	} {
		_, err := ParseTargetsMax([]byte(tc.body), tc.max)
		var tl *TooLargeError
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (!errors.As(err, &tl) || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v, want a TooLargeError naming %q", tc.name, err, tc.want)
		}
	}
}
