package main

import (
	"strconv"
	"unicode/utf8"

	"github.com/synthor/synthor/bench"
)

// maxMessage is the most bytes of an error line synthor prints: errors
// quote short prefixes of bad values, and this bounds any that does not
// (a 50 MB field never makes a 50 MB line).
const maxMessage = 2048

// message is err as the one line synthor prints: its lines joined, cut at
// maxMessage bytes (whole UTF-8 characters) with what was cut said.
func message(err error) string {
	s := bench.OneLine(err.Error())
	if len(s) <= maxMessage {
		return s
	}
	n := maxMessage
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "… (" + strconv.Itoa(len(s)-n) + " more bytes)"
}
