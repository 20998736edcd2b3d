package settings

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Joints are column groups, each of two or more distinct column names, no
// group given twice. The text form is "a,b,c;c,x"; YAML also takes a list
// of lists ([[a, b, c], [c, x]]) or a list of "a,b" strings. nil means
// none given (the consumer's default).
type Joints [][]string

// ParseJoints parses "a,b,c;c,x": groups separated by ';', columns by ','
// (spaces around either are trimmed). Empty text, an empty name, a group
// of fewer than two columns, a column twice in a group and a group given
// twice are errors.
func ParseJoints(s string) (Joints, error) {
	if strings.TrimSpace(s) == "" {
		return nil, errors.New(`no groups given (want "a,b,c;c,x")`)
	}
	var out Joints
	for g := range strings.SplitSeq(s, ";") {
		out = append(out, splitNames(g))
	}
	return out, out.check()
}

// splitNames splits "a, b" into trimmed names, empty ones kept (check
// refuses them).
func splitNames(g string) []string {
	var names []string
	for c := range strings.SplitSeq(g, ",") {
		names = append(names, strings.TrimSpace(c))
	}
	return names
}

// check reports the first malformed group.
func (j Joints) check() error {
	if len(j) == 0 {
		return errors.New(`no groups given (want "a,b,c;c,x")`)
	}
	for i, g := range j {
		if slices.Contains(g, "") {
			return fmt.Errorf("group %d has an empty column name", i+1)
		}
		if len(g) < 2 {
			return fmt.Errorf("group %d (%s) needs two or more columns", i+1, Quote(strings.Join(g, ",")))
		}
		for k, c := range g {
			if slices.Contains(g[:k], c) {
				return fmt.Errorf("group %d names column %s twice", i+1, Quote(c))
			}
		}
		for k := range i {
			if sameSet(j[k], g) {
				return fmt.Errorf("group %d repeats group %d", i+1, k+1)
			}
		}
	}
	return nil
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// String is the text form "a,b,c;c,x".
func (j Joints) String() string {
	parts := make([]string, len(j))
	for i, g := range j {
		parts[i] = strings.Join(g, ",")
	}
	return strings.Join(parts, ";")
}

// Set parses s as the flag's value.
func (j *Joints) Set(s string) error { return set(j, ParseJoints, s) }

// Type names the flag's value in help texts.
func (*Joints) Type() string { return "joints" }

// UnmarshalYAML reads the text form, a list of lists or a list of "a,b"
// strings.
func (j *Joints) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.SequenceNode {
		return scalar(n, j, ParseJoints, `groups as "a,b,c;c,x" or a list of lists`)
	}
	var out Joints
	for _, g := range n.Content {
		switch g.Kind {
		case yaml.ScalarNode:
			out = append(out, splitNames(g.Value))
		case yaml.SequenceNode:
			var names []string
			for _, c := range g.Content {
				if c.Kind != yaml.ScalarNode {
					return typeError(c, errors.New("a column name must be a string"))
				}
				names = append(names, strings.TrimSpace(c.Value))
			}
			out = append(out, names)
		default:
			return typeError(g, errors.New(`a group must be a list of columns or "a,b"`))
		}
	}
	if err := out.check(); err != nil {
		return typeError(n, err)
	}
	*j = out
	return nil
}

// UnmarshalJSON reads a list of lists and checks it as ParseJoints does.
func (j *Joints) UnmarshalJSON(b []byte) error {
	var v [][]string
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if v == nil {
		*j = nil
		return nil
	}
	if err := Joints(v).check(); err != nil {
		return err
	}
	*j = v
	return nil
}
