package arff

import (
	"errors"
	"strings"
)

// cell is one value of a data line or nominal list: its text (unquoted)
// and whether it was quoted (a quoted '?' is not missing).
type cell struct {
	s      string
	quoted bool
}

// split splits s at the commas outside quotes. A piece that starts with a
// quote is unquoted (and must end with its closing quote); other pieces are
// kept as written, trimmed of spaces.
func split(s string) ([]cell, error) {
	var out []cell
	start := 0
	var quote byte
	for i := 0; i <= len(s); i++ {
		if i < len(s) {
			c := s[i]
			switch {
			case quote != 0 && c == '\\':
				i++
				continue
			case quote != 0 && c == quote:
				quote = 0
				continue
			case quote != 0:
				continue
			case c == '\'' || c == '"':
				quote = c
				continue
			case c != ',':
				continue
			}
		}
		if quote != 0 {
			return nil, errors.New("unterminated quote")
		}
		piece := strings.TrimSpace(s[start:i])
		if piece != "" && (piece[0] == '\'' || piece[0] == '"') {
			v, rest, err := token(piece)
			if err != nil {
				return nil, err
			}
			if strings.TrimSpace(rest) != "" {
				return nil, errors.New("text after a closing quote: " + strings.TrimSpace(rest))
			}
			out = append(out, cell{s: v, quoted: true})
		} else {
			out = append(out, cell{s: piece})
		}
		start = i + 1
	}
	return out, nil
}

// token reads one word of s after leading spaces: a quoted string (with
// backslash escapes \n, \t, \r, and \x for any other x) or text up to the
// next space. It returns the word and the rest of s.
func token(s string) (string, string, error) {
	s = strings.TrimLeft(s, " \t")
	if s == "" {
		return "", "", nil
	}
	q := s[0]
	if q != '\'' && q != '"' {
		i := strings.IndexAny(s, " \t")
		if i < 0 {
			return s, "", nil
		}
		return s[:i], s[i:], nil
	}
	var sb strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == q:
			return sb.String(), s[i+1:], nil
		case c == '\\' && i+1 < len(s):
			i++
			switch s[i] {
			case 'n':
				sb.WriteByte('\n')
			case 't':
				sb.WriteByte('\t')
			case 'r':
				sb.WriteByte('\r')
			default:
				sb.WriteByte(s[i])
			}
		default:
			sb.WriteByte(c)
		}
	}
	return "", "", errors.New("unterminated quote")
}
