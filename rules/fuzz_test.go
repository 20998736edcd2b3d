package rules

import (
	"context"
	"testing"
)

// FuzzParse feeds arbitrary rule files to Parse, and the definitions it
// accepts to Check and Value over a small table: none may panic, and an
// accepted file must parse again from its definitions' String form.
func FuzzParse(f *testing.F) {
	for _, name := range PaperNames() {
		b, err := paperFS.ReadFile("paper/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	for _, s := range []string{
		`r: when age < 5 then education == "Preschool"`,
		`g: count(age >= 18) >= 2 when householder_type == "Couple"`,
		"q [X]: median(sum(income) where education not in (\"Master\")) / -2",
		"r: `age` <= 1e3 && !missing(income) || false",
		"r: ((((", "r: \"\\x", "r: 1_000 < age", "r:\n  x", "# only a comment",
	} {
		f.Add(s)
	}
	tb := people()
	f.Fuzz(func(t *testing.T, src string) {
		s, err := Parse("fuzz.rules", src)
		if err != nil {
			return
		}
		ctx := context.Background()
		_, _ = s.Check(ctx, tb, "")
		for _, d := range s.Defs {
			_, _, _ = d.Value(ctx, tb, "")
			if _, err := Parse("again", d.String()); err != nil {
				t.Errorf("%q parsed, but its String form %q does not: %v", src, d.String(), err)
			}
		}
	})
}
