package reports

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"math"
	"slices"
	"strconv"

	"github.com/synthor/synthor/metrics"
)

// jsonStream writes a JSON document piece by piece through a buffer, each
// value encoded and indented on its own, so that a list of millions of
// scores never exists whole in memory. Its output is the bytes
// json.Encoder with SetIndent("", "  ") gives for the whole document:
// json.Marshal escapes as the encoder does, and json.Indent of a value
// with the prefix of its depth indents it as the encoder's final pass
// indents it in place. The first error (encoding or writing) sticks and
// later calls do nothing.
type jsonStream struct {
	w    *bufio.Writer
	buf  bytes.Buffer // one value, indented
	fast []byte       // one score, by appendScore
	err  error
}

func newJSONStream(w io.Writer) *jsonStream {
	return &jsonStream{w: bufio.NewWriterSize(w, 64<<10)}
}

// raw writes s as it is: the document's punctuation and indentation.
func (js *jsonStream) raw(s string) {
	if js.err == nil {
		_, js.err = js.w.WriteString(s)
	}
}

// value writes v encoded and indented for a line that starts with prefix.
func (js *jsonStream) value(v any, prefix string) {
	if js.err != nil {
		return
	}
	b, err := json.Marshal(v)
	js.indented(b, err, prefix)
}

// score writes s as value does: by appendScore when it can, else by its
// MarshalJSON, called directly (its output is json.Marshal's, compact and
// escaped, which is what json.Marshal(s) would copy it to).
func (js *jsonStream) score(s *metrics.Score, prefix string) {
	if js.err != nil {
		return
	}
	var ok bool
	if js.fast, ok = appendScore(js.fast[:0], s, prefix); ok {
		_, js.err = js.w.Write(js.fast)
		return
	}
	b, err := s.MarshalJSON()
	js.indented(b, err, prefix)
}

// indented writes the encoded value b indented for a line that starts
// with prefix, unless err (its encoding's error) is set.
func (js *jsonStream) indented(b []byte, err error, prefix string) {
	if err != nil {
		js.err = err
		return
	}
	js.buf.Reset()
	if js.err = json.Indent(&js.buf, b, prefix, "  "); js.err == nil {
		_, js.err = js.w.Write(js.buf.Bytes())
	}
}

// scores writes a list of scores as an array whose opening bracket ends a
// line indented by prefix; an empty list is [] (a nil one too, as the
// score formats have always printed it).
func (js *jsonStream) scores(scores []metrics.Score, prefix string) {
	if len(scores) == 0 {
		js.raw("[]")
		return
	}
	inner := prefix + "  "
	first, next := "[\n"+inner, ",\n"+inner
	for i := range scores {
		if i == 0 {
			js.raw(first)
		} else {
			js.raw(next)
		}
		js.score(&scores[i], inner)
	}
	js.raw("\n" + prefix + "]")
}

// flush writes out what the buffer holds and returns the first error.
func (js *jsonStream) flush() error {
	if js.err == nil {
		js.err = js.w.Flush()
	}
	return js.err
}

// appendScore appends s to b as metrics.Score.MarshalJSON and json.Indent
// (prefix, two spaces) give it, without reflection, and reports true; or
// reports false, for the slow path, when a string holds a byte
// encoding/json escapes or one outside printable ASCII, or a param is
// not nil, a bool, an int, a string or a finite float64.
func appendScore(b []byte, s *metrics.Score, prefix string) ([]byte, bool) {
	in := "\n" + prefix + "  "
	if !plainJSON(s.Name) || !plainJSON(s.Group) || !plainJSON(string(s.Better)) || !plainJSON(s.Reason) ||
		!plainJSON(s.ReferenceKind) || !plainJSON(s.ReferenceReason) {
		return b, false
	}
	b = appendString(append(b, '{'), in, "name", s.Name)
	b = appendString(append(b, ','), in, "group", s.Group)
	b = append(b, `,`+in+`"columns": [`...)
	for i, c := range s.Columns {
		if !plainJSON(c) {
			return b, false
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, in+`  "`...)
		b = append(b, c...)
		b = append(b, '"')
	}
	if len(s.Columns) > 0 {
		b = append(b, in...)
	}
	b = append(b, "],"...)
	b = append(b, in+`"value": `...)
	b = appendNumber(b, s.Value, s.OK())
	b = appendString(append(b, ','), in, "better", string(s.Better))
	if s.Reason != "" {
		b = appendString(append(b, ','), in, "reason", s.Reason)
	}
	if s.Targeted != nil {
		b = append(b, `,`+in+`"targeted": `...)
		b = strconv.AppendBool(b, *s.Targeted)
	}
	if len(s.Params) > 0 {
		var ok bool
		if b, ok = appendParams(append(b, `,`+in+`"params": {`...), s.Params, in+"  "); !ok {
			return b, false
		}
		b = append(b, in+"}"...)
	}
	if s.ReferenceKind != "" || s.ReferenceReason != "" {
		b = append(b, `,`+in+`"reference": `...)
		b = appendNumber(b, s.Reference, s.HasReference())
		b = appendString(append(b, ','), in, "reference_kind", s.ReferenceKind)
		if s.ReferenceReason != "" {
			b = appendString(append(b, ','), in, "reference_reason", s.ReferenceReason)
		}
	}
	return append(b, "\n"+prefix+"}"...), true
}

// appendString appends the member "key": "v" on a line starting with in;
// v is plain (plainJSON).
func appendString(b []byte, in, key, v string) []byte {
	b = append(append(append(b, in...), '"'), key...)
	b = append(append(b, `": "`...), v...)
	return append(b, '"')
}

// appendParams appends the members of params, sorted by key, each on a
// line starting with in, as appendScore does; false for a key or value it
// leaves to encoding/json.
func appendParams(b []byte, params map[string]any, in string) ([]byte, bool) {
	keys := make([]string, 0, len(params))
	for k := range params {
		if !plainJSON(k) {
			return b, false
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, in+`"`...)
		b = append(b, k...)
		b = append(b, `": `...)
		switch v := params[k].(type) {
		case nil:
			b = append(b, "null"...)
		case bool:
			b = strconv.AppendBool(b, v)
		case int:
			b = strconv.AppendInt(b, int64(v), 10)
		case float64:
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return b, false
			}
			b = appendNumber(b, v, true)
		case string:
			if !plainJSON(v) {
				return b, false
			}
			b = append(append(append(b, '"'), v...), '"')
		default:
			return b, false
		}
	}
	return b, true
}

// appendNumber appends x as encoding/json writes a float64 (the shortest
// form that reads back, in exponent form below 1e-6 and from 1e21 on,
// the exponent without a leading zero), or null when ok is false.
func appendNumber(b []byte, x float64, ok bool) []byte {
	if !ok {
		return append(b, "null"...)
	}
	f := byte('f')
	if a := math.Abs(x); a != 0 && (a < 1e-6 || a >= 1e21) {
		f = 'e'
	}
	b = strconv.AppendFloat(b, x, f, -1, 64)
	if n := len(b); f == 'e' && n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
		b[n-2] = b[n-1]
		b = b[:n-1]
	}
	return b
}

// plainJSON reports whether encoding/json writes s as it is between
// quotes: printable ASCII without the quote, the backslash and the
// characters it escapes for HTML (<, >, &).
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c >= 0x7f, c == '"', c == '\\', c == '<', c == '>', c == '&':
			return false
		}
	}
	return true
}
