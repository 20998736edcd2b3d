package table

import "fmt"

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
