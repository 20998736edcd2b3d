// Package need marks the tests that skip because the machine lacks
// something they need (chromium, the fetched datasets, the project's
// shared data), so that CI, which provides those things, can fail when
// one of them still skips.
//
// Skip skips with a reason that starts "needs WHAT: ". scripts/testrun,
// which make test runs, lists every skipped test with its reason at the
// end and fails when a skip names something in its -require list
// (.ci/run: make test REQUIRE=chromium,datasets).
package need

import (
	"fmt"
	"testing"
)

// Prefix starts every reason Skip gives; Reason writes it.
const Prefix = "needs "

// Reason is the skip message Skip gives: "needs WHAT: why".
func Reason(what, why string) string { return Prefix + what + ": " + why }

// Skip skips tb because the machine lacks what ("chromium", "datasets",
// "shared"), saying why.
func Skip(tb testing.TB, what, format string, args ...any) {
	tb.Helper()
	tb.Skip(Reason(what, fmt.Sprintf(format, args...)))
}
