package rules

import (
	"strings"
)

// node is an expression tree node.
type node interface{ at() int }

type (
	numLit struct {
		v float64
		p int
	}
	strLit struct {
		v string
		p int
	}
	boolLit struct {
		v bool
		p int
	}
	colRef struct {
		name string
		p    int
	}
	unary struct {
		op string
		x  node
		p  int
	} // "not" or "-"
	binary struct {
		op   string
		l, r node
		p    int
	}
	inList struct {
		x     node
		items []node
		neg   bool
		p     int
	}
	call struct {
		fn    string
		args  []node
		where node // optional filter of an aggregate
		p     int
	}
)

func (n *numLit) at() int  { return n.p }
func (n *strLit) at() int  { return n.p }
func (n *boolLit) at() int { return n.p }
func (n *colRef) at() int  { return n.p }
func (n *unary) at() int   { return n.p }
func (n *binary) at() int  { return n.p }
func (n *inList) at() int  { return n.p }
func (n *call) at() int    { return n.p }

// maxDepth bounds the nesting of an expression, so a hostile input cannot
// exhaust the stack.
const maxDepth = 200

type parser struct {
	toks  []token
	i     int
	depth int
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *parser) is(kind tokKind, text string) bool {
	t := p.peek()
	return t.kind == kind && t.text == text
}

func (p *parser) expect(kind tokKind, text string) error {
	if !p.is(kind, text) {
		return errAt(p.peek().pos, "expected %q, found %s", text, describe(p.peek()))
	}
	p.next()
	return nil
}

func describe(t token) string {
	switch t.kind {
	case tEOF:
		return "end of rule"
	case tString:
		return "string " + quote(t.text)
	case tIdent:
		return "column " + quote(t.text)
	}
	return quote(t.text)
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

// parseTop parses a whole definition: "when C then E", "E when C" or "E".
// cond is nil when there is no condition.
func parseTop(src string) (expr, cond node, err error) {
	toks, err := lex(src)
	if err != nil {
		return nil, nil, err
	}
	p := &parser{toks: toks}
	if p.is(tWord, "when") {
		p.next()
		if cond, err = p.expr(); err != nil {
			return nil, nil, err
		}
		if err = p.expect(tWord, "then"); err != nil {
			return nil, nil, err
		}
		if expr, err = p.expr(); err != nil {
			return nil, nil, err
		}
	} else {
		if expr, err = p.expr(); err != nil {
			return nil, nil, err
		}
		if p.is(tWord, "when") {
			p.next()
			if cond, err = p.expr(); err != nil {
				return nil, nil, err
			}
		}
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, nil, errAt(t.pos, "unexpected %s", describe(t))
	}
	return expr, cond, nil
}

func (p *parser) expr() (node, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		return nil, errAt(p.peek().pos, "expression nested too deeply")
	}
	return p.or()
}

func (p *parser) or() (node, error) {
	l, err := p.and()
	for err == nil && p.is(tWord, "or") {
		t := p.next()
		var r node
		if r, err = p.and(); err == nil {
			l = &binary{op: "or", l: l, r: r, p: t.pos}
		}
	}
	return l, err
}

func (p *parser) and() (node, error) {
	l, err := p.not()
	for err == nil && p.is(tWord, "and") {
		t := p.next()
		var r node
		if r, err = p.not(); err == nil {
			l = &binary{op: "and", l: l, r: r, p: t.pos}
		}
	}
	return l, err
}

func (p *parser) not() (node, error) {
	if p.is(tWord, "not") {
		t := p.next()
		p.depth++
		defer func() { p.depth-- }()
		if p.depth > maxDepth {
			return nil, errAt(t.pos, "expression nested too deeply")
		}
		x, err := p.not()
		if err != nil {
			return nil, err
		}
		return &unary{op: "not", x: x, p: t.pos}, nil
	}
	return p.compare()
}

var compareOps = map[string]bool{"==": true, "!=": true, "<": true, "<=": true, ">": true, ">=": true}

func (p *parser) compare() (node, error) {
	l, err := p.additive()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind == tOp && compareOps[t.text] {
		p.next()
		r, err := p.additive()
		if err != nil {
			return nil, err
		}
		if t2 := p.peek(); t2.kind == tOp && compareOps[t2.text] {
			return nil, errAt(t2.pos, "comparisons do not chain: use and")
		}
		return &binary{op: t.text, l: l, r: r, p: t.pos}, nil
	}
	neg := false
	if p.is(tWord, "not") && p.toks[p.i+1].kind == tWord && p.toks[p.i+1].text == "in" {
		p.next()
		neg = true
	}
	if p.is(tWord, "in") {
		t := p.next()
		if err := p.expect(tOp, "("); err != nil {
			return nil, err
		}
		in := &inList{x: l, neg: neg, p: t.pos}
		for {
			it, err := p.additive()
			if err != nil {
				return nil, err
			}
			in.items = append(in.items, it)
			if !p.is(tOp, ",") {
				break
			}
			p.next()
		}
		if err := p.expect(tOp, ")"); err != nil {
			return nil, err
		}
		return in, nil
	}
	return l, nil
}

func (p *parser) additive() (node, error) {
	l, err := p.multiplicative()
	for err == nil && (p.is(tOp, "+") || p.is(tOp, "-")) {
		t := p.next()
		var r node
		if r, err = p.multiplicative(); err == nil {
			l = &binary{op: t.text, l: l, r: r, p: t.pos}
		}
	}
	return l, err
}

func (p *parser) multiplicative() (node, error) {
	l, err := p.unaryMinus()
	for err == nil && (p.is(tOp, "*") || p.is(tOp, "/")) {
		t := p.next()
		var r node
		if r, err = p.unaryMinus(); err == nil {
			l = &binary{op: t.text, l: l, r: r, p: t.pos}
		}
	}
	return l, err
}

func (p *parser) unaryMinus() (node, error) {
	if p.is(tOp, "-") {
		t := p.next()
		p.depth++
		defer func() { p.depth-- }()
		if p.depth > maxDepth {
			return nil, errAt(t.pos, "expression nested too deeply")
		}
		x, err := p.unaryMinus()
		if err != nil {
			return nil, err
		}
		return &unary{op: "-", x: x, p: t.pos}, nil
	}
	return p.primary()
}

func (p *parser) primary() (node, error) {
	t := p.next()
	switch t.kind {
	case tNumber:
		return &numLit{v: t.num, p: t.pos}, nil
	case tString:
		return &strLit{v: t.text, p: t.pos}, nil
	case tWord:
		switch t.text {
		case "true", "false":
			return &boolLit{v: t.text == "true", p: t.pos}, nil
		}
	case tIdent:
		if !p.is(tOp, "(") {
			return &colRef{name: t.text, p: t.pos}, nil
		}
		return p.call(t)
	case tOp:
		if t.text == "(" {
			x, err := p.expr()
			if err != nil {
				return nil, err
			}
			return x, p.expect(tOp, ")")
		}
	}
	return nil, errAt(t.pos, "expected a value, found %s", describe(t))
}

func (p *parser) call(name token) (node, error) {
	fn := strings.ToLower(name.text)
	if _, ok := functions[fn]; !ok {
		return nil, errAt(name.pos, "unknown function %q (valid: %s)", name.text, functionNames())
	}
	p.next() // (
	c := &call{fn: fn, p: name.pos}
	if !p.is(tOp, ")") && !p.is(tWord, "where") {
		for {
			a, err := p.expr()
			if err != nil {
				return nil, err
			}
			c.args = append(c.args, a)
			if !p.is(tOp, ",") {
				break
			}
			p.next()
		}
	}
	if p.is(tWord, "where") {
		w := p.next()
		if !functions[fn].aggregate {
			return nil, errAt(w.pos, "%s takes no where clause", fn)
		}
		x, err := p.expr()
		if err != nil {
			return nil, err
		}
		c.where = x
	}
	if err := p.expect(tOp, ")"); err != nil {
		return nil, err
	}
	f := functions[fn]
	if len(c.args) < f.minArgs || len(c.args) > f.maxArgs {
		return nil, errAt(name.pos, "%s takes %s", fn, f.arity())
	}
	return c, nil
}
