package rules

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind is the kind of a lexical token.
type tokKind int

const (
	tEOF tokKind = iota
	tIdent
	tNumber
	tString
	tOp   // == != < <= > >= + - * / ( ) ,
	tWord // a keyword: and or not in when then where true false
)

// token is one lexical token; pos is its byte offset in the expression.
type token struct {
	kind tokKind
	text string  // identifier, keyword or operator; the decoded string literal
	num  float64 // value of a number
	pos  int
}

// keywords are the reserved words; they cannot name a column unless quoted
// with backticks.
var keywords = map[string]bool{
	"and": true, "or": true, "not": true, "in": true, "when": true,
	"then": true, "where": true, "true": true, "false": true,
}

// posError is an error at a byte offset of an expression.
type posError struct {
	pos int
	msg string
}

func (e *posError) Error() string { return e.msg }

func errAt(pos int, format string, args ...any) *posError {
	return &posError{pos: pos, msg: fmt.Sprintf(format, args...)}
}

// lex splits an expression into tokens, ending with tEOF. Identifiers are
// letters, digits and underscores not starting with a digit, or any text
// between backticks; strings are double-quoted with Go escapes; numbers are
// decimal, with an optional fraction and exponent.
func lex(src string) ([]token, error) {
	var out []token
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '"':
			j := i + 1
			for j < len(src) && src[j] != '"' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(src) {
				return nil, errAt(i, "unterminated string")
			}
			s, err := strconv.Unquote(src[i : j+1])
			if err != nil {
				return nil, errAt(i, "bad string %s", src[i:j+1])
			}
			out = append(out, token{kind: tString, text: s, pos: i})
			i = j + 1
		case c == '`':
			j := strings.IndexByte(src[i+1:], '`')
			if j < 0 {
				return nil, errAt(i, "unterminated quoted column name")
			}
			if j == 0 {
				return nil, errAt(i, "empty quoted column name")
			}
			out = append(out, token{kind: tIdent, text: src[i+1 : i+1+j], pos: i})
			i += j + 2
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			j := i
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || src[j] == '.' || src[j] == '_') {
				j++
			}
			if j < len(src) && (src[j] == 'e' || src[j] == 'E') {
				k := j + 1
				if k < len(src) && (src[k] == '+' || src[k] == '-') {
					k++
				}
				if k < len(src) && src[k] >= '0' && src[k] <= '9' {
					j = k
					for j < len(src) && src[j] >= '0' && src[j] <= '9' {
						j++
					}
				}
			}
			x, err := strconv.ParseFloat(strings.ReplaceAll(src[i:j], "_", ""), 64)
			if err != nil {
				return nil, errAt(i, "bad number %q", src[i:j])
			}
			out = append(out, token{kind: tNumber, text: src[i:j], num: x, pos: i})
			i = j
		case isIdentStart(src, i):
			j := i
			for j < len(src) && isIdentPart(src, j) {
				_, w := utf8.DecodeRuneInString(src[j:])
				j += w
			}
			word := src[i:j]
			k := tIdent
			if keywords[strings.ToLower(word)] {
				k, word = tWord, strings.ToLower(word)
			}
			out = append(out, token{kind: k, text: word, pos: i})
			i = j
		default:
			op := ""
			for _, o := range []string{"==", "!=", "<=", ">=", "&&", "||", "<", ">", "+", "-", "*", "/", "(", ")", ",", "!", "="} {
				if strings.HasPrefix(src[i:], o) {
					op = o
					break
				}
			}
			switch op {
			case "":
				r, _ := utf8.DecodeRuneInString(src[i:])
				return nil, errAt(i, "unexpected character %q", r)
			case "=":
				return nil, errAt(i, "use == to compare")
			case "&&":
				out = append(out, token{kind: tWord, text: "and", pos: i})
			case "||":
				out = append(out, token{kind: tWord, text: "or", pos: i})
			case "!":
				out = append(out, token{kind: tWord, text: "not", pos: i})
			default:
				out = append(out, token{kind: tOp, text: op, pos: i})
			}
			i += len(op)
		}
	}
	return append(out, token{kind: tEOF, pos: len(src)}), nil
}

func isIdentStart(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return r == '_' || unicode.IsLetter(r)
}

func isIdentPart(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}
