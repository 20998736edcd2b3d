package macro

import (
	"strings"
	"testing"
)

// TestTargetsRefuseMisreadValues: values a targets file used to accept,
// or reject without saying where, are errors naming the key and line.
func TestTargetsRefuseMisreadValues(t *testing.T) {
	const vars = "variables:\n  - {name: g, kind: categorical, categories: [M, F]}\n"
	for _, c := range []struct{ name, doc, want string }{
		{"category twice", "size: 10\nvariables:\n  - {name: g, kind: categorical, categories: [M, M]}\nmarginals:\n  - {vars: [g], counts: [5, 5]}\n", `variable "g": category "M" appears twice`},
		{"negative decimals", "size: 10\nvariables:\n  - {name: x, kind: float, decimals: -3, bins: {edges: [0, 1]}}\nmarginals:\n  - {vars: [x], counts: [10]}\n", `variable "x": decimals -3: want 0 to 15`},
		{"fractional size", "size: 10.5\n" + vars + "marginals:\n  - {vars: [g], shares: [0.5, 0.5]}\n", "size 10.5: want a whole number of records"},
		{"wrong type", "size: 10\n" + vars + "marginals:\n  - vars: [g]\n    counts: [5, five]\n", `line 6: marginals[0].counts[1]: want a number, got "five"`},
		{"unknown key", "size: 10\n" + vars + "marginal:\n  - {vars: [g], counts: [5, 5]}\n", "line 4: marginal: unknown key (valid: size, fine, variables, marginals, joints, groups, members)"},
	} {
		_, err := ParseTargets([]byte(c.doc))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}
