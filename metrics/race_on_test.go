//go:build race

package metrics

// raceEnabled reports whether the race detector is on: Adult-scale tests
// are skipped under it.
const raceEnabled = true
