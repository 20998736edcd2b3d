package table

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/encoding"
)

// parquetSchemaKey is the key of the file metadata entry in which
// WriteParquet stores the table's Schema as JSON.
const parquetSchemaKey = "synthor.schema"

// WriteParquet writes t as a Parquet file: one optional column per table
// column, in the table's order (parquet-go's own dynamic schema sorts
// columns by name, so the schema is built here), categories and text as
// UTF-8 strings, integers as int64, floats as double, datetimes as int64
// nanosecond timestamps (UTC); a missing value is a Parquet null. The
// table's Schema (kinds, dictionaries in order, layouts, group key,
// descriptions) is stored as JSON under the file metadata key
// "synthor.schema", from which ReadParquet takes the kinds back when
// ReadOptions.Schema is nil, so that writing then reading gives an equal
// table (Table.Equal). Other Parquet readers see an ordinary flat file.
func WriteParquet(w io.Writer, t *Table) error {
	if len(t.Cols) == 0 {
		return errors.New("write parquet: a table without columns cannot be written")
	}
	fields := make(parquetGroup, len(t.Cols))
	for j, c := range t.Cols {
		var leaf parquet.Node
		switch c.Kind {
		case Categorical, Text:
			leaf = parquet.String()
		case Integer:
			leaf = parquet.Int(64)
		case Float:
			leaf = parquet.Leaf(parquet.DoubleType)
		case Datetime:
			leaf = parquet.Timestamp(parquet.Nanosecond)
		default:
			return fmt.Errorf("write parquet: column %q: invalid kind %d", c.Name, c.Kind)
		}
		fields[j] = parquetField{Node: parquet.Optional(leaf), name: c.Name}
	}
	meta, err := json.Marshal(storeSchema(parquetSchemaOf(t)))
	if err != nil {
		return fmt.Errorf("write parquet: %w", err)
	}
	pw := parquet.NewWriter(w, parquet.NewSchema("table", fields), parquet.KeyValueMetadata(parquetSchemaKey, string(meta)))
	const batch = 1024
	rows := make([]parquet.Row, 0, batch)
	vals := make([]parquet.Value, batch*len(t.Cols))
	n := t.NumRows()
	for start := 0; start < n; start += batch {
		end := min(start+batch, n)
		rows = rows[:0]
		for i := start; i < end; i++ {
			row := vals[(i-start)*len(t.Cols) : (i-start+1)*len(t.Cols)]
			for j, c := range t.Cols {
				row[j] = parquetValue(c, i).Level(0, 1, j)
				if c.IsNull(i) || (c.Kind == Float && math.IsNaN(c.Floats[i])) {
					row[j] = parquet.NullValue().Level(0, 0, j)
				}
			}
			rows = append(rows, row)
		}
		if _, err := pw.WriteRows(rows); err != nil {
			return fmt.Errorf("write parquet: %w", err)
		}
	}
	if err := pw.Close(); err != nil {
		return fmt.Errorf("write parquet: %w", err)
	}
	return nil
}

// parquetValue returns row i of c as a Parquet value (levels not set); a
// missing row gives a zero value the caller replaces by a null.
func parquetValue(c *Column, i int) parquet.Value {
	if c.IsNull(i) {
		return parquet.Value{}
	}
	switch c.Kind {
	case Categorical:
		return parquet.ByteArrayValue([]byte(c.Dict[c.Codes[i]]))
	case Text:
		return parquet.ByteArrayValue([]byte(c.Strs[i]))
	case Integer, Datetime:
		return parquet.Int64Value(c.Ints[i])
	case Float:
		return parquet.DoubleValue(c.Floats[i])
	}
	return parquet.Value{}
}

// parquetSchemaOf returns the schema stored with a written file: t's,
// with each categorical field's categories set to the column's dictionary
// and a numeric range dropped where a value lies outside it, so that the
// file reads back under its own schema.
func parquetSchemaOf(t *Table) *Schema {
	s := t.Schema()
	for j, c := range t.Cols {
		f := &s.Fields[j]
		if c.Kind == Categorical {
			f.Categories = c.Dict
		}
		if f.Min != nil || f.Max != nil {
			for i := 0; i < c.Len(); i++ {
				if v := c.Float(i); !c.IsNull(i) && ((f.Min != nil && v < *f.Min) || (f.Max != nil && v > *f.Max)) {
					f.Min, f.Max = nil, nil
					break
				}
			}
		}
	}
	return s
}

// storedSchema is the form in which a Schema is stored in a Parquet
// file's metadata: JSON, with every string as bytes (base64), so that
// names and categories that are not valid UTF-8 come back unchanged, and
// bounds as text, so that infinite ones can be stored.
type storedSchema struct {
	GroupKey []byte        `json:"group_key,omitempty"`
	Fields   []storedField `json:"fields"`
}

type storedField struct {
	Name        []byte   `json:"name"`
	Kind        Kind     `json:"kind"`
	Categories  [][]byte `json:"categories,omitempty"`
	Min         string   `json:"min,omitempty"`
	Max         string   `json:"max,omitempty"`
	Description []byte   `json:"description,omitempty"`
	Group       bool     `json:"group,omitempty"`
	Layout      []byte   `json:"layout,omitempty"`
}

func storeSchema(s *Schema) storedSchema {
	bound := func(p *float64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'g', -1, 64)
	}
	out := storedSchema{GroupKey: []byte(s.GroupKey), Fields: make([]storedField, len(s.Fields))}
	for i, f := range s.Fields {
		sf := storedField{Name: []byte(f.Name), Kind: f.Kind, Min: bound(f.Min), Max: bound(f.Max),
			Description: []byte(f.Description), Group: f.Group, Layout: []byte(f.Layout)}
		if f.Kind == Categorical {
			sf.Categories = make([][]byte, len(f.Categories))
			for k, c := range f.Categories {
				sf.Categories[k] = []byte(c)
			}
		}
		out.Fields[i] = sf
	}
	return out
}

// loadSchema parses a stored schema and validates it.
func loadSchema(data []byte, name string) (*Schema, error) {
	var st storedSchema
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, jsonErr(err)
	}
	bound := func(s string) (*float64, error) {
		if s == "" {
			return nil, nil
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("bound %q is not a number", s)
		}
		return &v, nil
	}
	s := &Schema{GroupKey: string(st.GroupKey), Source: name, Fields: make([]Field, len(st.Fields))}
	for i, sf := range st.Fields {
		f := Field{Name: string(sf.Name), Kind: sf.Kind, Description: string(sf.Description), Group: sf.Group, Layout: string(sf.Layout)}
		var err error
		if f.Min, err = bound(sf.Min); err != nil {
			return nil, err
		}
		if f.Max, err = bound(sf.Max); err != nil {
			return nil, err
		}
		for _, c := range sf.Categories {
			f.Categories = append(f.Categories, string(c))
		}
		if f.Kind == Categorical && f.Categories == nil {
			f.Categories = []string{}
		}
		s.Fields[i] = f
	}
	if err := s.validateFields(); err != nil {
		return nil, err
	}
	return s, nil
}

// parquetGroup is a Parquet group node whose fields keep the order given
// (parquet.Group, a map, sorts them by name).
type parquetGroup []parquet.Field

var _ parquet.Node = parquetGroup(nil)

func (g parquetGroup) ID() int { return 0 }
func (g parquetGroup) String() string {
	names := make([]string, len(g))
	for i, f := range g {
		names[i] = f.Name()
	}
	return "group{" + strings.Join(names, ", ") + "}"
}
func (g parquetGroup) Type() parquet.Type                { return parquet.Group{}.Type() }
func (g parquetGroup) Optional() bool                    { return false }
func (g parquetGroup) Repeated() bool                    { return false }
func (g parquetGroup) Required() bool                    { return true }
func (g parquetGroup) Leaf() bool                        { return false }
func (g parquetGroup) Fields() []parquet.Field           { return g }
func (g parquetGroup) Encoding() encoding.Encoding       { return nil }
func (g parquetGroup) Compression() compress.Codec       { return nil }
func (g parquetGroup) GoType() reflect.Type              { return reflect.TypeOf(map[string]any{}) }
func (g parquetGroup) Value(reflect.Value) reflect.Value { return reflect.Value{} }

// parquetField is one named field of a parquetGroup.
type parquetField struct {
	parquet.Node
	name string
}

func (f parquetField) Name() string                      { return f.name }
func (f parquetField) Value(reflect.Value) reflect.Value { return reflect.Value{} }
