package metrics

// RaceEnabled exports raceEnabled to the external tests (package
// metrics_test) of this directory.
const RaceEnabled = raceEnabled
