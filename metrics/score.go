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
	// Reference is what unseen real data scores on the same metric: the
	// score computed with the holdout in the synthetic table's place, at the
	// same size and seed (NaN or absent when there is no holdout). A score
	// whose reference is fixed by construction (a detection AUC of 0.5, a
	// DCR share of 0.5 at equal sizes) carries that value with
	// ReferenceKind "fixed".
	Reference float64 `json:"reference"`
	// ReferenceKind says how Reference was obtained: "holdout" (computed),
	// "fixed" (by construction), or "" when there is none.
	ReferenceKind string `json:"reference_kind,omitempty"`
	// ReferenceReason says why a holdout reference could not be computed, or
	// how it was (a subsample of the holdout, say).
	ReferenceReason string `json:"reference_reason,omitempty"`
}

// Reference kinds.
const (
	ReferenceHoldout = "holdout"
	ReferenceFixed   = "fixed"
)

// HasReference reports whether the score carries a reference value.
func (s Score) HasReference() bool {
	return s.ReferenceKind != "" && !math.IsNaN(s.Reference) && !math.IsInf(s.Reference, 0)
}

// Undefined returns a score with no value and the given reason.
func Undefined(name, group string, cols []string, better Direction, reason string) Score {
	return Score{Name: name, Group: group, Columns: cols, Value: math.NaN(), Better: better, Reason: reason}
}

// OK reports whether the score has a value.
func (s Score) OK() bool { return !math.IsNaN(s.Value) && !math.IsInf(s.Value, 0) }

// MarshalJSON writes the fields in a fixed order (name, group, columns,
// value, better, reason, targeted, params, reference, reference_kind,
// reference_reason), Value as null when it is undefined, Columns as []
// when empty, and the reference fields only when the score has a
// reference kind (reference null when that reference is undefined).
func (s Score) MarshalJSON() ([]byte, error) {
	type ref struct {
		Value  *float64 `json:"reference"`
		Kind   string   `json:"reference_kind"`
		Reason string   `json:"reference_reason,omitempty"`
	}
	out := struct {
		Name     string         `json:"name"`
		Group    string         `json:"group"`
		Columns  []string       `json:"columns"`
		Value    *float64       `json:"value"`
		Better   Direction      `json:"better"`
		Reason   string         `json:"reason,omitempty"`
		Targeted *bool          `json:"targeted,omitempty"`
		Params   map[string]any `json:"params,omitempty"`
		*ref
	}{s.Name, s.Group, s.Columns, nil, s.Better, s.Reason, s.Targeted, s.Params, nil}
	if s.OK() {
		v := s.Value
		out.Value = &v
	}
	if s.ReferenceKind != "" || s.ReferenceReason != "" {
		out.ref = &ref{Kind: s.ReferenceKind, Reason: s.ReferenceReason}
		if s.HasReference() {
			v := s.Reference
			out.ref.Value = &v
		}
	}
	if out.Columns == nil {
		out.Columns = []string{}
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads a null value (or reference) as NaN.
func (s *Score) UnmarshalJSON(b []byte) error {
	type plain Score
	in := struct {
		*plain
		Value     *float64 `json:"value"`
		Reference *float64 `json:"reference"`
	}{plain: (*plain)(s)}
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	s.Value, s.Reference = math.NaN(), 0
	if in.Value != nil {
		s.Value = *in.Value
	}
	switch {
	case in.Reference != nil:
		s.Reference = *in.Reference
	case s.ReferenceKind != "":
		s.Reference = math.NaN()
	}
	return nil
}
