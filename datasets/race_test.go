//go:build race

package datasets

// raceEnabled reports whether the tests run under the race detector.
const raceEnabled = true
