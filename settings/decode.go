package settings

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Decode decodes the section at path (the whole tree when path is empty)
// strictly into out, a pointer to a struct with yaml tags: an unknown key
// is an error listing the valid ones, a value of the wrong type an error
// saying what was wanted. Errors are *Error naming where the value came
// from and its key path. A missing section leaves out unchanged.
func (o *Overlay) Decode(out any, path ...string) error {
	n := o.Node(path...)
	if n == nil {
		return nil
	}
	return o.Explain(DecodeNode(n, out), strings.Join(path, "."))
}

// DecodeNode decodes n strictly into out, as yaml.v3's Decoder with
// KnownFields does (Node.Decode is not strict); an error is a *NodeError
// naming the node of n at fault and its key path under n.
//
// n is copied in block style and encoded, the text decoded strictly, and
// the line of the first error mapped back, through the copy, to its node
// in n.
func DecodeNode(n *yaml.Node, out any) error {
	b, err := yaml.Marshal(blockCopy(n))
	if err != nil {
		return &NodeError{Node: n, Err: err}
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	err = dec.Decode(out)
	if err == nil {
		return nil
	}
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	line, col := 0, 0
	if m := errLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		col, _ = strconv.Atoi(m[2])
		msg = m[3]
	}
	var doc yaml.Node
	if yaml.Unmarshal(b, &doc) != nil || len(doc.Content) == 0 {
		return &NodeError{Node: n, Err: errors.New(msg)}
	}
	var on []spot
	locate(doc.Content[0], n, line, "", false, &on)
	at := pick(on, col, msg)
	if at.node == nil {
		at = spot{node: n}
	}
	return &NodeError{Node: at.node, Key: at.key, Err: rewrite(msg, reflect.TypeOf(out), at.key)}
}

var errLine = regexp.MustCompile(`^(?:yaml: )?line (\d+)(?:, column (\d+))?: (.*)$`)

// spot is a node of n on the line of an error: its key path, and its
// twin in the re-read text.
type spot struct {
	node, re *yaml.Node
	key      string
	isKey    bool
}

// pick chooses the node an error on a line is about: the one at its
// column when known; for an unknown key, that key; for a value of the
// wrong type, the outermost value of that type; else the last.
func pick(on []spot, col int, msg string) spot {
	if len(on) == 0 {
		return spot{}
	}
	if col > 0 {
		for i := len(on) - 1; i >= 0; i-- {
			if on[i].re.Column == col && !on[i].isKey {
				return on[i]
			}
		}
	}
	if m := notFound.FindStringSubmatch(msg); m != nil {
		for _, s := range on {
			if s.isKey && s.re.Value == m[1] {
				return s
			}
		}
	}
	if m := cannot.FindStringSubmatch(msg); m != nil {
		for _, s := range on {
			if !s.isKey && s.re.ShortTag() == m[1] {
				return s
			}
		}
	}
	return on[len(on)-1]
}

// blockCopy copies n without flow styles or comments, so that each key
// and list item of its text starts a line of its own.
func blockCopy(n *yaml.Node) *yaml.Node {
	c := *n
	c.Style &^= yaml.FlowStyle
	c.HeadComment, c.LineComment, c.FootComment = "", "", ""
	if n.Kind == yaml.AliasNode {
		return &c
	}
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, k := range n.Content {
		c.Content[i] = blockCopy(k)
	}
	return &c
}

// locate walks re (n re-read from its block text) and n in step and
// appends the nodes of n whose twins start on line, outer ones first.
func locate(re, n *yaml.Node, line int, path string, isKey bool, on *[]spot) {
	if re.Line == line {
		*on = append(*on, spot{node: n, re: re, key: path, isKey: isKey})
	}
	if re.Kind == yaml.AliasNode || len(re.Content) != len(n.Content) {
		return
	}
	for i, c := range re.Content {
		p := path
		switch re.Kind {
		case yaml.MappingNode:
			p = join(path, re.Content[i&^1].Value)
		case yaml.SequenceNode:
			p = path + "[" + strconv.Itoa(i) + "]"
		}
		locate(c, n.Content[i], line, p, re.Kind == yaml.MappingNode && i%2 == 0, on)
	}
}

var (
	notFound   = regexp.MustCompile("^field (.+) not found in type .+$")
	cannot     = regexp.MustCompile("^cannot unmarshal (!!\\w+)(?: `(.*)`)? into (.+)$")
	alreadyDef = regexp.MustCompile(`^mapping key "(.*)" already defined at line (\d+)$`)
)

// rewrite says a yaml.v3 decoding message in the settings' own words:
// an unknown key with the valid ones (from out's type at key), a value of
// the wrong type with the type wanted.
func rewrite(msg string, out reflect.Type, key string) error {
	if m := notFound.FindStringSubmatch(msg); m != nil {
		parent := key[:max(strings.LastIndexAny(key, ".["), 0)]
		if valid := yamlKeys(typeAt(out, parent)); len(valid) > 0 {
			return fmt.Errorf("unknown key (valid: %s)", strings.Join(valid, ", "))
		}
		return errors.New("unknown key")
	}
	if m := cannot.FindStringSubmatch(msg); m != nil {
		want := wanted(typeAt(out, key), m[3])
		if m[2] == "" {
			return fmt.Errorf("want %s, got %s", want, tagName(m[1]))
		}
		return fmt.Errorf("want %s, got %s", want, Quote(m[2]))
	}
	if m := alreadyDef.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf("given twice (first on line %s)", m[2])
	}
	return errors.New(msg)
}

func tagName(tag string) string {
	switch tag {
	case "!!seq":
		return "a list"
	case "!!map":
		return "a section of keys"
	}
	return "a value"
}

var durationType = reflect.TypeFor[time.Duration]()

// wanted says what a value of type t is, in words.
func wanted(t reflect.Type, goName string) string {
	if t == nil {
		return goName
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == durationType {
		return "a duration with a unit (e.g. 90s, 10m)"
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "text"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "a section of keys"
	}
	return goName
}

// typeAt follows the key path (keys and [i] indexes) through t's struct
// fields (by yaml tag), list elements and map values; nil when lost.
func typeAt(t reflect.Type, path string) reflect.Type {
	for _, part := range splitPath(path) {
		for t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t == nil {
			return nil
		}
		switch {
		case strings.HasPrefix(part, "["):
			if t.Kind() != reflect.Slice && t.Kind() != reflect.Array {
				return nil
			}
			t = t.Elem()
		case t.Kind() == reflect.Map:
			t = t.Elem()
		case t.Kind() == reflect.Struct:
			t = fieldType(t, part)
		default:
			return nil
		}
	}
	return t
}

// splitPath splits "a.b[2].c" into a, b, [2], c.
func splitPath(p string) []string {
	var out []string
	for _, dot := range strings.Split(p, ".") {
		for dot != "" {
			i := strings.IndexByte(dot[1:], '[')
			if i < 0 {
				out = append(out, dot)
				break
			}
			out = append(out, dot[:i+1])
			dot = dot[i+1:]
		}
	}
	return out
}

func fieldType(t reflect.Type, key string) reflect.Type {
	for i := range t.NumField() {
		f := t.Field(i)
		name, inline := yamlName(f)
		if inline {
			if ft := fieldType(f.Type, key); ft != nil {
				return ft
			}
		}
		if name == key {
			return f.Type
		}
	}
	return nil
}

// yamlKeys lists the keys a struct type takes, in field order.
func yamlKeys(t reflect.Type) []string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, inline := yamlName(f)
		switch {
		case inline:
			out = append(out, yamlKeys(f.Type)...)
		case name != "":
			out = append(out, name)
		}
	}
	return out
}

// yamlName is the key yaml.v3 reads a field from ("" for none).
func yamlName(f reflect.StructField) (string, bool) {
	if !f.IsExported() {
		return "", false
	}
	tag := f.Tag.Get("yaml")
	name, opts, _ := strings.Cut(tag, ",")
	if name == "-" {
		return "", false
	}
	if strings.Contains(opts, "inline") {
		return "", true
	}
	if name == "" {
		name = strings.ToLower(f.Name)
	}
	return name, false
}
