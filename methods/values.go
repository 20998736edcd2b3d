package methods

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/synthor/synthor/settings"
)

// Values are a method's settings, decoded and checked once (Decode): every
// key one the method declares, every value of its param's kind and in its
// range. Unset keys read as the param's default. The zero Values reads
// every key as its default.
type Values struct {
	m   *Method
	set map[string]any // int, float64, bool, string, settings.Duration, uint64, settings.Joints, settings.Overrides
}

// Decode reads the method's values from the mapping n (a config's params
// section, or the top level of a synth config; keys in skip, such as
// "llm", belong to others). An unknown key or a bad value is a
// *settings.NodeError naming the key, which settings.Overlay.Explain turns
// into an error saying where it came from.
func (m *Method) Decode(n *yaml.Node, skip ...string) (Values, error) {
	v := Values{m: m, set: map[string]any{}}
	if n == nil {
		return v, nil
	}
	if n.Kind != yaml.MappingNode {
		return v, &settings.NodeError{Node: n, Err: fmt.Errorf("want the params of %s as keys (key: value)", m.Name)}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if slices.Contains(skip, k.Value) {
			continue
		}
		p := m.Param(k.Value)
		if p == nil {
			return v, &settings.NodeError{Node: k, Key: k.Value, Err: fmt.Errorf("unknown param of %s (valid: %s)", m.Name, validList(m.Keys()))}
		}
		x, unset, err := p.decode(val)
		if err != nil {
			return v, keyed(err, val, k.Value)
		}
		if unset {
			delete(v.set, k.Value)
			continue
		}
		v.set[k.Value] = x
	}
	return v, nil
}

// keyed puts key in front of the key path of a NodeError from a value's
// parser.
func keyed(err error, n *yaml.Node, key string) error {
	ne, ok := err.(*settings.NodeError)
	if !ok {
		return &settings.NodeError{Node: n, Key: key, Err: err}
	}
	p := key
	switch {
	case ne.Key == "":
	case ne.Key[0] == '[':
		p += ne.Key
	default:
		p += "." + ne.Key
	}
	return &settings.NodeError{Node: ne.Node, Key: p, Err: ne.Err}
}

// Values decodes params given in Go (a program's, a test's, or a cell's
// JSON): each value as a config would write it (7, "7", "a,b;c,d",
// [[a, b]], "10m"). Errors name the method and the key.
func (m *Method) Values(params map[string]any) (Values, error) {
	if len(params) == 0 {
		return Values{m: m, set: map[string]any{}}, nil
	}
	var n yaml.Node
	if err := n.Encode(params); err != nil {
		return Values{}, fmt.Errorf("%s: params: %w", m.Name, err)
	}
	v, err := m.Decode(&n)
	if ne, ok := err.(*settings.NodeError); ok {
		return v, fmt.Errorf("%s: %s: %w", m.Name, ne.Key, ne.Err)
	}
	return v, err
}

// Has reports whether key was given.
func (v Values) Has(key string) bool {
	_, ok := v.set[key]
	return ok
}

// Keys returns the keys given, sorted.
func (v Values) Keys() []string { return slices.Sorted(maps.Keys(v.set)) }

// Len is the number of keys given.
func (v Values) Len() int { return len(v.set) }

// get returns the value of key, or its param's default, or nil. Asking for
// a key the method does not declare is a programmer's error: it panics.
func (v Values) get(key string, kind Kind) any {
	if x, ok := v.set[key]; ok {
		return x
	}
	if v.m == nil {
		return nil
	}
	p := v.m.Param(key)
	if p == nil || p.Kind != kind {
		panic(fmt.Sprintf("methods: %s has no %s param %q", v.m.Name, kind, key))
	}
	if p.Default == "" {
		return nil
	}
	x, _, err := p.decode(&yaml.Node{Kind: yaml.ScalarNode, Value: p.Default})
	if err != nil {
		panic(fmt.Sprintf("methods: %s: default of %s: %v", v.m.Name, key, err))
	}
	return x
}

// value returns key's value as a T (its zero when unset without a
// default).
func value[T any](v Values, key string, kind Kind) T {
	x, _ := v.get(key, kind).(T)
	return x
}

// Int returns an Int param's value (0 when unset without a default).
func (v Values) Int(key string) int { return value[int](v, key, Int) }

// Float returns a Float param's value.
func (v Values) Float(key string) float64 { return value[float64](v, key, Float) }

// Bool returns a Bool param's value.
func (v Values) Bool(key string) bool { return value[bool](v, key, Bool) }

// Text returns a Text param's value.
func (v Values) Text(key string) string { return value[string](v, key, Text) }

// Choice returns a Choice param's value.
func (v Values) Choice(key string) string { return value[string](v, key, Choice) }

// Duration returns a Duration param's value.
func (v Values) Duration(key string) time.Duration {
	return value[settings.Duration](v, key, Duration).D()
}

// Seed returns a Seed param's value.
func (v Values) Seed(key string) uint64 { return value[uint64](v, key, Seed) }

// Joints returns a Joints param's value (nil when unset).
func (v Values) Joints(key string) settings.Joints { return value[settings.Joints](v, key, Joints) }

// Overrides returns an Overrides param's value (nil when unset).
func (v Values) Overrides(key string) settings.Overrides {
	return value[settings.Overrides](v, key, Overrides)
}

// JSON returns the values given as JSON values (numbers, true/false,
// text, lists), keyed by param; Values reads them back.
func (v Values) JSON() map[string]any {
	if len(v.set) == 0 {
		return nil
	}
	out := make(map[string]any, len(v.set))
	for k, x := range v.set {
		switch x := x.(type) {
		case settings.Duration:
			out[k] = x.String()
		case settings.Joints:
			out[k] = [][]string(x)
		case settings.Overrides:
			out[k] = x.Strings()
		default:
			out[k] = x
		}
	}
	return out
}

// MarshalJSON writes JSON().
func (v Values) MarshalJSON() ([]byte, error) { return json.Marshal(v.JSON()) }

// UnmarshalYAML accepts a section of keys and keeps nothing: a method's
// params are decoded by Method.Decode, which knows their kinds, from the
// config's own nodes (bench.LoadConfig does this).
func (v *Values) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d, column %d: want params as keys (key: value)", n.Line, n.Column)}}
	}
	return nil
}
