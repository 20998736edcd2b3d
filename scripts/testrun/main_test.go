package main

import (
	"bytes"
	"strings"
	"testing"
)

// A recorded go test -json stream: a pass, a plain skip, a skip for lack
// of chromium, a failing subtest, and the package lines.
const stream = `{"Action":"run","Package":"p","Test":"TestA"}
{"Action":"output","Package":"p","Test":"TestA","Output":"=== RUN   TestA\n"}
{"Action":"output","Package":"p","Test":"TestA","Output":"--- PASS: TestA (0.00s)\n"}
{"Action":"pass","Package":"p","Test":"TestA"}
{"Action":"output","Package":"p","Test":"TestB","Output":"=== RUN   TestB\n"}
{"Action":"output","Package":"p","Test":"TestB","Output":"    b_test.go:9: -race: the plain pass runs it\n"}
{"Action":"output","Package":"p","Test":"TestB","Output":"--- SKIP: TestB (0.00s)\n"}
{"Action":"skip","Package":"p","Test":"TestB"}
{"Action":"output","Package":"p","Test":"TestC","Output":"    c_test.go:3: needs chromium: chromium is not installed\n"}
{"Action":"skip","Package":"p","Test":"TestC"}
{"Action":"output","Package":"p","Test":"TestD/x","Output":"    --- FAIL: TestD/x (0.00s)\n"}
{"Action":"output","Package":"p","Test":"TestD/x","Output":"        d_test.go:5: got 1, want 2\n"}
{"Action":"fail","Package":"p","Test":"TestD/x"}
{"Action":"output","Package":"p","Output":"PASS\n"}
{"Action":"output","Package":"p","Output":"FAIL\tp\t0.01s\n"}
{"Action":"fail","Package":"p"}
`

func TestSummarize(t *testing.T) {
	var out bytes.Buffer
	skips, err := summarize(strings.NewReader(stream), &out)
	if err != nil {
		t.Fatal(err)
	}
	want := "    --- FAIL: TestD/x (0.00s)\n        d_test.go:5: got 1, want 2\nFAIL\tp\t0.01s\n"
	if out.String() != want {
		t.Errorf("output\n%q\nwant\n%q", out.String(), want)
	}
	for _, tc := range []struct {
		require []string
		missed  int
		line    string
	}{
		{nil, 0, "  p TestC: needs chromium: chromium is not installed\n"},
		{[]string{"datasets", "chromium"}, 1, "  REQUIRED p TestC: needs chromium: chromium is not installed\n"},
	} {
		var rep bytes.Buffer
		if got := report(skips, tc.require, &rep); got != tc.missed {
			t.Errorf("require %v: %d missed, want %d", tc.require, got, tc.missed)
		}
		if !strings.Contains(rep.String(), "skipped: 2 tests\n  p TestB: -race: the plain pass runs it\n") || !strings.Contains(rep.String(), tc.line) {
			t.Errorf("require %v: report\n%s", tc.require, rep.String())
		}
	}
}
