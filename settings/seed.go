package settings

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Seed is a random seed: a whole number from 0 to 2⁶⁴−1, written in
// decimal digits ("-1", "1.5" and "1e3" are errors).
type Seed uint64

// ParseSeed parses a seed.
func ParseSeed(s string) (Seed, error) {
	t := strings.TrimSpace(s)
	if t == "" || strings.Trim(t, "0123456789") != "" {
		return 0, fmt.Errorf("seed %s is not a whole number >= 0", Quote(s))
	}
	n, err := strconv.ParseUint(t, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("seed %s is above %d", Quote(s), uint64(1<<64-1))
	}
	return Seed(n), nil
}

// String is the decimal form.
func (s Seed) String() string { return strconv.FormatUint(uint64(s), 10) }

// Set parses v as the flag's value.
func (s *Seed) Set(v string) error { return set(s, ParseSeed, v) }

// Type names the flag's value in help texts.
func (*Seed) Type() string { return "seed" }

// UnmarshalYAML reads a seed.
func (s *Seed) UnmarshalYAML(n *yaml.Node) error {
	return scalar(n, s, ParseSeed, "a seed: a whole number >= 0")
}

// Seeds are distinct seeds, at least one. The text form is comma-separated
// ("1,2,3"); YAML takes a list ([1, 2, 3]) too.
type Seeds []uint64

// ParseSeeds parses comma-separated seeds.
func ParseSeeds(s string) (Seeds, error) {
	var out Seeds
	for item := range strings.SplitSeq(s, ",") {
		x, err := ParseSeed(item)
		if err != nil {
			return nil, err
		}
		out = append(out, uint64(x))
	}
	return out, out.check()
}

func (ss Seeds) check() error {
	if len(ss) == 0 {
		return errors.New("no seeds given")
	}
	for i, x := range ss {
		for _, y := range ss[:i] {
			if x == y {
				return fmt.Errorf("seed %d is given twice", x)
			}
		}
	}
	return nil
}

// String is the comma-separated form.
func (ss Seeds) String() string {
	parts := make([]string, len(ss))
	for i, x := range ss {
		parts[i] = strconv.FormatUint(x, 10)
	}
	return strings.Join(parts, ",")
}

// Set parses v as the flag's value.
func (ss *Seeds) Set(v string) error { return set(ss, ParseSeeds, v) }

// Type names the flag's value in help texts.
func (*Seeds) Type() string { return "seeds" }

// UnmarshalYAML reads a list of seeds or the comma-separated form.
func (ss *Seeds) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.SequenceNode {
		return scalar(n, ss, ParseSeeds, "a list of seeds")
	}
	var out Seeds
	for _, c := range n.Content {
		var s Seed
		if err := s.UnmarshalYAML(c); err != nil {
			return err
		}
		out = append(out, uint64(s))
	}
	if err := out.check(); err != nil {
		return typeError(n, err)
	}
	*ss = out
	return nil
}

// UnmarshalJSON reads a list of seeds and checks it as ParseSeeds does.
func (ss *Seeds) UnmarshalJSON(b []byte) error {
	var v []uint64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if err := Seeds(v).check(); err != nil {
		return err
	}
	*ss = v
	return nil
}
