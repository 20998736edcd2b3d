package settings

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// MaxFileBytes is the largest config file ReadFile reads: configs are
// short, and a larger file is more likely a wrong path than a config.
const MaxFileBytes = 4 << 20

// Overlay is a tree of settings built from layers in increasing
// precedence: a config file (ReadFile), environment variables (Env) and
// --set assignments (Set). It remembers where each value came from, so
// that an error names the file and line, the variable or the assignment.
type Overlay struct {
	file   string
	root   *yaml.Node
	origin map[*yaml.Node]origin
}

// origin is where a value that no file holds came from.
type origin struct {
	where string // "--set k=v", "environment variable X"
	key   string // the key path it set
}

// New returns an empty overlay (no config file).
func New() *Overlay {
	return &Overlay{root: &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}, origin: map[*yaml.Node]origin{}}
}

// ReadFile reads a config file into an overlay: exactly one YAML document,
// a mapping of keys, no key given twice or given an empty value. Its
// errors are *Error; a file that cannot be read is an ordinary error.
func ReadFile(path string) (*Overlay, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("config %s: file not found", path)
		}
		return nil, fmt.Errorf("config %s: %w", path, unwrapPath(err))
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, unwrapPath(err))
	}
	if len(b) > MaxFileBytes {
		return nil, &Error{Where: "config " + path, Err: fmt.Errorf("larger than %d bytes: not a config file", MaxFileBytes)}
	}
	return Parse(b, path)
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Parse reads a config file's bytes (name names it in errors) as ReadFile
// does.
func Parse(b []byte, name string) (*Overlay, error) {
	where := "config " + name
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &Error{Where: where, Err: errors.New("is empty: give at least one key, or no config")}
		}
		return nil, syntaxError(where, err)
	}
	var second yaml.Node
	switch err := dec.Decode(&second); {
	case err == nil:
		return nil, &Error{Where: fmt.Sprintf("%s:%d", where, second.Line), Err: errors.New("a second YAML document ('---'): give one config per file")}
	case !errors.Is(err, io.EOF):
		return nil, syntaxError(where, err)
	}
	root := doc.Content[0]
	switch {
	case root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null":
		return nil, &Error{Where: where, Err: errors.New("is empty: give at least one key, or no config")}
	case root.Kind != yaml.MappingNode:
		return nil, &Error{Where: fmt.Sprintf("%s:%d", where, root.Line), Err: fmt.Errorf("want keys (key: value), got %s", KindName(root))}
	}
	o := &Overlay{file: name, root: root, origin: map[*yaml.Node]origin{}}
	if err := o.check(root, ""); err != nil {
		return nil, err
	}
	return o, nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError turns a yaml.v3 parse error into an *Error with its line.
func syntaxError(where string, err error) error {
	msg := strings.SplitN(err.Error(), "\n", 2)[0]
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		return &Error{Where: where + ":" + m[1], Err: errors.New("YAML syntax: " + m[2])}
	}
	return &Error{Where: where, Err: errors.New("YAML syntax: " + strings.TrimPrefix(msg, "yaml: "))}
}

// check refuses keys that are not plain names, keys given twice and empty
// values (null, [] or {}) under path.
func (o *Overlay) check(n *yaml.Node, path string) error {
	switch n.Kind {
	case yaml.MappingNode:
		seen := map[string]int{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				return o.errorf(k, path, "a key must be a name, not %s", KindName(k))
			}
			p := join(path, k.Value)
			if line, dup := seen[k.Value]; dup {
				return o.errorf(k, p, "given twice (first on line %d)", line)
			}
			seen[k.Value] = k.Line
			if err := o.checkValue(v, p); err != nil {
				return err
			}
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			if err := o.checkValue(c, path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
	}
	return nil
}

func (o *Overlay) checkValue(v *yaml.Node, path string) error {
	switch {
	case v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null":
		return o.errorf(v, path, "no value given (give one, or leave the key out for its default)")
	case (v.Kind == yaml.SequenceNode || v.Kind == yaml.MappingNode) && len(v.Content) == 0:
		noun := "list"
		if v.Kind == yaml.MappingNode {
			noun = "section"
		}
		return o.errorf(v, path, "empty %s given (leave the key out for its default)", noun)
	}
	return o.check(v, path)
}

func join(path, key string) string {
	switch {
	case path == "":
		return key
	case key == "" || strings.HasPrefix(key, "["):
		return path + key
	}
	return path + "." + key
}

// File is the config file the overlay was read from ("" for none).
func (o *Overlay) File() string { return o.file }

// Root is the top-level mapping.
func (o *Overlay) Root() *yaml.Node { return o.root }

// Node returns the value at path (keys of nested sections), or nil.
func (o *Overlay) Node(path ...string) *yaml.Node {
	n := o.root
	for _, k := range path {
		if n = Child(n, k); n == nil {
			return nil
		}
	}
	return n
}

// Child returns the value of key in the mapping n, or nil.
func Child(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// Keys returns the keys of the mapping n in order.
func Keys(n *yaml.Node) []string {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	out := make([]string, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		out = append(out, n.Content[i].Value)
	}
	return out
}

// Set applies an assignment "key=value" (a --set flag): key is a path of
// sections ("limits.timeout", "llm.model"), lower-cased; value is read as
// a plain YAML value (a number, true or false, or text) or, starting with
// '[', a list ("[1, 2, 3]"). It replaces what the file or the environment
// gave.
func (o *Overlay) Set(assign string) error {
	k, v, ok := strings.Cut(assign, "=")
	k = strings.ToLower(strings.TrimSpace(k))
	where := "--set " + shorten(assign)
	if !ok || k == "" || strings.TrimSpace(v) == "" {
		return &Error{Where: where, Err: errors.New("want key=value")}
	}
	return o.SetKey(strings.Split(k, "."), v, where)
}

// Env applies the environment variables of environ ("NAME=value", as
// os.Environ) named prefix + a key of keys in upper case (SYNTHOR_ +
// iterations: SYNTHOR_ITERATIONS), under the section path. A variable for
// any other key is not read, an empty one is unset, and a key given by Set
// keeps the value Set gave it.
func (o *Overlay) Env(environ []string, prefix string, keys []string, path ...string) error {
	want := map[string]string{}
	for _, k := range keys {
		want[prefix+strings.ToUpper(k)] = k
	}
	for _, kv := range environ {
		name, val, _ := strings.Cut(kv, "=")
		k, ok := want[name]
		if !ok || strings.TrimSpace(val) == "" {
			continue
		}
		p := append(append([]string(nil), path...), k)
		if or, set := o.origin[o.Node(p...)]; set && strings.HasPrefix(or.where, "--set ") {
			continue // a --set wins whatever the order of the calls
		}
		if err := o.SetKey(p, val, "environment variable "+name); err != nil {
			return err
		}
	}
	return nil
}

// SetKey sets the value at path, read as Set reads it; where names its
// origin in errors.
func (o *Overlay) SetKey(path []string, value, where string) error {
	key := strings.Join(path, ".")
	for _, k := range path {
		if k == "" || strings.ContainsAny(k, "[] \t") {
			return &Error{Where: where, Err: fmt.Errorf("%s is not a key path (sections separated by '.')", Quote(key))}
		}
	}
	v, err := valueNode(value)
	if err != nil {
		return &Error{Where: where, Err: err}
	}
	o.mark(v, origin{where: where, key: key})
	n := o.root
	for i, k := range path {
		c := Child(n, k)
		if i == len(path)-1 {
			if c != nil {
				*c = *v
				o.mark(c, origin{where: where, key: key})
				return nil
			}
			kn := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}
			o.origin[kn] = origin{where: where, key: key}
			n.Content = append(n.Content, kn, v)
			return nil
		}
		if c == nil {
			kn := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}
			c = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			o.origin[kn] = origin{where: where, key: key}
			o.origin[c] = origin{where: where, key: key}
			n.Content = append(n.Content, kn, c)
		}
		if c.Kind != yaml.MappingNode {
			return &Error{Where: where, Err: fmt.Errorf("%s holds a value, not a section of keys", strings.Join(path[:i+1], "."))}
		}
		n = c
	}
	return nil
}

// valueNode reads an assigned value: a plain scalar (its type resolved as
// YAML resolves a plain value) or a flow list.
func valueNode(v string) (*yaml.Node, error) {
	if !strings.HasPrefix(strings.TrimSpace(v), "[") {
		return &yaml.Node{Kind: yaml.ScalarNode, Value: v}, nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(v), &doc); err != nil || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s is not a list such as [1, 2, 3]", Quote(v))
	}
	n := doc.Content[0]
	if len(n.Content) == 0 {
		return nil, errors.New("empty list given")
	}
	return n, nil
}

// mark records the origin of n and every node under it.
func (o *Overlay) mark(n *yaml.Node, or origin) {
	o.origin[n] = or
	for _, c := range n.Content {
		o.mark(c, or)
	}
}

// shorten is an assignment as an error shows it: as given when short and
// printable, else quoted and cut.
func shorten(s string) string {
	if len(s) <= maxQuote && strconv.Quote(s) == `"`+s+`"` {
		return s
	}
	return Quote(s)
}

// errorf returns an *Error about node n (its key path key).
func (o *Overlay) errorf(n *yaml.Node, key, format string, a ...any) error {
	return o.explain(n, key, fmt.Errorf(format, a...))
}

// Errorf returns an *Error about the node n, whose key path is key: it
// names the file and line, the variable or the assignment it came from.
func (o *Overlay) Errorf(n *yaml.Node, key, format string, a ...any) error {
	return o.errorf(n, key, format, a...)
}

func (o *Overlay) explain(n *yaml.Node, key string, err error) error {
	if or, ok := o.origin[n]; ok {
		return &Error{Where: or.where, Key: key, Err: err}
	}
	where := "config " + o.file
	if n != nil && n.Line > 0 {
		where += ":" + strconv.Itoa(n.Line)
	}
	return &Error{Where: where, Key: key, Err: err}
}

// Explain turns the *NodeError in err (from a decoder of a section at the
// key path prefix) into an *Error naming where the node came from; other
// errors are returned as they are.
func (o *Overlay) Explain(err error, prefix string) error {
	var ne *NodeError
	if err == nil || !errors.As(err, &ne) {
		return err
	}
	return o.explain(ne.Node, join(prefix, ne.Key), ne.Err)
}

// Lookup returns the node at a key path with list indexes
// ("methods[1].params.k"), or nil.
func (o *Overlay) Lookup(path string) *yaml.Node {
	n := o.root
	for _, part := range splitPath(path) {
		if i, ok := strings.CutPrefix(part, "["); ok {
			k, err := strconv.Atoi(strings.TrimSuffix(i, "]"))
			if err != nil || n.Kind != yaml.SequenceNode || k < 0 || k >= len(n.Content) {
				return nil
			}
			n = n.Content[k]
			continue
		}
		if n = Child(n, part); n == nil {
			return nil
		}
	}
	return n
}

// Locate gives a settings *Error without a place (a check made after
// decoding, which names only the key path) the place of the node at its
// key path: the file and line, the variable or the assignment it came
// from; other errors are returned as they are.
func (o *Overlay) Locate(err error) error {
	var e *Error
	if !errors.As(err, &e) || e.Where != "" {
		return err
	}
	n := o.Lookup(e.Key)
	if n == nil {
		return &Error{Where: "config " + o.file, Key: e.Key, Err: e.Err}
	}
	return o.explain(n, e.Key, e.Err)
}
