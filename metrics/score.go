package metrics

import (
	"encoding/json"
	"math"
)

// Direction says whether lower or higher values of a score are better.
type Direction string

// The two directions.
const (
	Lower  Direction = "lower"
	Higher Direction = "higher"
)

// Score is one named value computed by a metric. A score that cannot be
// computed (an all-missing column, a constant column, a column absent from
// one side) has Value NaN and a Reason; it is never a silent NaN: JSON
// renders such a value as null next to its reason.
type Score struct {
	Name    string    `json:"name"`    // snake_case metric name, e.g. "tvd"
	Group   string    `json:"group"`   // metric group, e.g. "fidelity"
	Columns []string  `json:"columns"` // the columns it covers, in order
	Value   float64   `json:"value"`   // NaN when undefined; see Reason
	Better  Direction `json:"better"`  // lower or higher
	// Reason says why Value is undefined (or, rarely, qualifies it).
	Reason string `json:"reason,omitempty"`
	// Targeted reports whether the statistic the score measures was among the
	// synthesizer's targets; nil when no target set was given.
	Targeted *bool `json:"targeted,omitempty"`
	// Params holds the settings the value depends on (bins, convention, ...).
	Params map[string]any `json:"params,omitempty"`
}

// Undefined returns a score with no value and the given reason.
func Undefined(name, group string, cols []string, better Direction, reason string) Score {
	return Score{Name: name, Group: group, Columns: cols, Value: math.NaN(), Better: better, Reason: reason}
}

// OK reports whether the score has a value.
func (s Score) OK() bool { return !math.IsNaN(s.Value) && !math.IsInf(s.Value, 0) }

// MarshalJSON writes the fields in a fixed order (name, group, columns,
// value, better, reason, targeted, params), Value as null when it is
// undefined and Columns as [] when empty.
func (s Score) MarshalJSON() ([]byte, error) {
	out := struct {
		Name     string         `json:"name"`
		Group    string         `json:"group"`
		Columns  []string       `json:"columns"`
		Value    *float64       `json:"value"`
		Better   Direction      `json:"better"`
		Reason   string         `json:"reason,omitempty"`
		Targeted *bool          `json:"targeted,omitempty"`
		Params   map[string]any `json:"params,omitempty"`
	}{s.Name, s.Group, s.Columns, nil, s.Better, s.Reason, s.Targeted, s.Params}
	if s.OK() {
		v := s.Value
		out.Value = &v
	}
	if out.Columns == nil {
		out.Columns = []string{}
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads a null value as NaN.
func (s *Score) UnmarshalJSON(b []byte) error {
	type plain Score
	in := struct {
		*plain
		Value *float64 `json:"value"`
	}{plain: (*plain)(s)}
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	s.Value = math.NaN()
	if in.Value != nil {
		s.Value = *in.Value
	}
	return nil
}
