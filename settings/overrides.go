package settings

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Override is one what-if change of a target: the share of Category in Var.
type Override struct {
	Var, Category string
	// Share is in [0, 1].
	Share float64
}

// ParseOverride parses "var=category:share": the variable up to the first
// '=', the category up to the last ':', the share a number in [0, 1].
func ParseOverride(s string) (Override, error) {
	v, rest, ok := strings.Cut(s, "=")
	i := strings.LastIndexByte(rest, ':')
	if !ok || i < 0 || strings.TrimSpace(v) == "" || strings.TrimSpace(rest[:i]) == "" {
		return Override{}, fmt.Errorf("override %s: want var=category:share", Quote(s))
	}
	x, err := strconv.ParseFloat(strings.TrimSpace(rest[i+1:]), 64)
	if err != nil || math.IsNaN(x) || x < 0 || x > 1 {
		return Override{}, fmt.Errorf("override %s: share %s is not a number in [0, 1]", Quote(s), Quote(rest[i+1:]))
	}
	return Override{Var: strings.TrimSpace(v), Category: strings.TrimSpace(rest[:i]), Share: x}, nil
}

// String is the text form "var=category:share".
func (o Override) String() string {
	return o.Var + "=" + o.Category + ":" + strconv.FormatFloat(o.Share, 'g', -1, 64)
}

// Overrides are what-if changes of targets, each category at most once and
// the shares of one variable summing to at most 1. The text form is
// comma-separated overrides; YAML also takes a list of them. nil means none.
type Overrides []Override

// ParseOverrides parses comma-separated overrides
// ("product_category=Electronics:0.35, user_gender=Female:0.6").
func ParseOverrides(s string) (Overrides, error) {
	if strings.TrimSpace(s) == "" {
		return nil, errors.New("no overrides given (want var=category:share)")
	}
	var out Overrides
	for item := range strings.SplitSeq(s, ",") {
		o, err := ParseOverride(item)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, out.check()
}

// check refuses a category overridden twice and shares of a variable that
// sum to more than 1.
func (os Overrides) check() error {
	if len(os) == 0 {
		return errors.New("no overrides given (want var=category:share)")
	}
	sum := map[string]float64{}
	for i, o := range os {
		for _, p := range os[:i] {
			if p.Var == o.Var && p.Category == o.Category {
				return fmt.Errorf("override %s: %s=%s is overridden twice", Quote(o.String()), o.Var, o.Category)
			}
		}
		sum[o.Var] += o.Share
		if sum[o.Var] > 1+1e-9 {
			return fmt.Errorf("override %s: the shares given to %s sum to %.6g, above 1", Quote(o.String()), o.Var, sum[o.Var])
		}
	}
	return nil
}

// Strings returns the text form of each override.
func (os Overrides) Strings() []string {
	out := make([]string, len(os))
	for i, o := range os {
		out[i] = o.String()
	}
	return out
}

// String is the comma-separated text form.
func (os Overrides) String() string { return strings.Join(os.Strings(), ",") }

// Set adds the comma-separated overrides of s: a repeated flag adds to the
// list.
func (os *Overrides) Set(s string) error {
	v, err := ParseOverrides(s)
	if err != nil {
		return err
	}
	all := append(append(Overrides(nil), *os...), v...)
	if err := all.check(); err != nil {
		return err
	}
	*os = all
	return nil
}

// Type names the flag's value in help texts.
func (*Overrides) Type() string { return "overrides" }

// UnmarshalYAML reads the comma-separated text form or a list of
// overrides.
func (os *Overrides) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.SequenceNode {
		return scalar(n, os, ParseOverrides, "var=category:share, comma-separated, or a list of them")
	}
	var out Overrides
	for _, c := range n.Content {
		var o Override
		if err := scalar(c, &o, ParseOverride, "var=category:share"); err != nil {
			return err
		}
		out = append(out, o)
	}
	if err := out.check(); err != nil {
		return typeError(n, err)
	}
	*os = out
	return nil
}

// MarshalJSON writes the list of text forms.
func (os Overrides) MarshalJSON() ([]byte, error) {
	if os == nil {
		return []byte("null"), nil
	}
	return json.Marshal(os.Strings())
}

// UnmarshalJSON reads a list of text forms.
func (os *Overrides) UnmarshalJSON(b []byte) error {
	var ss []string
	if err := json.Unmarshal(b, &ss); err != nil {
		return err
	}
	if ss == nil {
		*os = nil
		return nil
	}
	var out Overrides
	for _, s := range ss {
		o, err := ParseOverride(s)
		if err != nil {
			return err
		}
		out = append(out, o)
	}
	if err := out.check(); err != nil {
		return err
	}
	*os = out
	return nil
}
