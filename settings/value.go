package settings

import (
	"errors"

	"gopkg.in/yaml.v3"
)

// set parses s with parse into *dst: a flag value's Set.
func set[T any](dst *T, parse func(string) (T, error), s string) error {
	v, err := parse(s)
	if err != nil {
		return err
	}
	*dst = v
	return nil
}

// scalar reads the YAML scalar n with parse into *dst; want says what a
// list or a section given instead should have been.
func scalar[T any](n *yaml.Node, dst *T, parse func(string) (T, error), want string) error {
	if n.Kind != yaml.ScalarNode {
		return typeError(n, errors.New("want "+want))
	}
	v, err := parse(n.Value)
	if err != nil {
		return typeError(n, err)
	}
	*dst = v
	return nil
}

// KindName says what kind of YAML value n is: "a list", "a section of
// keys", "an alias" or "a value".
func KindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a section of keys"
	case yaml.AliasNode:
		return "an alias"
	}
	return "a value"
}
