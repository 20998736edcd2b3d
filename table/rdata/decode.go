package rdata

import (
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// SEXP types of R's serialization format (R Internals, §1.1 and
// src/main/serialize.c).
const (
	nilSXP     = 0
	symSXP     = 1
	listSXP    = 2
	closSXP    = 3
	envSXP     = 4
	promSXP    = 5
	langSXP    = 6
	specialSXP = 7
	builtinSXP = 8
	charSXP    = 9
	lglSXP     = 10
	intSXP     = 13
	realSXP    = 14
	cplxSXP    = 15
	strSXP     = 16
	dotSXP     = 17
	vecSXP     = 19
	exprSXP    = 20
	bcodeSXP   = 21
	extptrSXP  = 22
	weakrefSXP = 23
	rawSXP     = 24
	s4SXP      = 25

	// Pseudo-types used only in serialized streams.
	altrepSXP       = 238
	attrListSXP     = 239
	attrLangSXP     = 240
	baseEnvSXP      = 241
	emptyEnvSXP     = 242
	bcRepRefSXP     = 243
	bcRepDefSXP     = 244
	genericRefSXP   = 245
	classRefSXP     = 246
	persistSXP      = 247
	packageSXP      = 248
	namespaceSXP    = 249
	baseNamespcSXP  = 250
	missingArgSXP   = 251
	unboundValueSXP = 252
	globalEnvSXP    = 253
	nilValueSXP     = 254
	refSXP          = 255
)

// Flag bits of an item header (serialize.c: IS_OBJECT_BIT_MASK and friends).
const (
	flagObject = 1 << 8
	flagAttr   = 1 << 9
	flagTag    = 1 << 10
)

// CHARSXP encoding bits, in the "levels" field (flags >> 12).
const (
	levLatin1 = 1 << 2
	levUTF8   = 1 << 3
	levASCII  = 1 << 6
)

// naInt is R's NA_integer_ (and NA for logicals): INT_MIN.
const naInt = math.MinInt32

// maxDepth bounds the nesting of items, so a crafted file cannot exhaust
// the stack.
const maxDepth = 512

// value is a decoded R object. Only the fields of its type are set:
// ints (logical, integer), reals, strs with strNA (character), items
// (list, expression, and flattened pairlists with their tags), name
// (symbol, or the text of a CHARSXP).
type value struct {
	typ   int
	attr  []tagged // attributes in order
	ints  []int32
	reals []float64
	strs  []string
	strNA []bool
	items []*value
	tags  []string // tags of a flattened pairlist, "" where absent
	name  string
	na    bool // a CHARSXP that is NA_STRING
}

// tagged is one attribute: its name and value.
type tagged struct {
	name string
	val  *value
}

// attrOf returns the named attribute, or nil.
func (v *value) attrOf(name string) *value {
	if v == nil {
		return nil
	}
	for _, a := range v.attr {
		if a.name == name {
			return a.val
		}
	}
	return nil
}

// hasClass reports whether the class attribute lists c.
func (v *value) hasClass(c string) bool {
	cl := v.attrOf("class")
	if cl == nil || cl.typ != strSXP {
		return false
	}
	for i, s := range cl.strs {
		if s == c && !cl.strNA[i] {
			return true
		}
	}
	return false
}

// decoder reads XDR items from an in-memory serialization. Every length
// is checked against the bytes left before anything is allocated.
type decoder struct {
	b     []byte
	p     int
	refs  []*value
	depth int
}

// syntaxError is a malformed stream at a byte offset of the decompressed
// serialization.
type syntaxError struct {
	off int
	msg string
}

func (e *syntaxError) Error() string { return fmt.Sprintf("byte %d: %s", e.off, e.msg) }

func (d *decoder) fail(format string, a ...any) error {
	return &syntaxError{off: d.p, msg: fmt.Sprintf(format, a...)}
}

func (d *decoder) int32() (int32, error) {
	if len(d.b)-d.p < 4 {
		return 0, d.fail("unexpected end of data")
	}
	v := int32(binary.BigEndian.Uint32(d.b[d.p:]))
	d.p += 4
	return v, nil
}

// length reads a vector length (a negative marker -1 introduces a 64-bit
// length in two words) and checks that size bytes per element remain.
func (d *decoder) length(size int) (int, error) {
	n32, err := d.int32()
	if err != nil {
		return 0, err
	}
	n := int64(n32)
	if n32 == -1 {
		hi, err := d.int32()
		if err != nil {
			return 0, err
		}
		lo, err := d.int32()
		if err != nil {
			return 0, err
		}
		n = int64(uint32(hi))<<32 | int64(uint32(lo))
	}
	if n < 0 {
		return 0, d.fail("negative length %d", n)
	}
	if n > int64(len(d.b)-d.p)/int64(size) {
		return 0, d.fail("length %d is more than the %d bytes left hold", n, len(d.b)-d.p)
	}
	return int(n), nil
}

// header reads the stream header after the "X\n" format mark: version (2
// or 3), writer and minimal reader versions, and for version 3 the native
// encoding.
func (d *decoder) header() error {
	if len(d.b) < 2 || d.b[1] != '\n' {
		return d.fail("not an R serialization (no format line)")
	}
	switch d.b[0] {
	case 'X':
	case 'A':
		return d.fail("ASCII serialization is not supported (only XDR)")
	case 'B':
		return d.fail("native binary serialization is not supported (only XDR)")
	default:
		return d.fail("not an R serialization (format %q)", d.b[0])
	}
	d.p = 2
	ver, err := d.int32()
	if err != nil {
		return err
	}
	if ver != 2 && ver != 3 {
		return d.fail("serialization version %d is not supported (2 or 3)", ver)
	}
	d.p += 8 // writer version, minimal reader version
	if d.p > len(d.b) {
		return d.fail("unexpected end of data")
	}
	if ver == 3 {
		n, err := d.length(1)
		if err != nil {
			return err
		}
		d.p += n // native encoding name, e.g. "UTF-8"
	}
	return nil
}

// item reads one object.
func (d *decoder) item() (*value, error) {
	flags, err := d.int32()
	if err != nil {
		return nil, err
	}
	return d.itemFlags(flags)
}

func (d *decoder) itemFlags(flags int32) (*value, error) {
	d.depth++
	defer func() { d.depth-- }()
	if d.depth > maxDepth {
		return nil, d.fail("objects nested deeper than %d", maxDepth)
	}
	typ := int(flags & 0xff)
	switch typ {
	case nilValueSXP:
		return nil, nil
	case emptyEnvSXP, baseEnvSXP, globalEnvSXP, unboundValueSXP, missingArgSXP, baseNamespcSXP:
		return &value{typ: typ}, nil
	case refSXP:
		i := int(flags >> 8)
		if i == 0 {
			r, err := d.int32()
			if err != nil {
				return nil, err
			}
			i = int(r)
		}
		if i < 1 || i > len(d.refs) {
			return nil, d.fail("reference %d to an object not yet read", i)
		}
		return d.refs[i-1], nil
	case persistSXP, namespaceSXP, packageSXP:
		v := &value{typ: typ}
		d.refs = append(d.refs, v)
		if _, err := d.int32(); err != nil { // always 0
			return nil, err
		}
		s, err := d.strings()
		if err != nil {
			return nil, err
		}
		v.strs, v.strNA = s.strs, s.strNA
		return v, nil
	case symSXP:
		v := &value{typ: typ}
		d.refs = append(d.refs, v)
		c, err := d.item()
		if err != nil {
			return nil, err
		}
		if c == nil || c.typ != charSXP {
			return nil, d.fail("symbol without a name")
		}
		v.name = c.name
		return v, nil
	case envSXP:
		return d.env()
	case listSXP, langSXP, closSXP, promSXP, dotSXP, attrListSXP, attrLangSXP:
		return d.pairlist(flags)
	case altrepSXP:
		return d.altrep()
	case bcodeSXP, bcRepDefSXP, bcRepRefSXP, genericRefSXP, classRefSXP:
		return nil, d.fail("byte code (type %d) is not supported", typ)
	}
	v := &value{typ: typ}
	switch typ {
	case nilSXP:
	case charSXP:
		if err := d.charsxp(v, flags); err != nil {
			return nil, err
		}
		return v, nil // a CHARSXP carries no attributes
	case lglSXP, intSXP:
		n, err := d.length(4)
		if err != nil {
			return nil, err
		}
		v.ints = make([]int32, n)
		for i := range v.ints {
			v.ints[i] = int32(binary.BigEndian.Uint32(d.b[d.p:]))
			d.p += 4
		}
	case realSXP:
		n, err := d.length(8)
		if err != nil {
			return nil, err
		}
		v.reals = make([]float64, n)
		for i := range v.reals {
			v.reals[i] = math.Float64frombits(binary.BigEndian.Uint64(d.b[d.p:]))
			d.p += 8
		}
	case cplxSXP:
		n, err := d.length(16)
		if err != nil {
			return nil, err
		}
		d.p += 16 * n
	case rawSXP:
		n, err := d.length(1)
		if err != nil {
			return nil, err
		}
		d.p += n
	case strSXP:
		s, err := d.strings()
		if err != nil {
			return nil, err
		}
		v.strs, v.strNA = s.strs, s.strNA
	case vecSXP, exprSXP:
		n, err := d.length(4)
		if err != nil {
			return nil, err
		}
		v.items = make([]*value, n)
		for i := range v.items {
			if v.items[i], err = d.item(); err != nil {
				return nil, err
			}
		}
	case specialSXP, builtinSXP:
		n, err := d.length(1)
		if err != nil {
			return nil, err
		}
		v.name = string(d.b[d.p : d.p+n])
		d.p += n
	case extptrSXP, weakrefSXP:
		d.refs = append(d.refs, v)
		if typ == extptrSXP {
			for range 2 { // protected value, tag
				if _, err := d.item(); err != nil {
					return nil, err
				}
			}
		}
	case s4SXP:
	default:
		return nil, d.fail("unknown object type %d", typ)
	}
	if flags&flagAttr != 0 {
		a, err := d.attributes()
		if err != nil {
			return nil, err
		}
		v.attr = a
	}
	return v, nil
}

// strings reads the elements of a character vector (each a CHARSXP item).
func (d *decoder) strings() (*value, error) {
	n, err := d.length(8) // each element: flags and length at least
	if err != nil {
		return nil, err
	}
	v := &value{typ: strSXP, strs: make([]string, n), strNA: make([]bool, n)}
	for i := range n {
		flags, err := d.int32()
		if err != nil {
			return nil, err
		}
		if flags&0xff != charSXP {
			return nil, d.fail("element %d of a character vector has type %d", i+1, flags&0xff)
		}
		var c value
		if err := d.charsxp(&c, flags); err != nil {
			return nil, err
		}
		v.strs[i], v.strNA[i] = c.name, c.na
	}
	return v, nil
}

// charsxp reads a CHARSXP body into v.name (NA_STRING sets v.na); Latin-1
// text is converted to UTF-8, and invalid UTF-8 is replaced.
func (d *decoder) charsxp(v *value, flags int32) error {
	n32, err := d.int32()
	if err != nil {
		return err
	}
	if n32 == -1 {
		v.na = true
		return nil
	}
	d.p -= 4
	n, err := d.length(1)
	if err != nil {
		return err
	}
	raw := d.b[d.p : d.p+n]
	d.p += n
	levels := int(flags >> 12)
	switch {
	case levels&levLatin1 != 0:
		var sb strings.Builder
		for _, c := range raw {
			sb.WriteRune(rune(c))
		}
		v.name = sb.String()
	case utf8.Valid(raw):
		v.name = string(raw)
	default:
		v.name = strings.ToValidUTF8(string(raw), "\uFFFD")
	}
	return nil
}

// attributes reads an attribute pairlist into name/value pairs.
func (d *decoder) attributes() ([]tagged, error) {
	a, err := d.item()
	if err != nil {
		return nil, err
	}
	if a == nil {
		return nil, nil
	}
	if a.typ != listSXP {
		return nil, d.fail("attributes are not a pairlist (type %d)", a.typ)
	}
	out := make([]tagged, len(a.items))
	for i := range a.items {
		out[i] = tagged{name: a.tags[i], val: a.items[i]}
	}
	return out, nil
}

// pairlist reads a pairlist (or language object, closure, promise) as a
// flat list of its CARs with their tags, following CDRs iteratively so a
// long list does not deepen the recursion. Attributes of the first node
// are kept.
func (d *decoder) pairlist(flags int32) (*value, error) {
	v := &value{typ: listSXP}
	if t := int(flags & 0xff); t != listSXP && t != attrListSXP {
		v.typ = langSXP // language, closure, promise, dots: kept opaque
	}
	first := true
	for {
		if flags&flagAttr != 0 {
			a, err := d.attributes()
			if err != nil {
				return nil, err
			}
			if first {
				v.attr = a
			}
		}
		tag := ""
		if flags&flagTag != 0 {
			t, err := d.item()
			if err != nil {
				return nil, err
			}
			if t != nil {
				tag = t.name
			}
		}
		car, err := d.item()
		if err != nil {
			return nil, err
		}
		v.items = append(v.items, car)
		v.tags = append(v.tags, tag)
		first = false
		flags, err = d.int32()
		if err != nil {
			return nil, err
		}
		switch t := flags & 0xff; t {
		case listSXP, langSXP, closSXP, promSXP, dotSXP, attrListSXP, attrLangSXP:
			continue
		case nilValueSXP:
			return v, nil
		default:
			if _, err := d.itemFlags(flags); err != nil { // a dotted tail: read and drop
				return nil, err
			}
			return v, nil
		}
	}
}

// env reads an environment: locked flag, enclosure, frame, hash table and
// attributes. It is registered as a reference before its contents, which
// may refer back to it.
func (d *decoder) env() (*value, error) {
	v := &value{typ: envSXP}
	d.refs = append(d.refs, v)
	if _, err := d.int32(); err != nil { // locked
		return nil, err
	}
	for range 3 { // enclosure, frame, hash table
		if _, err := d.item(); err != nil {
			return nil, err
		}
	}
	a, err := d.attributes()
	if err != nil {
		return nil, err
	}
	v.attr = a
	return v, nil
}

// altrep reads an ALTREP object (version 3): class information, state and
// attributes. The compact sequences, wrappers and deferred strings that R
// writes are expanded into ordinary vectors; other classes are errors.
func (d *decoder) altrep() (*value, error) {
	info, err := d.item()
	if err != nil {
		return nil, err
	}
	state, err := d.item()
	if err != nil {
		return nil, err
	}
	attr, err := d.item()
	if err != nil {
		return nil, err
	}
	if info == nil || info.typ != listSXP || len(info.items) == 0 || info.items[0] == nil {
		return nil, d.fail("ALTREP object without class information")
	}
	class := info.items[0].name
	v, err := d.expandAltrep(class, state)
	if err != nil {
		return nil, err
	}
	if attr != nil {
		if attr.typ != listSXP {
			return nil, d.fail("ALTREP attributes are not a pairlist")
		}
		v.attr = make([]tagged, len(attr.items))
		for i := range attr.items {
			v.attr[i] = tagged{name: attr.tags[i], val: attr.items[i]}
		}
	}
	return v, nil
}

func (d *decoder) expandAltrep(class string, state *value) (*value, error) {
	switch class {
	case "compact_intseq", "compact_realseq":
		if state == nil || state.typ != realSXP || len(state.reals) != 3 {
			return nil, d.fail("%s state is not (length, start, step)", class)
		}
		n, start, step := state.reals[0], state.reals[1], state.reals[2]
		// A sequence costs no input bytes, so bound it by the data size
		// times a generous factor rather than by what is left.
		if !(n >= 0 && n <= float64(16*len(d.b)+1024)) || n != math.Trunc(n) {
			return nil, d.fail("%s of length %v", class, n)
		}
		if class == "compact_intseq" {
			if math.Abs(start)+math.Abs(step)*n > math.MaxInt32 {
				return nil, d.fail("compact_intseq leaves the integer range")
			}
			v := &value{typ: intSXP, ints: make([]int32, int(n))}
			for i := range v.ints {
				v.ints[i] = int32(start + float64(i)*step)
			}
			return v, nil
		}
		v := &value{typ: realSXP, reals: make([]float64, int(n))}
		for i := range v.reals {
			v.reals[i] = start + float64(i)*step
		}
		return v, nil
	case "deferred_string":
		if state == nil || state.typ != listSXP || len(state.items) == 0 || state.items[0] == nil {
			return nil, d.fail("deferred_string state has no vector")
		}
		return deferredStrings(state.items[0])
	}
	if strings.HasPrefix(class, "wrap_") {
		if state == nil || state.typ != vecSXP || len(state.items) == 0 || state.items[0] == nil {
			return nil, d.fail("%s state has no vector", class)
		}
		x := *state.items[0]
		return &x, nil
	}
	return nil, d.fail("ALTREP class %q is not supported", class)
}

// deferredStrings converts the integer or double vector behind a deferred
// string (as.character of a number) to a character vector.
func deferredStrings(x *value) (*value, error) {
	v := &value{typ: strSXP}
	switch x.typ {
	case intSXP, lglSXP:
		for _, k := range x.ints {
			v.strs = append(v.strs, fmt.Sprint(k))
			v.strNA = append(v.strNA, k == naInt)
		}
	case realSXP:
		for _, f := range x.reals {
			v.strs = append(v.strs, fmt.Sprintf("%.15g", f))
			v.strNA = append(v.strNA, math.IsNaN(f))
		}
	default:
		return nil, fmt.Errorf("deferred_string over an object of type %d", x.typ)
	}
	return v, nil
}
