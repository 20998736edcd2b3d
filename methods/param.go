package methods

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/synthor/synthor/settings"
)

// Kind is the type of a param's value.
type Kind string

// The kinds of param values. Each is read by one parser, whatever the
// value came from (a config file, --set, an environment variable, a cell's
// JSON).
const (
	// Int is a whole number within [Min, Max].
	Int Kind = "integer"
	// Float is a finite number within [Min, Max].
	Float Kind = "number"
	// Bool is true or false.
	Bool Kind = "true/false"
	// Text is any text.
	Text Kind = "text"
	// Choice is one of Choices.
	Choice Kind = "choice"
	// Duration is a duration with its unit (settings.Duration).
	Duration Kind = "duration"
	// Seed is a whole number >= 0 (settings.Seed).
	Seed Kind = "seed"
	// Joints are column groups "a,b,c;c,x" (settings.Joints); "auto"
	// leaves the param unset.
	Joints Kind = "joints"
	// Overrides are target changes "var=category:share"
	// (settings.Overrides).
	Overrides Kind = "overrides"
)

// Param is one setting of a method.
type Param struct {
	Key  string
	Kind Kind
	// Default is the value when unset, as a config writes it; empty when
	// the method decides (Doc says how).
	Default string
	// Min and Max bound an Int or Float value (inclusive); Max may be
	// math.Inf(1). Both 0: any value.
	Min, Max float64
	// NotZero refuses 0 (for a setting whose 0 would silently mean its
	// default).
	NotZero bool
	// Choices are the values of a Choice param.
	Choices []string
	// Doc says in one line what the param does, with its unit.
	Doc string
}

// Range describes the values the param takes, in words.
func (p *Param) Range() string {
	switch p.Kind {
	case Choice:
		return strings.Join(p.Choices, ", ")
	case Int, Float:
		if p.Min == 0 && p.Max == 0 {
			return "any"
		}
		r := ">= " + num(p.Min)
		if !math.IsInf(p.Max, 1) {
			r = num(p.Min) + ".." + num(p.Max)
		}
		if p.NotZero {
			r += ", not 0"
		}
		return r
	case Joints:
		return "groups a,b,c;c,x"
	case Overrides:
		return "var=category:share, ..."
	case Duration:
		return "duration (90s, 10m)"
	case Seed:
		return "whole number >= 0"
	}
	return string(p.Kind)
}

func num(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// decode reads the param's value from n (a config's, --set's, a
// variable's or a JSON value's node); an error says what was wanted.
// skip is true for a value that leaves the param unset ("auto" joints).
func (p *Param) decode(n *yaml.Node) (v any, skip bool, err error) {
	if p.Kind == Joints && n.Kind == yaml.ScalarNode && strings.TrimSpace(n.Value) == "auto" {
		return nil, true, nil
	}
	switch p.Kind {
	case Joints:
		var j settings.Joints
		return j, false, settings.DecodeNode(n, &j)
	case Overrides:
		var o settings.Overrides
		return o, false, settings.DecodeNode(n, &o)
	}
	if n.Kind != yaml.ScalarNode {
		return nil, false, &settings.NodeError{Node: n, Err: fmt.Errorf("want %s, got %s", p.want(), settings.KindName(n))}
	}
	s := strings.TrimSpace(n.Value)
	bad := func(format string, a ...any) (any, bool, error) {
		return nil, false, &settings.NodeError{Node: n, Err: fmt.Errorf(format, a...)}
	}
	switch p.Kind {
	case Int:
		x, err := strconv.Atoi(s)
		if err != nil {
			return bad("want %s, got %s", p.want(), settings.Quote(n.Value))
		}
		if err := p.inRange(float64(x)); err != nil {
			return bad("%v, got %d", err, x)
		}
		return x, false, nil
	case Float:
		x, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return bad("want %s, got %s", p.want(), settings.Quote(n.Value))
		}
		if err := p.inRange(x); err != nil {
			return bad("%v, got %g", err, x)
		}
		return x, false, nil
	case Bool:
		switch s {
		case "true", "True", "TRUE":
			return true, false, nil
		case "false", "False", "FALSE":
			return false, false, nil
		}
		return bad("want true or false, got %s", settings.Quote(n.Value))
	case Text:
		return n.Value, false, nil
	case Choice:
		if !slices.Contains(p.Choices, s) {
			return bad("want one of %s, got %s", strings.Join(p.Choices, ", "), settings.Quote(n.Value))
		}
		return s, false, nil
	case Duration:
		d, err := settings.ParseDuration(s)
		if err != nil {
			return bad("%v", err)
		}
		return d, false, nil
	case Seed:
		x, err := settings.ParseSeed(s)
		if err != nil {
			return bad("%v", err)
		}
		return uint64(x), false, nil
	}
	return bad("param %s has no kind", p.Key)
}

// want names the param's values in an error.
func (p *Param) want() string {
	switch p.Kind {
	case Int:
		return "a whole number (" + p.Range() + ")"
	case Float:
		return "a number (" + p.Range() + ")"
	case Duration:
		return "a duration with a unit (e.g. 90s, 10m)"
	}
	return string(p.Kind)
}

func (p *Param) inRange(x float64) error {
	switch {
	case p.NotZero && x == 0:
		return errors.New("must not be 0 (leave it unset for the default" + p.defaultNote() + ")")
	case p.Min == 0 && p.Max == 0:
		return nil
	case x < p.Min && math.IsInf(p.Max, 1):
		return fmt.Errorf("must be at least %s", num(p.Min))
	case x < p.Min || x > p.Max:
		return fmt.Errorf("must be in %s..%s", num(p.Min), num(p.Max))
	}
	return nil
}

func (p *Param) defaultNote() string {
	if p.Default == "" {
		return ""
	}
	return ", " + p.Default
}
