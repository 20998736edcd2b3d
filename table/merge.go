package table

import (
	"math"
	"time"
)

// joinState returns the kind an inferred column takes when the cells of
// two parts of it were read into kinds x and y (0: every cell missing).
// The kind the serial reader infers depends only on which cells occur,
// not on their order: integer when all are integers, float when all are
// numbers, datetime when all are datetimes, else categorical.
func joinState(x, y Kind) Kind {
	switch {
	case x == 0:
		return y
	case y == 0, x == y:
		return x
	case (x == Integer && y == Float) || (x == Float && y == Integer):
		return Float
	}
	return Categorical
}

// appendChunk appends the rows of c, a builder of the same column that
// read a later part of the input, to b. Afterwards b holds what it would
// hold had it read c's cells itself: the same kind, values, dictionary
// (categories in order of first appearance) and kept texts. hint, when
// larger than the rows needed, is the capacity to allocate when b's
// storage grows (an estimate of the column's final length).
func (b *builder) appendChunk(c *builder, hint int) {
	if c.n == 0 {
		return
	}
	if b.fixed {
		if b.field.Kind == Datetime && b.autoTime && c.layout != "" && (b.layout == "" || c.layout == time.RFC3339Nano) {
			b.layout = c.layout
		}
	} else {
		target := joinState(b.state, c.state)
		if target == Datetime && b.state == Datetime && c.state == Datetime && b.layout != c.layout {
			if b.layout != time.RFC3339Nano {
				b.widenDates()
			}
			if c.layout != time.RFC3339Nano {
				c.widenDates()
			}
		}
		b.convert(target, c.layout, hint)
		c.convertLater(target)
	}
	off := b.n
	for _, r := range c.nullRows {
		b.nullRows = append(b.nullRows, r+off)
	}
	if len(c.exc.rows) > 0 {
		base := uint32(len(b.exc.data))
		b.exc.data = append(b.exc.data, c.exc.data...)
		for k, r := range c.exc.rows {
			b.exc.rows = append(b.exc.rows, r+int32(off))
			b.exc.ends = append(b.exc.ends, c.exc.ends[k]+base)
		}
	}
	need := b.n + c.n
	switch b.state {
	case Categorical:
		b.codes = growCap(b.codes, need, hint)
		if c.state == 0 {
			for range c.n {
				b.codes = append(b.codes, Missing)
			}
			break
		}
		remap := make([]int32, len(c.dict))
		same := true // c's codes are b's
		for k, s := range c.dict {
			remap[k] = b.internOwned(s)
			same = same && remap[k] == int32(k)
		}
		if same {
			b.codes = append(b.codes, c.codes...)
			break
		}
		dst := b.codes[len(b.codes) : len(b.codes)+len(c.codes)]
		for i, k := range c.codes {
			if k != Missing {
				k = remap[k]
			}
			dst[i] = k
		}
		b.codes = b.codes[:len(b.codes)+len(c.codes)]
	case Integer, Datetime:
		b.ints = growCap(b.ints, need, hint)
		if c.state == 0 {
			b.ints = append(b.ints, make([]int64, c.n)...)
			break
		}
		b.ints = append(b.ints, c.ints...)
	case Float:
		b.floats = growCap(b.floats, need, hint)
		if c.state == 0 {
			for range c.n {
				b.floats = append(b.floats, math.NaN())
			}
			break
		}
		b.floats = append(b.floats, c.floats...)
	case Text:
		b.strs = growCap(b.strs, need, hint)
		b.strs = append(b.strs, c.strs...)
	}
	b.n = need
}

// internOwned is intern for a string the builder may keep as is.
func (b *builder) internOwned(s string) int32 {
	if c, ok := b.index[s]; ok {
		return c
	}
	c := int32(len(b.dict))
	b.dict = append(b.dict, s)
	b.index[s] = c
	return c
}

// convert brings an inferred builder to kind target, as the serial
// reader converts what it has stored when a later cell demotes the
// column; layout is the datetime layout a column that was all missing
// takes.
func (b *builder) convert(target Kind, layout string, hint int) {
	if b.state == target {
		return
	}
	switch {
	case b.state == 0:
		b.state = target
		switch target {
		case Categorical:
			b.index = make(map[string]int32)
			b.codes = make([]int32, b.n, max(hint, b.n+1024))
			for i := range b.codes {
				b.codes[i] = Missing
			}
		case Integer, Datetime:
			b.ints = make([]int64, b.n, max(hint, b.n+1024))
			b.layout = layout
		case Float:
			b.floats = make([]float64, b.n, max(hint, b.n+1024))
			for i := range b.floats {
				b.floats[i] = math.NaN()
			}
		}
	case target == Float:
		b.intToFloat()
	default:
		b.toCategorical()
	}
}

// convertLater brings a builder that read a later part of the input to
// kind target. An integer part of a float column is converted as the
// serial reader would have parsed its cells after the first float: a
// negative zero ("-0", "-00") is -0.0 there, not 0.
func (b *builder) convertLater(target Kind) {
	if b.state == target || b.state == 0 {
		return
	}
	if target != Float {
		b.toCategorical()
		return
	}
	b.intToFloat()
	for k, r := range b.exc.rows {
		if t := b.exc.at(k); b.floats[r] == 0 && len(t) > 0 && t[0] == '-' {
			b.floats[r] = math.Copysign(0, -1)
		}
	}
}

// growCap returns s with capacity for need elements: when it must grow,
// to hint if that is enough, else by a quarter more than need.
func growCap[T any](s []T, need, hint int) []T {
	if cap(s) >= need {
		return s
	}
	c := hint
	if c < need {
		c = need + need/4
	}
	out := make([]T, len(s), c)
	copy(out, s)
	return out
}
