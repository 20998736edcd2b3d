package metrics

import (
	"fmt"

	"github.com/synthor/synthor/table"
)

// aligned returns r's Input with Synth, Holdout and Truth checked against
// Real (Align), on shallow copies of the tables.
func (r Request) aligned() (Input, error) {
	in := r.Input
	in.Real = shallow(in.Real)
	for _, o := range []struct {
		t    **table.Table
		name string
	}{{&in.Synth, r.Names.synth()}, {&in.Holdout, r.Names.hold()}, {&in.Truth, r.Names.truth()}} {
		if *o.t == nil {
			continue
		}
		*o.t = shallow(*o.t)
		if err := Align(in.Real, *o.t, r.Names.real(), o.name); err != nil {
			return Input{}, err
		}
	}
	return in, nil
}

// shallow returns a table over the same columns as t, so that a column can
// be swapped without touching t.
func shallow(t *table.Table) *table.Table {
	c, err := table.New(append([]*table.Column(nil), t.Cols...)...)
	if err != nil {
		return t // t was valid, so this cannot happen
	}
	c.GroupKey = t.GroupKey
	return c
}

// Align makes b scoreable against a, in place: a column missing in every
// row of one table takes the kind of its namesake in the other (a reader
// cannot infer the kind of a column with no values, and such a column is
// scored with reasons, not rejected). It then checks that b has exactly a's
// columns with compatible kinds (the same kind, or integer against float),
// naming the first column that disagrees with aName and bName.
func Align(a, b *table.Table, aName, bName string) error {
	for _, c := range a.Cols {
		d := b.Col(c.Name)
		if d == nil || compatible(c.Kind, d.Kind) {
			continue
		}
		switch {
		case d.NullCount() == d.Len():
			replaceColumn(b, table.NewNull(c.Field, d.Len()))
		case c.NullCount() == c.Len():
			replaceColumn(a, table.NewNull(d.Field, c.Len()))
		}
	}
	for _, c := range a.Cols {
		d := b.Col(c.Name)
		if d == nil {
			return fmt.Errorf("column %q of %s is missing from %s", c.Name, aName, bName)
		}
		if !compatible(c.Kind, d.Kind) {
			return fmt.Errorf("column %q is %s in %s but %s in %s", c.Name, c.Kind, aName, d.Kind, bName)
		}
	}
	for _, d := range b.Cols {
		if a.Col(d.Name) == nil {
			return fmt.Errorf("column %q of %s is not in %s", d.Name, bName, aName)
		}
	}
	return nil
}

// compatible reports whether a column kind in one table can be scored
// against another: the same kind, or integer against float.
func compatible(a, b table.Kind) bool {
	num := func(k table.Kind) bool { return k == table.Integer || k == table.Float }
	return a == b || (num(a) && num(b))
}

// replaceColumn swaps in c for the column of t with the same name.
func replaceColumn(t *table.Table, c *table.Column) {
	for i, old := range t.Cols {
		if old.Name == c.Name {
			t.Cols[i] = c
		}
	}
}
