package settings

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Error is a bad setting: Where says where it came from ("config c.yaml:3",
// "--set iterations=x", "environment variable SYNTHOR_BINS"), Key names it
// with its path ("methods[1].params.k"; empty when Where names it). A
// command line reports it as bad usage.
type Error struct {
	Where string
	Key   string
	Err   error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Where)
	if e.Key != "" {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(keyText(e.Key))
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// IsError reports whether err is (or wraps) a settings *Error.
func IsError(err error) bool {
	var e *Error
	return errors.As(err, &e)
}

// NodeError is an error in the value of one YAML node under Key (relative
// to the section decoded). Overlay.Explain turns it into an *Error that
// says where the node came from.
type NodeError struct {
	Node *yaml.Node
	Key  string
	Err  error
}

func (e *NodeError) Error() string {
	if e.Key == "" {
		return fmt.Sprintf("line %d: %v", e.Node.Line, e.Err)
	}
	return fmt.Sprintf("line %d: %s: %v", e.Node.Line, e.Key, e.Err)
}

func (e *NodeError) Unwrap() error { return e.Err }

// typeError is the error an UnmarshalYAML method returns for a bad value:
// yaml.v3 collects it with its own errors, with the node's line.
func typeError(n *yaml.Node, err error) error {
	return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d, column %d: %v", n.Line, n.Column, err)}}
}

// maxQuote is the longest quoted form of a bad value an error shows.
const maxQuote = 48

// Quote quotes s for an error message, cut to at most 48 bytes of quoted
// text with "..." after a cut, so that a huge or binary value never makes a
// huge message.
func Quote(s string) string {
	if q := strconv.Quote(s); len(q) <= maxQuote {
		return q
	}
	p := s[:min(len(s), maxQuote)]
	for len(p) > 0 {
		_, size := utf8.DecodeLastRuneInString(p)
		p = p[:len(p)-size]
		if q := strconv.Quote(p); len(q) <= maxQuote-3 {
			return q + "..."
		}
	}
	return `""...`
}

// keyText is a key path as an error shows it: as written when short and
// printable, else quoted and cut (a key is the user's text too).
func keyText(k string) string {
	if len(k) <= 100 && strconv.Quote(k) == `"`+k+`"` {
		return k
	}
	return Quote(k)
}
