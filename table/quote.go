package table

import (
	"strconv"
	"unicode/utf8"
)

// quoteMax is the most bytes of a value an error message quotes: a bad
// cell of 50 MB makes an error of one short line, not of 50 MB.
const quoteMax = 64

// clip returns s, or its first quoteMax bytes (whole UTF-8 characters)
// followed by "…" and s's length when it is longer.
func clip(s string) string {
	if len(s) <= quoteMax {
		return s
	}
	return clipPrefix(s) + "… (" + strconv.Itoa(len(s)) + " bytes)"
}

// quote is strconv.Quote of clip(s): the quoted prefix, then the length
// outside the quotes.
func quote(s string) string {
	if len(s) <= quoteMax {
		return strconv.Quote(s)
	}
	return strconv.Quote(clipPrefix(s)+"…") + " (" + strconv.Itoa(len(s)) + " bytes)"
}

func clipPrefix(s string) string {
	n := quoteMax
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
