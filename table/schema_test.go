package table

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseSchema(t *testing.T) {
	zero, top := 0.0, 2000.0
	want := &Schema{GroupKey: "household_id", Source: "s", Fields: []Field{
		{Name: "user_gender", Kind: Categorical, Categories: []string{"Male", "Female"}, Description: "the buyer's gender"},
		{Name: "price", Kind: Float, Min: &zero, Max: &top},
		{Name: "when", Kind: Datetime, Layout: "02/01/2006"},
		{Name: "tenure", Kind: Categorical, Group: true},
		{Name: "flag", Kind: Categorical},
		{Name: "n", Kind: Integer},
	}}
	yamlDoc := `# a schema
group_key: household_id
fields:
  - name: user_gender
    kind: categorical
    categories: [Male, Female]
    description: the buyer's gender
  - name: price
    kind: numeric
    min: 0
    max: 2000
  - {name: when, kind: datetime, layout: 02/01/2006}
  - {name: tenure, kind: category, group: true}
  - {name: flag, kind: boolean}
  - {name: n, kind: int}
`
	jsonDoc := `
{"group_key": "household_id", "fields": [
  {"name": "user_gender", "kind": "categorical", "categories": ["Male", "Female"], "description": "the buyer's gender"},
  {"name": "price", "kind": "float", "min": 0, "max": 2000},
  {"name": "when", "kind": "datetime", "layout": "02/01/2006"},
  {"name": "tenure", "kind": "categorical", "group": true},
  {"name": "flag", "kind": "bool"},
  {"name": "n", "kind": "integer"}
]}`
	for name, doc := range map[string]string{"yaml": yamlDoc, "json": jsonDoc} {
		t.Run(name, func(t *testing.T) {
			got, err := ParseSchema([]byte(doc), "s")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestParseSchemaErrors(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"empty", "  \n", "schema s.yaml: empty file"},
		{"unknown key", "fields:\n  - name: a\n    kind: integer\n    colour: red\n", "schema s.yaml: line 4: field colour not found"},
		{"unknown kind", "fields:\n  - name: a\n    kind: decimal\n", `schema s.yaml: line 3: unknown kind "decimal" (valid: categorical, integer, float, datetime, text)`},
		{"missing kind", "fields:\n  - name: a\n", `schema s.yaml: field "a": missing or invalid kind`},
		{"no name", "fields:\n  - kind: text\n", "schema s.yaml: field 1 has no name"},
		{"duplicate field", "fields:\n  - {name: a, kind: text}\n  - {name: a, kind: integer}\n", `schema s.yaml: field "a" appears twice`},
		{"categories on a number", "fields:\n  - {name: a, kind: integer, categories: [x]}\n", `schema s.yaml: field "a": categories given for a integer field`},
		{"range on text", "fields:\n  - {name: a, kind: text, min: 1}\n", `schema s.yaml: field "a": min/max given for a text field`},
		{"min above max", "fields:\n  - {name: a, kind: float, min: 3, max: 1}\n", `schema s.yaml: field "a": min 3 is above max 1`},
		{"duplicate category", "fields:\n  - {name: a, kind: categorical, categories: [x, x]}\n", `schema s.yaml: field "a": category "x" appears twice`},
		{"yaml syntax", "fields: [\n", "schema s.yaml: line 1: did not find expected node content"},
		{"json syntax", "{\"fields\": [}", "schema s.yaml: line 1: invalid character '}' looking for beginning of value"},
		{"json unknown key", "{\"fields\": [], \"extra\": 1}", `schema s.yaml: unknown field "extra"`},
		{"json trailing data", "{\"fields\": []} {}", "schema s.yaml: data after the schema object"},
		{"json bad kind", "{\"fields\": [{\"name\": \"a\", \"kind\": \"blob\"}]}", `schema s.yaml: unknown kind "blob" (valid: categorical, integer, float, datetime, text)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSchema([]byte(tc.doc), "s.yaml")
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			if err.Error() != tc.want {
				t.Errorf("error\n got %q\nwant %q", err, tc.want)
			}
		})
	}
}

func TestLoadSchema(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.json")
	if err := os.WriteFile(path, []byte(`{"fields":[{"name":"a","kind":"text"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := LoadSchema(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Source != path || len(s.Fields) != 1 || s.Fields[0].Kind != Text {
		t.Errorf("got %+v", s)
	}
	_, err = LoadSchema(filepath.Join(dir, "none.yaml"))
	if want := "schema " + dir + "/none.yaml: no such file or directory"; err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
}

// TestSchemaRoundTrip checks that a table's Schema, written as YAML by a
// hand-written document, reads back as the same fields.
func TestTableSchema(t *testing.T) {
	tb, err := ReadCSV(strings.NewReader("a,b,c\nx,1,2020-01-01\ny,2,2020-01-02\n"), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := tb.Schema()
	if s.Fields[0].Kind != Categorical || !reflect.DeepEqual(s.Fields[0].Categories, []string{"x", "y"}) {
		t.Errorf("a: %+v", s.Fields[0])
	}
	if s.Fields[2].Kind != Datetime || s.Fields[2].Layout != dateLayout {
		t.Errorf("c: %+v", s.Fields[2])
	}
}
