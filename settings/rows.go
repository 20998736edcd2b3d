package settings

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Rows is a number of records: a whole number >= 0 in decimal digits
// ("1e6", "-5" and "10.5" are errors). What 0 means is the consumer's
// (usually: as many as the data has).
type Rows int

// ParseRows parses a number of records.
func ParseRows(s string) (Rows, error) {
	t := strings.TrimSpace(s)
	if t == "" || strings.Trim(t, "0123456789") != "" {
		return 0, fmt.Errorf("%s is not a whole number of records >= 0", Quote(s))
	}
	n, err := strconv.ParseInt(t, 10, strconv.IntSize)
	if err != nil {
		return 0, fmt.Errorf("%s records is above the largest number this machine counts", Quote(s))
	}
	return Rows(n), nil
}

// String is the decimal form.
func (r Rows) String() string { return strconv.Itoa(int(r)) }

// Set parses s as the flag's value.
func (r *Rows) Set(s string) error { return set(r, ParseRows, s) }

// Type names the flag's value in help texts.
func (*Rows) Type() string { return "rows" }

// UnmarshalYAML reads a number of records.
func (r *Rows) UnmarshalYAML(n *yaml.Node) error {
	return scalar(n, r, ParseRows, "a whole number of records")
}
