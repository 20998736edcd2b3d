package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/synthor/synthor/internal/need"
)

func TestDatasetsFetchErrors(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("SYNTHOR_CACHE", cache)
	t.Setenv("PATH", t.TempDir()) // no apt-get, no npm
	bad := filepath.Join(t.TempDir(), "r-cran-aer_1.2-10-1_all.deb")
	if err := os.WriteFile(bad, []byte("not the package"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "x.csv")
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"missing client", []string{"fetch", "cps1988"}, 1,
			"fetch cps1988: registry client not found: apt-get is not installed; get apt package r-cran-aer 1.2-10-1 (file r-cran-aer_1.2-10-1_all.deb"},
		{"missing client says --from", []string{"fetch", "flights"}, 1, "npm is not installed; get npm package vega-datasets 3.2.1"},
		{"all without clients", []string{"fetch", "all"}, 1, "some datasets were not fetched"},
		{"wrong checksum", []string{"fetch", "cps1988", "--from", bad}, 1, "checksum mismatch: sha256"},
		{"from with all", []string{"fetch", "all", "--from", bad}, 2, "give one dataset, not all"},
		{"built in", []string{"fetch", "adult"}, 2, "adult is built in"},
		{"unknown", []string{"fetch", "nope"}, 2, `unknown dataset "nope"`},
		{"export unfetched", []string{"export", "income", "--out", out}, 1, "income: not fetched: run synthor datasets fetch income"},
		{"show unfetched", []string{"show", "eusilc"}, 1, "eusilc: not fetched"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, code, err := runCLI(t, append([]string{"datasets"}, tt.args...)...)
			if err == nil {
				t.Fatal("no error")
			}
			if code != tt.code {
				t.Errorf("exit status %d, want %d (err %v)", code, tt.code, err)
			}
			if msg := err.Error(); !strings.Contains(msg, tt.want) || strings.Contains(msg, "\n") {
				t.Errorf("error %q: want one line containing %q", msg, tt.want)
			}
		})
	}
	var files []string
	_ = filepath.Walk(cache, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if len(files) != 0 {
		t.Errorf("failed fetches left %v in the cache", files)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("failed export wrote its file")
	}
}

// TestDatasetsFetchAll runs on the fetched data when it is in the cache:
// a second fetch is a no-op and list shows every dataset as fetched.
func TestDatasetsFetchAll(t *testing.T) {
	stdout, _, code, err := runCLI(t, "datasets", "list")
	if err != nil || code != 0 {
		t.Fatal(err)
	}
	if strings.Contains(stdout, "not fetched") {
		need.Skip(t, "datasets", "real datasets are not fetched: run synthor datasets fetch all")
	}
	stdout, _, code, err = runCLI(t, "datasets", "fetch", "all")
	if err != nil || code != 0 {
		t.Fatalf("exit %d, %v", code, err)
	}
	if n := strings.Count(stdout, "already fetched"); n != 6 {
		t.Errorf("second fetch: %d of 6 already fetched:\n%s", n, stdout)
	}
}
