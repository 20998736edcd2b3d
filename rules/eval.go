package rules

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/synthor/synthor/table"
)

// scope is the level an expression is evaluated at.
type scope int

const (
	rowScope   scope = iota // one row (a person, a record)
	groupScope              // the rows of one group (a household)
	tableScope              // the whole table: its groups, or its rows when ungrouped
)

func (s scope) String() string {
	return [...]string{"record", "group", "table"}[s]
}

// vkind is the kind of a value.
type vkind uint8

const (
	vNull vkind = iota
	vNum
	vStr
	vBool
)

// value is the result of evaluating an expression. Only the field of its
// kind is set, so values of one kind and content compare equal with ==.
type value struct {
	k   vkind
	num float64
	str string
	b   bool
}

func numV(x float64) value {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return value{}
	}
	return value{k: vNum, num: x}
}

func boolV(b bool) value { return value{k: vBool, b: b} }

// truth reads a value as a condition: a missing value and anything but true
// is false.
func (v value) truth() bool { return v.k == vBool && v.b }

// number reads a value as a number; text holding a number counts.
func (v value) number() (float64, bool) {
	switch v.k {
	case vNum:
		return v.num, true
	case vStr:
		x, err := strconv.ParseFloat(strings.TrimSpace(v.str), 64)
		return x, err == nil && !math.IsNaN(x) && !math.IsInf(x, 0)
	}
	return 0, false
}

// frame is the data an evaluation sees: the current row (row scope), the
// rows of the current group (group scope) or the groups of the table
// (table scope).
type frame struct {
	row    int
	rows   []int
	groups [][]int
}

// evalFn evaluates a compiled expression.
type evalFn func(f *frame) value

// function describes a built-in function.
type function struct {
	minArgs, maxArgs int
	aggregate        bool
	doc              string
}

func (f function) arity() string {
	switch {
	case f.minArgs == f.maxArgs && f.minArgs == 1:
		return "one argument"
	case f.minArgs == f.maxArgs:
		return fmt.Sprintf("%d arguments", f.minArgs)
	}
	return fmt.Sprintf("%d to %d arguments", f.minArgs, f.maxArgs)
}

// functions are the built-in functions. Aggregates evaluate their argument
// once per member of the current scope (rows of a group, groups of a table)
// and take an optional "where" filter.
var functions = map[string]function{
	"count":    {0, 1, true, "count() members, count(c) members where c holds"},
	"share":    {1, 1, true, "share(c): count(c) / count()"},
	"sum":      {1, 1, true, "sum of the non-missing values (0 when none)"},
	"mean":     {1, 1, true, "mean of the non-missing values"},
	"median":   {1, 1, true, "median of the non-missing values"},
	"min":      {1, 1, true, "smallest non-missing value"},
	"max":      {1, 1, true, "largest non-missing value"},
	"any":      {1, 1, true, "some member satisfies the condition"},
	"all":      {1, 1, true, "every member satisfies the condition"},
	"distinct": {1, 1, true, "number of distinct values, missing counting as one"},
	"isint":    {1, 1, false, "the value is a whole number"},
	"missing":  {1, 1, false, "the value is missing"},
	"abs":      {1, 1, false, "absolute value"},
}

func functionNames() string {
	names := make([]string, 0, len(functions))
	for k := range functions {
		names = append(names, k)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// hasAggregate reports whether an expression calls an aggregate outside
// any other aggregate (at its own level).
func hasAggregate(n node) bool {
	switch n := n.(type) {
	case *unary:
		return hasAggregate(n.x)
	case *binary:
		return hasAggregate(n.l) || hasAggregate(n.r)
	case *inList:
		if hasAggregate(n.x) {
			return true
		}
		return slices.ContainsFunc(n.items, hasAggregate)
	case *call:
		if functions[n.fn].aggregate {
			return true
		}
		return slices.ContainsFunc(n.args, hasAggregate)
	}
	return false
}

// columns appends the column names an expression reads, once each.
func columns(n node, out []string) []string {
	switch n := n.(type) {
	case *colRef:
		if !slices.Contains(out, n.name) {
			out = append(out, n.name)
		}
	case *unary:
		out = columns(n.x, out)
	case *binary:
		out = columns(n.r, columns(n.l, out))
	case *inList:
		out = columns(n.x, out)
		for _, it := range n.items {
			out = columns(it, out)
		}
	case *call:
		for _, a := range n.args {
			out = columns(a, out)
		}
		if n.where != nil {
			out = columns(n.where, out)
		}
	}
	return out
}

// compiler turns a tree into an evalFn over one table.
type compiler struct {
	t       *table.Table
	grouped bool // table scope iterates groups (else rows)
}

// below returns the scope an aggregate's argument is evaluated at.
func (c *compiler) below(s scope) scope {
	if s == tableScope && !c.grouped {
		return rowScope
	}
	return s - 1
}

func (c *compiler) compile(n node, s scope) (evalFn, error) {
	switch n := n.(type) {
	case *numLit:
		v := numV(n.v)
		return func(*frame) value { return v }, nil
	case *strLit:
		v := value{k: vStr, str: n.v}
		return func(*frame) value { return v }, nil
	case *boolLit:
		v := boolV(n.v)
		return func(*frame) value { return v }, nil
	case *colRef:
		return c.column(n, s)
	case *unary:
		x, err := c.compile(n.x, s)
		if err != nil {
			return nil, err
		}
		if n.op == "not" {
			return func(f *frame) value { return boolV(!x(f).truth()) }, nil
		}
		return func(f *frame) value {
			if v, ok := x(f).number(); ok {
				return numV(-v)
			}
			return value{}
		}, nil
	case *binary:
		return c.binary(n, s)
	case *inList:
		if fn, ok := c.categoricalIn(n, s); ok {
			return fn, nil
		}
		x, err := c.compile(n.x, s)
		if err != nil {
			return nil, err
		}
		items := make([]evalFn, len(n.items))
		for i, it := range n.items {
			if items[i], err = c.compile(it, s); err != nil {
				return nil, err
			}
		}
		neg := n.neg
		return func(f *frame) value {
			v := x(f)
			if v.k == vNull {
				return boolV(false)
			}
			for _, it := range items {
				if eq, ok := equal(v, it(f)); ok && eq {
					return boolV(!neg)
				}
			}
			return boolV(neg)
		}, nil
	case *call:
		if functions[n.fn].aggregate {
			return c.aggregate(n, s)
		}
		return c.scalar(n, s)
	}
	return nil, errAt(n.at(), "unknown expression")
}

// categoricalIn compiles "column in (strings...)" over a categorical
// column as a lookup by code; ok is false for any other form.
func (c *compiler) categoricalIn(n *inList, s scope) (evalFn, bool) {
	ref, isRef := n.x.(*colRef)
	if !isRef || s == tableScope {
		return nil, false
	}
	col := c.t.Col(ref.name)
	if col == nil || col.Kind != table.Categorical {
		return nil, false
	}
	member := make([]bool, len(col.Dict))
	for _, it := range n.items {
		lit, isStr := it.(*strLit)
		if !isStr {
			return nil, false
		}
		for k, d := range col.Dict {
			if d == lit.v {
				member[k] = true
			}
		}
	}
	neg := n.neg
	at := func(i int) value {
		if col.IsNull(i) || col.Codes[i] < 0 || int(col.Codes[i]) >= len(member) {
			return boolV(false)
		}
		return boolV(member[col.Codes[i]] != neg)
	}
	if s == rowScope {
		return func(f *frame) value { return at(f.row) }, true
	}
	return func(f *frame) value {
		if len(f.rows) == 0 {
			return boolV(false)
		}
		return at(f.rows[0])
	}, true
}

func (c *compiler) column(n *colRef, s scope) (evalFn, error) {
	col := c.t.Col(n.name)
	if col == nil {
		return nil, errAt(n.p, "no column %q in the table", n.name)
	}
	if s == tableScope {
		return nil, errAt(n.p, "column %q is read at table level: wrap it in an aggregate such as mean(%s)", n.name, n.name)
	}
	read := func(i int) value {
		if col.IsNull(i) {
			return value{}
		}
		switch col.Kind {
		case table.Categorical, table.Text, table.Datetime:
			return value{k: vStr, str: col.String(i)}
		}
		return numV(col.Float(i))
	}
	if s == rowScope {
		return func(f *frame) value { return read(f.row) }, nil
	}
	// A column read at group level is the group's first row: the
	// household-level value.
	return func(f *frame) value {
		if len(f.rows) == 0 {
			return value{}
		}
		return read(f.rows[0])
	}, nil
}

// equal compares two values: numbers numerically (text holding a number
// counts), text as text, booleans as booleans. ok is false when either is
// missing.
func equal(a, b value) (eq, ok bool) {
	if a.k == vNull || b.k == vNull {
		return false, false
	}
	if a.k == vBool || b.k == vBool {
		return a.k == b.k && a.b == b.b, true
	}
	if a.k == vStr && b.k == vStr {
		return a.str == b.str, true
	}
	x, okx := a.number()
	y, oky := b.number()
	if okx && oky {
		return x == y, true
	}
	return false, true
}

func (c *compiler) binary(n *binary, s scope) (evalFn, error) {
	l, err := c.compile(n.l, s)
	if err != nil {
		return nil, err
	}
	r, err := c.compile(n.r, s)
	if err != nil {
		return nil, err
	}
	switch n.op {
	case "and":
		return func(f *frame) value { return boolV(l(f).truth() && r(f).truth()) }, nil
	case "or":
		return func(f *frame) value { return boolV(l(f).truth() || r(f).truth()) }, nil
	case "==", "!=":
		want := n.op == "=="
		return func(f *frame) value {
			eq, ok := equal(l(f), r(f))
			return boolV(ok && eq == want)
		}, nil
	case "<", "<=", ">", ">=":
		op := n.op
		return func(f *frame) value {
			a, b := l(f), r(f)
			if a.k == vStr && b.k == vStr {
				if _, ok := a.number(); !ok {
					return boolV(cmpOrdered(strings.Compare(a.str, b.str), op))
				}
			}
			x, okx := a.number()
			y, oky := b.number()
			if !okx || !oky {
				return boolV(false)
			}
			d := 0
			if x < y {
				d = -1
			} else if x > y {
				d = 1
			}
			return boolV(cmpOrdered(d, op))
		}, nil
	}
	op := n.op
	return func(f *frame) value {
		x, okx := l(f).number()
		y, oky := r(f).number()
		if !okx || !oky {
			return value{}
		}
		switch op {
		case "+":
			return numV(x + y)
		case "-":
			return numV(x - y)
		case "*":
			return numV(x * y)
		}
		if y == 0 {
			return value{}
		}
		return numV(x / y)
	}, nil
}

func cmpOrdered(d int, op string) bool {
	switch op {
	case "<":
		return d < 0
	case "<=":
		return d <= 0
	case ">":
		return d > 0
	}
	return d >= 0
}

func (c *compiler) scalar(n *call, s scope) (evalFn, error) {
	x, err := c.compile(n.args[0], s)
	if err != nil {
		return nil, err
	}
	switch n.fn {
	case "isint":
		return func(f *frame) value {
			v, ok := x(f).number()
			return boolV(ok && v == math.Trunc(v))
		}, nil
	case "missing":
		return func(f *frame) value { return boolV(x(f).k == vNull) }, nil
	}
	return func(f *frame) value {
		if v, ok := x(f).number(); ok {
			return numV(math.Abs(v))
		}
		return value{}
	}, nil
}

func (c *compiler) aggregate(n *call, s scope) (evalFn, error) {
	if s == rowScope {
		return nil, errAt(n.p, "%s aggregates over members and cannot be used inside another aggregate of the rows", n.fn)
	}
	in := c.below(s)
	var arg, where evalFn
	var err error
	if len(n.args) > 0 {
		if arg, err = c.compile(n.args[0], in); err != nil {
			return nil, err
		}
	}
	if n.where != nil {
		if where, err = c.compile(n.where, in); err != nil {
			return nil, err
		}
	}
	// each calls visit on every member of the current scope that passes
	// the where filter.
	each := func(f *frame, visit func(sub *frame)) {
		var sub frame
		switch {
		case s == groupScope:
			for _, i := range f.rows {
				sub.row = i
				if where == nil || where(&sub).truth() {
					visit(&sub)
				}
			}
		case in == groupScope:
			for _, g := range f.groups {
				sub.rows = g
				if where == nil || where(&sub).truth() {
					visit(&sub)
				}
			}
		default:
			for _, g := range f.groups {
				for _, i := range g {
					sub.row = i
					if where == nil || where(&sub).truth() {
						visit(&sub)
					}
				}
			}
		}
	}
	switch n.fn {
	case "count", "share", "any", "all":
		fn := n.fn
		return func(f *frame) value {
			total, hit := 0, 0
			each(f, func(sub *frame) {
				total++
				if arg == nil || arg(sub).truth() {
					hit++
				}
			})
			switch fn {
			case "count":
				return numV(float64(hit))
			case "share":
				if total == 0 {
					return value{}
				}
				return numV(float64(hit) / float64(total))
			case "any":
				return boolV(hit > 0)
			}
			return boolV(hit == total)
		}, nil
	case "distinct":
		return func(f *frame) value {
			var seen []value // few distinct values are usual: a linear scan beats a map
			each(f, func(sub *frame) {
				v := arg(sub)
				if !slices.Contains(seen, v) {
					seen = append(seen, v)
				}
			})
			return numV(float64(len(seen)))
		}, nil
	}
	fn := n.fn
	return func(f *frame) value {
		var xs []float64
		each(f, func(sub *frame) {
			if x, ok := arg(sub).number(); ok {
				xs = append(xs, x)
			}
		})
		return reduce(fn, xs)
	}, nil
}

// reduce applies a numeric aggregate; every one but sum is missing over no
// values. The median of an even count is the mean of the middle two.
func reduce(fn string, xs []float64) value {
	if fn == "sum" {
		t := 0.0
		for _, x := range xs {
			t += x
		}
		return numV(t)
	}
	if len(xs) == 0 {
		return value{}
	}
	switch fn {
	case "mean":
		t := 0.0
		for _, x := range xs {
			t += x
		}
		return numV(t / float64(len(xs)))
	case "min":
		return numV(slices.Min(xs))
	case "max":
		return numV(slices.Max(xs))
	}
	slices.Sort(xs)
	m := len(xs) / 2
	if len(xs)%2 == 1 {
		return numV(xs[m])
	}
	return numV((xs[m-1] + xs[m]) / 2)
}
