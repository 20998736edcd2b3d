package settings

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Duration is a non-negative duration whose text form carries its unit:
// "90s", "10m", "1h30m", "250ms" (Go's time.ParseDuration units). A bare
// number is an error, except 0.
type Duration time.Duration

// ParseDuration parses a duration with its unit; "5" alone and negative
// durations are errors.
func ParseDuration(s string) (Duration, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, errors.New("no duration given (want e.g. 90s, 10m, 1h30m)")
	}
	d, err := time.ParseDuration(t)
	switch {
	case err != nil && strings.Trim(t, "0123456789.+-") == "":
		return 0, fmt.Errorf("duration %s has no unit (want e.g. 90s, 10m, 1h30m)", Quote(s))
	case err != nil:
		return 0, fmt.Errorf("duration %s: want e.g. 90s, 10m, 1h30m", Quote(s))
	case d < 0:
		return 0, fmt.Errorf("duration %s is negative", Quote(s))
	}
	return Duration(d), nil
}

// D is the duration as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// String is Go's form: "10m0s".
func (d Duration) String() string { return time.Duration(d).String() }

// Set parses s as the flag's value.
func (d *Duration) Set(s string) error { return set(d, ParseDuration, s) }

// Type names the flag's value in help texts.
func (*Duration) Type() string { return "duration" }

// UnmarshalYAML reads the text form; a bare number (timeout: 5) is an
// error, not 5 nanoseconds.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	return scalar(n, d, ParseDuration, "a duration such as 90s or 10m")
}

// MarshalText writes the text form (JSON carries it as a string).
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads the text form.
func (d *Duration) UnmarshalText(b []byte) error { return d.Set(string(b)) }
