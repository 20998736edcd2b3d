//go:build !race

package synthor

// raceEnabled reports a -race build: heavy acceptance tests run without it
// (make test runs them in a second, plain pass).
const raceEnabled = false
