package synthor

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// ParseReply reads the proposals of an LLM reply. It is lenient about the
// wrapping and strict about the content:
//
//   - The JSON may sit inside a ``` code fence or between prose; the first
//     complete JSON object or array is taken, and trailing commas before a
//     closing bracket are dropped.
//   - Two shapes are accepted: the paper's {"n_proposals": k, "proposal1":
//     {...}, "proposal2": {...}} (keys proposal1, proposal_2, Proposal3, …
//     in numeric order; n_proposals is informative) and {"proposals":
//     [{...}, ...]}; a bare array of proposals and a single proposal object
//     are read too.
//   - Each proposal is {"reason": string, "proposal": {variable: value},
//     "num": integer, "members": [...]}. A value is a category string, a
//     number (a one-point range) or a [min, max] pair of numbers. Members
//     (grouped tables) are proposals whose num is ignored, or bare
//     {variable: value} objects.
//
// Semantics (known variables and categories, domains, budgets) are checked
// by the loop, not here. The error says what is wrong and where, in one line
// that can be quoted back to the model.
func ParseReply(text string) ([]Proposal, error) {
	raw, err := extractJSON(text)
	if err != nil {
		return nil, err
	}
	var top any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&top); err != nil {
		return nil, fmt.Errorf("reply is not valid JSON: %v", err)
	}
	var items []any
	var names []string
	switch x := top.(type) {
	case []any:
		items = x
		for i := range x {
			names = append(names, "proposal "+strconv.Itoa(i+1))
		}
	case map[string]any:
		items, names, err = proposalItems(x)
		if err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("reply is a JSON %s, want an object with \"proposal1\", \"proposal2\", ... or a \"proposals\" array", jsonType(top))
	}
	if len(items) == 0 {
		return nil, errors.New(`reply holds no proposals: want "proposal1", "proposal2", ... or a non-empty "proposals" array`)
	}
	out := make([]Proposal, 0, len(items))
	for i, it := range items {
		p, err := readProposal(it, true)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", names[i], err)
		}
		out = append(out, p)
	}
	return out, nil
}

var proposalKey = regexp.MustCompile(`(?i)^proposal[ _-]?(\d+)$`)

func proposalItems(m map[string]any) ([]any, []string, error) {
	if ps, ok := m["proposals"]; ok {
		arr, ok := ps.([]any)
		if !ok {
			return nil, nil, fmt.Errorf(`"proposals" is a JSON %s, want an array of proposals`, jsonType(ps))
		}
		names := make([]string, len(arr))
		for i := range arr {
			names[i] = "proposals[" + strconv.Itoa(i) + "]"
		}
		return arr, names, nil
	}
	type numbered struct {
		n    int
		name string
	}
	var keys []numbered
	for k := range m {
		if sm := proposalKey.FindStringSubmatch(k); sm != nil {
			n, err := strconv.Atoi(sm[1])
			if err != nil {
				continue
			}
			keys = append(keys, numbered{n, k})
		}
	}
	if len(keys) == 0 {
		if _, ok := m["proposal"]; ok { // a single proposal
			return []any{m}, []string{"proposal"}, nil
		}
		return nil, nil, fmt.Errorf(`reply holds no proposals: want keys "proposal1", "proposal2", ... or a "proposals" array, got keys %s`, keyList(m))
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].n != keys[j].n {
			return keys[i].n < keys[j].n
		}
		return keys[i].name < keys[j].name
	})
	items := make([]any, len(keys))
	names := make([]string, len(keys))
	for i, k := range keys {
		items[i], names[i] = m[k.name], k.name
	}
	return items, names, nil
}

// readProposal type-checks one proposal object. top is false for members,
// whose "num" is not needed and which may be bare value maps.
func readProposal(it any, top bool) (Proposal, error) {
	obj, ok := it.(map[string]any)
	if !ok {
		return Proposal{}, fmt.Errorf("is a JSON %s, want an object with \"proposal\" and \"num\"", jsonType(it))
	}
	var p Proposal
	vals, hasVals := obj["proposal"]
	if !hasVals {
		if top {
			return p, fmt.Errorf(`missing "proposal" (the object of variable values); got keys %s`, keyList(obj))
		}
		vals = obj // a bare member {variable: value}
	}
	vm, ok := vals.(map[string]any)
	if !ok {
		return p, fmt.Errorf(`"proposal" is a JSON %s, want an object mapping each variable to a category or [min, max]`, jsonType(vals))
	}
	if len(vm) == 0 {
		return p, errors.New(`"proposal" is empty: give every variable a value`)
	}
	p.Values = make(map[string]Value, len(vm))
	for _, name := range sortedKeys(vm) {
		v, err := readValue(vm[name])
		if err != nil {
			return p, fmt.Errorf("variable %q: %w", name, err)
		}
		p.Values[name] = v
	}
	if r, ok := obj["reason"]; ok && hasVals {
		s, ok := r.(string)
		if !ok && r != nil {
			return p, fmt.Errorf(`"reason" is a JSON %s, want a string`, jsonType(r))
		}
		p.Reason = s
	}
	if top {
		n, ok := obj["num"]
		if !ok {
			return p, errors.New(`missing "num" (how many records to draw from this proposal)`)
		}
		num, err := readCount(n)
		if err != nil {
			return p, fmt.Errorf(`"num": %w`, err)
		}
		p.Num = num
	}
	if ms, ok := obj["members"]; ok && hasVals {
		arr, ok := ms.([]any)
		if !ok {
			return p, fmt.Errorf(`"members" is a JSON %s, want an array of member proposals`, jsonType(ms))
		}
		for i, m := range arr {
			mp, err := readProposal(m, false)
			if err != nil {
				return p, fmt.Errorf("members[%d]: %w", i, err)
			}
			p.Members = append(p.Members, mp)
		}
	}
	return p, nil
}

func readValue(v any) (Value, error) {
	switch x := v.(type) {
	case nil:
		return Missing(), nil
	case string:
		return Cat(x), nil
	case json.Number:
		f, err := finite(x)
		if err != nil {
			return Value{}, err
		}
		return Range(f, f), nil
	case []any:
		if len(x) == 2 {
			a, aok := x[0].(json.Number)
			b, bok := x[1].(json.Number)
			if aok && bok {
				lo, err := finite(a)
				if err != nil {
					return Value{}, err
				}
				hi, err := finite(b)
				if err != nil {
					return Value{}, err
				}
				return Range(lo, hi), nil
			}
		}
		return Value{}, fmt.Errorf("want a category string, a [min, max] pair of numbers or null, got an array of %d element(s)%s", len(x), elemTypes(x))
	}
	return Value{}, fmt.Errorf("want a category string, a [min, max] pair of numbers or null, got %s", jsonType(v))
}

func finite(n json.Number) (float64, error) {
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, fmt.Errorf("number %s is out of range", clipText(string(n), 30))
	}
	return f, nil
}

func readCount(v any) (int, error) {
	var f float64
	switch x := v.(type) {
	case json.Number:
		var err error
		if f, err = finite(x); err != nil {
			return 0, err
		}
	case string: // "5"
		var err error
		if f, err = strconv.ParseFloat(strings.TrimSpace(x), 64); err != nil {
			return 0, fmt.Errorf("want an integer, got the string %q", clipText(x, 30))
		}
	default:
		return 0, fmt.Errorf("want an integer, got %s", jsonType(v))
	}
	if f != math.Trunc(f) || math.Abs(f) > 1e9 {
		return 0, fmt.Errorf("want an integer, got %s", strconv.FormatFloat(f, 'g', 6, 64))
	}
	return int(f), nil
}

// ParseDependencies reads the dependency groups of an LLM reply: an object
// {"1": ["a", "b"], "2": [...]} (keys in numeric order; "group1" works
// too), {"groups": [[...], ...]}, or an array of arrays. Each group needs
// two or more distinct variable names; repeated names in a group are
// dropped. Whether the names exist is checked by the caller.
func ParseDependencies(text string) ([][]string, error) {
	raw, err := extractJSON(text)
	if err != nil {
		return nil, err
	}
	var top any
	if err := json.Unmarshal(raw, &top); err != nil {
		return nil, fmt.Errorf("reply is not valid JSON: %v", err)
	}
	var items []any
	var names []string
	switch x := top.(type) {
	case []any:
		items = x
		for i := range x {
			names = append(names, "group "+strconv.Itoa(i+1))
		}
	case map[string]any:
		if g, ok := x["groups"]; ok {
			arr, ok := g.([]any)
			if !ok {
				return nil, fmt.Errorf(`"groups" is a JSON %s, want an array of arrays of variable names`, jsonType(g))
			}
			items = arr
			for i := range arr {
				names = append(names, "groups["+strconv.Itoa(i)+"]")
			}
			break
		}
		keys := sortedKeys(x)
		sort.SliceStable(keys, func(i, j int) bool { return trailingNum(keys[i]) < trailingNum(keys[j]) })
		for _, k := range keys {
			items = append(items, x[k])
			names = append(names, strconv.Quote(k))
		}
	default:
		return nil, fmt.Errorf(`reply is a JSON %s, want an object like {"1": ["a", "b"], "2": [...]}`, jsonType(top))
	}
	if len(items) == 0 {
		return nil, errors.New(`reply holds no groups: want {"1": ["a", "b"], ...}`)
	}
	var out [][]string
	for i, it := range items {
		arr, ok := it.([]any)
		if !ok {
			return nil, fmt.Errorf("group %s is a JSON %s, want an array of variable names", names[i], jsonType(it))
		}
		var g []string
		for j, e := range arr {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("group %s, element %d is a JSON %s, want a variable name", names[i], j+1, jsonType(e))
			}
			s = strings.TrimSpace(s)
			if s != "" && !contains(g, s) {
				g = append(g, s)
			}
		}
		if len(g) < 2 {
			return nil, fmt.Errorf("group %s has %d distinct variable(s), need two or more", names[i], len(g))
		}
		out = append(out, g)
	}
	return out, nil
}

func trailingNum(s string) int {
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	n, err := strconv.Atoi(s[i:])
	if err != nil {
		return math.MaxInt
	}
	return n
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

var fence = regexp.MustCompile("(?s)```[a-zA-Z]*\\s*\n?(.*?)```")

// extractJSON returns the first complete JSON object or array in text, from
// inside a code fence when there is one, with trailing commas removed.
func extractJSON(text string) ([]byte, error) {
	s := text
	if m := fence.FindStringSubmatch(s); m != nil && strings.ContainsAny(m[1], "{[") {
		s = m[1]
	} else if i := strings.Index(s, "```"); i >= 0 && !strings.ContainsAny(s[:i], "{[") {
		s = s[i+3:] // an opening fence with no closing one (cut-off reply)
	}
	if strings.Contains(s, "//") || strings.Contains(s, "/*") {
		s = stripComments(s)
	}
	start := strings.IndexAny(s, "{[")
	if start < 0 {
		if strings.TrimSpace(text) == "" {
			return nil, errors.New("reply is empty")
		}
		return nil, fmt.Errorf("reply holds no JSON object: %q", clipText(strings.TrimSpace(text), 60))
	}
	// Prose may hold brackets of its own ("[see below]"): take the first
	// candidate that is valid JSON, else report on the first.
	var firstErr error
	for tries := 0; tries < 16; tries++ {
		end, err := matchBracket(s, start)
		if err == nil {
			b := dropTrailingCommas(s[start : end+1])
			if json.Valid(b) {
				return b, nil
			}
			err = fmt.Errorf("reply is not valid JSON: %v", jsonErr(b))
		}
		if firstErr == nil {
			firstErr = err
		}
		if end < 0 { // unclosed: nothing complete follows
			break
		}
		next := strings.IndexAny(s[end+1:], "{[")
		if next < 0 {
			break
		}
		start = end + 1 + next
	}
	return nil, firstErr
}

func jsonErr(b []byte) error {
	var v any
	err := json.Unmarshal(b, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("%v at byte %d", se, se.Offset)
	}
	return err
}

// matchBracket returns the index of the bracket closing the one at start,
// skipping brackets inside strings. On a mismatched bracket it returns its
// index with an error; when the text ends first, -1.
func matchBracket(s string, start int) (int, error) {
	var stack []byte
	inStr, esc := false, false
	for i := start; i < len(s); i++ {
		c := s[i]
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
			continue
		}
		switch c {
		case '"':
			inStr = true
		case '{':
			stack = append(stack, '}')
		case '[':
			stack = append(stack, ']')
		case '}', ']':
			if stack[len(stack)-1] != c {
				return i, fmt.Errorf("reply JSON has a mismatched %q at byte %d", c, i)
			}
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				return i, nil
			}
		}
	}
	return -1, fmt.Errorf("reply ends before its JSON closes (%d bracket(s) open): it looks cut off; reply with shorter reasons", len(stack))
}

// stripComments removes // line comments and /* block */ comments outside
// JSON strings (some models annotate their JSON).
func stripComments(s string) string {
	var b strings.Builder
	inStr, esc := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
			b.WriteByte(c)
			continue
		}
		if c == '/' && i+1 < len(s) && s[i+1] == '/' {
			for i < len(s) && s[i] != '\n' {
				i++
			}
			if i < len(s) {
				b.WriteByte('\n')
			}
			continue
		}
		if c == '/' && i+1 < len(s) && s[i+1] == '*' {
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				break
			}
			i += 2 + end + 1
			b.WriteByte(' ')
			continue
		}
		if c == '"' {
			inStr = true
		}
		b.WriteByte(c)
	}
	return b.String()
}

// dropTrailingCommas removes commas followed (after white space) by a
// closing bracket, outside strings.
func dropTrailingCommas(s string) []byte {
	out := make([]byte, 0, len(s))
	inStr, esc := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
			out = append(out, c)
			continue
		}
		if c == '"' {
			inStr = true
		}
		if c == ',' {
			j := i + 1
			for j < len(s) && strings.IndexByte(" \t\r\n", s[j]) >= 0 {
				j++
			}
			if j < len(s) && (s[j] == '}' || s[j] == ']') {
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

func jsonType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean (" + strconv.FormatBool(x) + ")"
	case json.Number, float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func elemTypes(x []any) string {
	if len(x) == 0 {
		return ""
	}
	ts := make([]string, len(x))
	for i, e := range x {
		ts[i] = jsonType(e)
	}
	return " (" + strings.Join(ts, ", ") + ")"
}

func keyList(m map[string]any) string {
	ks := sortedKeys(m)
	if len(ks) > 8 {
		ks = append(ks[:8], "…")
	}
	return "[" + strings.Join(ks, ", ") + "]"
}

func sortedKeys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
