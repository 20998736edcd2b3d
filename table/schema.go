package table

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"strings"

	"gopkg.in/yaml.v3"
)

// Schema lists the fields of a table in column order, and its group key.
// Schema files (YAML or JSON) have this shape:
//
//	group_key: household_id        # optional
//	fields:
//	  - name: user_gender
//	    kind: categorical
//	    categories: [Male, Female]
//	    description: the buyer's gender
//	  - name: price
//	    kind: float
//	    min: 0
//	    max: 2000
type Schema struct {
	GroupKey string  `json:"group_key,omitempty" yaml:"group_key,omitempty"`
	Fields   []Field `json:"fields" yaml:"fields"`
	// Source names the file the schema came from (set by LoadSchema and
	// ParseSchema); it is used in errors and never written.
	Source string `json:"-" yaml:"-"`
}

// Field returns the named field, or nil.
func (s *Schema) Field(name string) *Field {
	for i := range s.Fields {
		if s.Fields[i].Name == name {
			return &s.Fields[i]
		}
	}
	return nil
}

// Names returns the field names in order.
func (s *Schema) Names() []string {
	out := make([]string, len(s.Fields))
	for i, f := range s.Fields {
		out[i] = f.Name
	}
	return out
}

// Validate checks that names are unique and non-empty, kinds are valid,
// categories are given only for categorical fields and ranges only for
// numeric ones with min <= max, and that the group key names a field. The
// error names the offending field.
func (s *Schema) Validate() error {
	seen := make(map[string]bool, len(s.Fields))
	for i, f := range s.Fields {
		if f.Name == "" {
			return fmt.Errorf("schema: field %d has no name", i+1)
		}
		if seen[f.Name] {
			return fmt.Errorf("schema: field %q appears twice", f.Name)
		}
		seen[f.Name] = true
		if _, ok := kindNames[f.Kind]; !ok {
			return fmt.Errorf("schema: field %q: missing or invalid kind", f.Name)
		}
		if len(f.Categories) > 0 && f.Kind != Categorical {
			return fmt.Errorf("schema: field %q: categories given for a %s field", f.Name, f.Kind)
		}
		if (f.Min != nil || f.Max != nil) && !f.Kind.Numeric() {
			return fmt.Errorf("schema: field %q: min/max given for a %s field", f.Name, f.Kind)
		}
		if (f.Min != nil && math.IsNaN(*f.Min)) || (f.Max != nil && math.IsNaN(*f.Max)) {
			return fmt.Errorf("schema: field %q: min/max is not a number", f.Name)
		}
		if f.Min != nil && f.Max != nil && *f.Min > *f.Max {
			return fmt.Errorf("schema: field %q: min %g is above max %g", f.Name, *f.Min, *f.Max)
		}
		dup := make(map[string]bool, len(f.Categories))
		for _, c := range f.Categories {
			if dup[c] {
				return fmt.Errorf("schema: field %q: category %q appears twice", f.Name, c)
			}
			dup[c] = true
		}
	}
	if s.GroupKey != "" && !seen[s.GroupKey] {
		return fmt.Errorf("schema: group_key %q is not a field", s.GroupKey)
	}
	return nil
}

// ParseSchema parses a schema file's contents, JSON when the first
// non-blank byte is '{' and YAML otherwise, and validates its fields (see
// Validate; the group key may name a column the file does not list, which
// the readers check). Unknown keys are errors. name identifies the file in errors and is kept in
// Schema.Source.
func ParseSchema(data []byte, name string) (*Schema, error) {
	s := &Schema{}
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if len(trimmed) == 0 {
		return nil, &Error{Op: "schema", File: name, Err: ErrEmpty}
	}
	if trimmed[0] == '{' {
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		dec.DisallowUnknownFields()
		if err := dec.Decode(s); err != nil {
			return nil, &Error{Op: "schema", File: name, Line: jsonLine(data, len(data)-len(trimmed), err), Err: jsonErr(err)}
		}
		if dec.More() {
			return nil, &Error{Op: "schema", File: name, Err: errors.New("data after the schema object")}
		}
	} else {
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(s); err != nil {
			return nil, &Error{Op: "schema", File: name, Err: yamlErr(err)}
		}
	}
	s.Source = name
	if err := s.validateFields(); err != nil {
		return nil, &Error{Op: "schema", File: name, Err: errors.New(strings.TrimPrefix(err.Error(), "schema: "))}
	}
	return s, nil
}

// LoadSchema reads and validates a schema file (YAML or JSON, see Schema).
func LoadSchema(path string) (*Schema, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{Op: "schema", File: path, Err: pathErr(err)}
	}
	return ParseSchema(data, path)
}

// pathErr drops the operation and path that os errors repeat.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// yamlErr makes a yaml.v3 error one lowercase line without the "yaml: "
// prefix.
func yamlErr(err error) error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n  ")
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	msg = strings.Replace(msg, " in type table.Field", "", 1)
	msg = strings.Replace(msg, " in type table.Schema", "", 1)
	return errors.New(strings.TrimSpace(msg))
}

func jsonErr(err error) error {
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		msg = "unexpected end of file"
	}
	return errors.New(msg)
}

// jsonLine returns the 1-based line of a JSON syntax or type error in
// data, whose first skip bytes the decoder did not see, or 0.
func jsonLine(data []byte, skip int, err error) int {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	off += int64(skip)
	if off < int64(skip) || off > int64(len(data)) {
		return 0
	}
	return bytes.Count(data[:off], []byte("\n")) + 1
}

// validateFields is Validate without the check that the group key names
// one of the fields.
func (s *Schema) validateFields() error {
	c := *s
	c.GroupKey = ""
	return c.Validate()
}

// UnmarshalYAML implements yaml.Unmarshaler so that a bad kind in a schema
// file is reported with its line.
func (k *Kind) UnmarshalYAML(node *yaml.Node) error {
	var s string
	if err := node.Decode(&s); err != nil {
		return err
	}
	v, err := ParseKind(s)
	if err != nil {
		return fmt.Errorf("line %d: %w", node.Line, err)
	}
	*k = v
	return nil
}
