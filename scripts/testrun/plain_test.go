package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestPlainPassNamesEveryRaceSkip: every test that skips under the race
// detector (its body reads raceEnabled or RaceEnabled) is named by the
// Makefile's PLAIN_TESTS and lives in a PLAIN_PKGS package, so that make
// test runs it in its plain pass: no test is skipped by both passes.
func TestPlainPassNamesEveryRaceSkip(t *testing.T) {
	root := filepath.Join("..", "..")
	mk, err := os.ReadFile(filepath.Join(root, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	tests := regexp.MustCompile(`(?m)^PLAIN_TESTS := (.*)$`).FindSubmatch(mk)
	pkgs := regexp.MustCompile(`(?m)^PLAIN_PKGS := (.*)$`).FindSubmatch(mk)
	if tests == nil || pkgs == nil {
		t.Fatal("the Makefile sets no PLAIN_TESTS or PLAIN_PKGS")
	}
	named := regexp.MustCompile(strings.ReplaceAll(string(tests[1]), "$$", "$"))
	inPlain := map[string]bool{}
	for _, p := range strings.Fields(string(pkgs[1])) {
		inPlain[filepath.Clean(strings.TrimPrefix(p, "./"))] = true
	}
	fn := regexp.MustCompile(`(?m)^func (Test\w+)\(`)
	found := 0
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		src := string(b)
		locs := fn.FindAllStringSubmatchIndex(src, -1)
		for i, l := range locs {
			end := len(src)
			if i+1 < len(locs) {
				end = locs[i+1][0]
			}
			body, name := src[l[0]:end], src[l[2]:l[3]]
			if !regexp.MustCompile(`(?i)if [^{]*raceEnabled[^{]*\{\s*t\.Skip`).MatchString(body) {
				continue
			}
			found++
			rel, _ := filepath.Rel(root, filepath.Dir(path))
			if !named.MatchString(name) || !inPlain[rel] {
				t.Errorf("%s (%s) skips under -race but make test's plain pass does not run it: add it to PLAIN_TESTS (and %s to PLAIN_PKGS)", name, path, rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found == 0 {
		t.Fatal("found no test that skips under -race: the pattern no longer matches how they skip")
	}
}
