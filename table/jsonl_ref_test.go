package table

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
)

// jsonRowTokens is a reference parser of one JSON lines row built on
// encoding/json's Token API, for checking jsonRow against.
func jsonRowTokens(a *assembler, obj string, line int, set *[]int) error {
	dec := json.NewDecoder(strings.NewReader(obj))
	dec.UseNumber()
	bad := func(err error) error {
		var se *json.SyntaxError
		if errors.As(err, &se) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return a.errorf(line, "", "invalid JSON: %s", jsonErr(err))
		}
		return a.errorf(line, "", "%w", err)
	}
	tok, err := dec.Token()
	if err != nil {
		return bad(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return a.errorf(line, "", "not a JSON object")
	}
	row := a.rows + 1
	for dec.More() {
		tok, err = dec.Token()
		if err != nil {
			return bad(err)
		}
		key, ok := tok.(string)
		if !ok {
			return bad(fmt.Errorf("invalid JSON: object key is not a string"))
		}
		j, ok := a.seen[key]
		if !ok {
			if err := a.addColumn(key, line); err != nil {
				return err
			}
			j = len(a.names) - 1
			*set = append(*set, 0)
		}
		if (*set)[j] == row {
			return a.errorf(line, key, "key appears twice in the object")
		}
		(*set)[j] = row
		tok, err = dec.Token()
		if err != nil {
			return bad(err)
		}
		switch v := tok.(type) {
		case nil:
			a.b[j].addNull()
		case string:
			err = a.cell(j, v, true, line)
		case json.Number:
			err = a.cell(j, string(v), false, line)
		case bool:
			err = a.cell(j, strconv.FormatBool(v), true, line)
		case json.Delim:
			return a.errorf(line, key, "nested arrays and objects are not supported")
		}
		if err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return bad(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return a.errorf(line, "", "invalid JSON: data after the object")
	}
	for j, b := range a.b {
		if (*set)[j] != row {
			b.addNull()
		}
	}
	a.rows++
	return nil
}

// FuzzJSONLParser checks the hand-written JSON lines parser against the
// encoding/json reference: both fail, or both give equal tables.
func FuzzJSONLParser(f *testing.F) {
	for _, s := range []string{
		`{"a":1,"b":"x","c":true,"d":null,"e":-1.5e3}`,
		"{\"a\":\"\\u00e9\\n\\\"\",\"b\":\"\xff\"}\n{\"b\":\"\\ud800\"}",
		`{"a":01}`, `{"a":1.}`, `{"a":-}`, `{"a":1e}`, `{"a":tru}`, `{"a" 1}`, `{"a":1,}`, `{,}`, `{}`, `{"a":[1]}`,
		"{\"a\":\"x\ty\"}", `{"a":1}{}`, "  {\"a\" : 1 , \"b\" : 2 }  ",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := ReadJSONL(bytes.NewReader(data), ReadOptions{})
		want, werr := readJSONL(bytes.NewReader(data), ReadOptions{}, jsonRowTokens)
		if (err == nil) != (werr == nil) {
			t.Fatalf("parser error %v, reference error %v", err, werr)
		}
		if err != nil {
			checkOneLine(t, err)
			return
		}
		if d := Diff(want, got); d != "" {
			t.Fatalf("parser and reference differ: %s", d)
		}
	})
}
