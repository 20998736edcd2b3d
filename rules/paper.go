package rules

import (
	"embed"
	"fmt"
	"sort"
	"strings"
)

//go:embed paper/*.rules paper/*.queries
var paperFS embed.FS

// Paper returns a shipped definition file by name: "population.rules",
// "ecommerce.rules" or "population.queries" (see the files under
// rules/paper/). Each call parses afresh, so callers may keep the result.
func Paper(name string) (*Set, error) {
	b, err := paperFS.ReadFile("paper/" + name)
	if err != nil {
		return nil, fmt.Errorf("no shipped rule file %q (valid: %s)", name, strings.Join(PaperNames(), ", "))
	}
	return Parse("rules/paper/"+name, string(b))
}

// MustPaper is Paper for the shipped files, which are known to parse; it
// panics on an unknown name.
func MustPaper(name string) *Set {
	s, err := Paper(name)
	if err != nil {
		panic(err)
	}
	return s
}

// PaperNames lists the shipped definition files, sorted.
func PaperNames() []string {
	ents, _ := paperFS.ReadDir("paper")
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}
