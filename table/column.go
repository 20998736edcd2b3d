package table

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// Kind is the storage kind of a column.
type Kind uint8

// The column kinds. The zero Kind is invalid, so a Field whose kind was never
// set is caught by Validate.
const (
	Categorical Kind = iota + 1 // small integer codes into a dictionary of strings
	Integer                     // int64
	Float                       // float64
	Datetime                    // int64 Unix nanoseconds, UTC
	Text                        // free strings, one per cell
)

var kindNames = map[Kind]string{
	Categorical: "categorical",
	Integer:     "integer",
	Float:       "float",
	Datetime:    "datetime",
	Text:        "text",
}

// String returns the kind's name as used in schema files.
func (k Kind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Numeric reports whether values of the kind are numbers (integer, float or
// datetime); numeric columns are read through Column.Float.
func (k Kind) Numeric() bool { return k == Integer || k == Float || k == Datetime }

// ParseKind parses a kind name ("categorical", "integer", "float",
// "datetime", "text"; "int", "numeric"/"numerical" for float, "string" for
// text and "boolean"/"bool" for categorical are accepted too).
func ParseKind(s string) (Kind, error) {
	switch s {
	case "categorical", "category", "boolean", "bool":
		return Categorical, nil
	case "integer", "int":
		return Integer, nil
	case "float", "numeric", "numerical", "double":
		return Float, nil
	case "datetime", "date", "time":
		return Datetime, nil
	case "text", "string":
		return Text, nil
	}
	return 0, fmt.Errorf("unknown kind %q (valid: categorical, integer, float, datetime, text)", s)
}

// MarshalText implements encoding.TextMarshaler.
func (k Kind) MarshalText() ([]byte, error) {
	if _, ok := kindNames[k]; !ok {
		return nil, fmt.Errorf("invalid kind %d", uint8(k))
	}
	return []byte(k.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *Kind) UnmarshalText(b []byte) error {
	v, err := ParseKind(string(b))
	if err != nil {
		return err
	}
	*k = v
	return nil
}

// Missing is the categorical code of a missing value.
const Missing int32 = -1

// Field describes one column: its name, kind and the metadata that schema
// files carry (allowed categories, numeric range, a one-line description used
// in LLM prompts, and whether the column is constant within a group).
type Field struct {
	Name string `json:"name" yaml:"name"`
	Kind Kind   `json:"kind" yaml:"kind"`
	// Categories, when set on a categorical field, are the allowed values in
	// display order; a reader rejects any other value.
	Categories []string `json:"categories,omitempty" yaml:"categories,omitempty"`
	// Min and Max, when set on a numeric field, bound its domain (inclusive).
	Min *float64 `json:"min,omitempty" yaml:"min,omitempty"`
	Max *float64 `json:"max,omitempty" yaml:"max,omitempty"`
	// Description is one line of prose about the variable.
	Description string `json:"description,omitempty" yaml:"description,omitempty"`
	// Group marks a group-level column of a grouped table: constant within
	// each group (a household's tenure, say).
	Group bool `json:"group,omitempty" yaml:"group,omitempty"`
	// Layout is the time layout of a datetime column (Go reference time);
	// empty means RFC 3339, or "2006-01-02" when every value is a date.
	Layout string `json:"layout,omitempty" yaml:"layout,omitempty"`
}

// Column is one column of a Table, stored by kind:
//
//	Categorical: Codes (index into Dict, Missing for a missing value), Dict
//	Integer:     Ints
//	Float:       Floats (NaN at missing positions)
//	Datetime:    Ints (Unix nanoseconds, UTC)
//	Text:        Strs
//
// Nulls is nil when no value is missing, else Nulls[i] reports whether row i
// is missing; the value stored at a missing position is the zero value
// (Missing for codes, NaN for floats). Only the slice of the column's kind is
// set.
type Column struct {
	Field
	Codes  []int32
	Dict   []string
	Ints   []int64
	Floats []float64
	Strs   []string
	Nulls  []bool
}

// Len returns the number of rows.
func (c *Column) Len() int {
	switch c.Kind {
	case Categorical:
		return len(c.Codes)
	case Integer, Datetime:
		return len(c.Ints)
	case Float:
		return len(c.Floats)
	case Text:
		return len(c.Strs)
	}
	return 0
}

// IsNull reports whether row i is missing.
func (c *Column) IsNull(i int) bool { return c.Nulls != nil && c.Nulls[i] }

// NullCount returns the number of missing values.
func (c *Column) NullCount() int {
	n := 0
	for _, b := range c.Nulls {
		if b {
			n++
		}
	}
	return n
}

// Float returns row i of a numeric column as a float64 (datetimes as Unix
// nanoseconds), NaN when missing. It returns NaN for other kinds.
func (c *Column) Float(i int) float64 {
	if c.IsNull(i) {
		return math.NaN()
	}
	switch c.Kind {
	case Float:
		return c.Floats[i]
	case Integer, Datetime:
		return float64(c.Ints[i])
	}
	return math.NaN()
}

// Values returns the non-missing values of a numeric column as float64s,
// in row order.
func (c *Column) Values() []float64 {
	n := c.Len()
	out := make([]float64, 0, n-c.NullCount())
	for i := 0; i < n; i++ {
		if !c.IsNull(i) {
			out = append(out, c.Float(i))
		}
	}
	return out
}

// String formats row i as it is written to CSV: "" when missing, the
// category, the integer, the shortest float that round-trips, the datetime
// in the column's layout, or the text.
func (c *Column) String(i int) string {
	if c.IsNull(i) {
		return ""
	}
	switch c.Kind {
	case Categorical:
		return c.Dict[c.Codes[i]]
	case Integer:
		return strconv.FormatInt(c.Ints[i], 10)
	case Float:
		return strconv.FormatFloat(c.Floats[i], 'g', -1, 64)
	case Datetime:
		layout := c.Layout
		if layout == "" {
			layout = time.RFC3339Nano
		}
		return time.Unix(0, c.Ints[i]).UTC().Format(layout)
	case Text:
		return c.Strs[i]
	}
	return ""
}

// Take returns a new column holding rows idx[0], idx[1], ... of c, sharing
// the dictionary.
func (c *Column) Take(idx []int) *Column {
	out := &Column{Field: c.Field, Dict: c.Dict}
	switch c.Kind {
	case Categorical:
		out.Codes = make([]int32, len(idx))
		for j, i := range idx {
			out.Codes[j] = c.Codes[i]
		}
	case Integer, Datetime:
		out.Ints = make([]int64, len(idx))
		for j, i := range idx {
			out.Ints[j] = c.Ints[i]
		}
	case Float:
		out.Floats = make([]float64, len(idx))
		for j, i := range idx {
			out.Floats[j] = c.Floats[i]
		}
	case Text:
		out.Strs = make([]string, len(idx))
		for j, i := range idx {
			out.Strs[j] = c.Strs[i]
		}
	}
	if c.Nulls != nil {
		nulls := make([]bool, len(idx))
		any := false
		for j, i := range idx {
			nulls[j] = c.Nulls[i]
			any = any || nulls[j]
		}
		if any {
			out.Nulls = nulls
		}
	}
	return out
}

// Code returns the code of category s, or Missing when s is not in the
// dictionary.
func (c *Column) Code(s string) int32 {
	for i, d := range c.Dict {
		if d == s {
			return int32(i)
		}
	}
	return Missing
}

// NewCategorical returns a categorical column over dict with the given codes
// (Missing marks a missing value). It panics if a code is out of range: codes
// come from code, not from user input.
func NewCategorical(name string, dict []string, codes []int32) *Column {
	c := &Column{Field: Field{Name: name, Kind: Categorical}, Dict: dict, Codes: codes}
	for i, k := range codes {
		if k == Missing {
			if c.Nulls == nil {
				c.Nulls = make([]bool, len(codes))
			}
			c.Nulls[i] = true
		} else if k < 0 || int(k) >= len(dict) {
			panic(fmt.Sprintf("table: code %d out of range for column %q with %d categories", k, name, len(dict)))
		}
	}
	return c
}

// NewFloat returns a float column; NaN values are missing.
func NewFloat(name string, v []float64) *Column {
	c := &Column{Field: Field{Name: name, Kind: Float}, Floats: v}
	for i, x := range v {
		if math.IsNaN(x) {
			if c.Nulls == nil {
				c.Nulls = make([]bool, len(v))
			}
			c.Nulls[i] = true
		}
	}
	return c
}

// NewInteger returns an integer column; nulls may be nil.
func NewInteger(name string, v []int64, nulls []bool) *Column {
	return &Column{Field: Field{Name: name, Kind: Integer}, Ints: v, Nulls: compactNulls(nulls)}
}

// NewDatetime returns a datetime column of Unix nanoseconds; nulls may be nil.
func NewDatetime(name string, v []int64, nulls []bool) *Column {
	return &Column{Field: Field{Name: name, Kind: Datetime}, Ints: v, Nulls: compactNulls(nulls)}
}

// NewText returns a text column; nulls may be nil.
func NewText(name string, v []string, nulls []bool) *Column {
	return &Column{Field: Field{Name: name, Kind: Text}, Strs: v, Nulls: compactNulls(nulls)}
}

// NewNull returns a column of n missing values with field f (a categorical
// one over f's categories).
func NewNull(f Field, n int) *Column {
	c := &Column{Field: f}
	if n > 0 {
		c.Nulls = make([]bool, n)
		for i := range c.Nulls {
			c.Nulls[i] = true
		}
	}
	switch f.Kind {
	case Categorical:
		c.Codes = make([]int32, n)
		for i := range c.Codes {
			c.Codes[i] = Missing
		}
		c.Dict = f.Categories
	case Float:
		c.Floats = make([]float64, n)
		for i := range c.Floats {
			c.Floats[i] = math.NaN()
		}
	case Text:
		c.Strs = make([]string, n)
	default:
		c.Ints = make([]int64, n)
	}
	return c
}

func compactNulls(n []bool) []bool {
	for _, b := range n {
		if b {
			return n
		}
	}
	return nil
}
