package reports

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"

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
	w   *bufio.Writer
	buf bytes.Buffer // one value, indented
	err error
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

// score writes s as value does, calling its MarshalJSON directly: its
// output is json.Marshal's, compact and escaped, which is what
// json.Marshal(s) would copy it to.
func (js *jsonStream) score(s *metrics.Score, prefix string) {
	if js.err != nil {
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
