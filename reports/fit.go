package reports

import (
	"slices"
	"strconv"
	"strings"

	"github.com/mattn/go-runewidth"
)

// Terminal tables cut to a width: long cells wrap onto several lines,
// columns too many for one table are split into blocks that repeat the
// leading (key) columns, and long notes become numbered footnotes.

// DefaultWidth is the most columns a line of the terminal table format
// takes unless the layout is wide.
const DefaultWidth = 100

// minWrap is the narrowest a wrapping column is made, and minHead the
// narrowest a header makes its column by its longest word.
const (
	minWrap = 20
	minHead = 12
)

// textGrid is a table to lay out. The first key columns label a row and
// repeat in every block; wrap marks the columns whose cells may wrap
// (headers always may, down to their column's widest cell).
type textGrid struct {
	header []string
	rows   [][]string
	key    int
	wrap   map[int]bool
}

// displayWidth is the widest line of s in terminal columns.
func displayWidth(s string) int {
	w := 0
	for l := range strings.SplitSeq(s, "\n") {
		w = max(w, runewidth.StringWidth(l))
	}
	return w
}

// boxWidth is the width of a box table with columns of the given widths:
// a border before each column and after the last, one space either side
// of a cell.
func boxWidth(widths []int) int {
	w := 1
	for _, c := range widths {
		w += c + 3
	}
	return w
}

// wrapText breaks s into lines of at most w columns at spaces, or after a
// comma or a hyphen inside a longer word; a word without such a break that
// is longer than w is cut.
func wrapText(s string, w int) string {
	if w <= 0 || displayWidth(s) <= w {
		return s
	}
	var lines []string
	for para := range strings.SplitSeq(s, "\n") {
		line := ""
		for _, word := range splitWords(para, w) {
			switch {
			case line == "":
				line = word
			case runewidth.StringWidth(line)+1+runewidth.StringWidth(word) <= w:
				line += " " + word
			default:
				lines = append(lines, line)
				line = word
			}
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// splitWords splits s at spaces and breaks each word longer than w after
// its commas or hyphens, else every w columns.
func splitWords(s string, w int) []string {
	var out []string
	for _, word := range strings.Fields(s) {
		for runewidth.StringWidth(word) > w {
			cut := breakAt(word, w)
			out = append(out, word[:cut])
			word = word[cut:]
		}
		out = append(out, word)
	}
	return out
}

// breakAt returns the byte offset to cut a word wider than w at: after the
// last comma or hyphen that keeps the head within w, else at w columns.
func breakAt(word string, w int) int {
	last, width := 0, 0
	for i, r := range word {
		width += runewidth.RuneWidth(r)
		if width > w {
			if last > 0 {
				return last
			}
			return i
		}
		if r == ',' || r == '-' || r == '_' || r == '/' {
			last = i + 1
		}
	}
	return len(word)
}

// widths returns the display width of each column.
func (g textGrid) widths() []int {
	out := make([]int, len(g.header))
	for j, h := range g.header {
		out[j] = displayWidth(h)
	}
	for _, r := range g.rows {
		for j, c := range r {
			out[j] = max(out[j], displayWidth(c))
		}
	}
	return out
}

// floor returns the narrowest column j may be made: its widest cell, or for
// a wrapping column minWrap (less when no word needs it); never less than
// its header's longest word up to minHead.
func (g textGrid) floor(j int) int {
	f := 1
	for _, r := range g.rows {
		if g.wrap[j] {
			f = max(f, min(displayWidth(r[j]), minWrap))
			continue
		}
		f = max(f, displayWidth(r[j]))
	}
	for _, word := range strings.Fields(g.header[j]) {
		f = max(f, min(runewidth.StringWidth(word), minHead))
	}
	return f
}

// fit lays g out in at most width columns: it narrows the widest columns
// that may narrow (wrapping their cells) and, when that is not enough,
// splits the columns after the key into blocks, each with the key columns
// first. Width 0 keeps g whole. A block wider than width is left only when
// its key and one column do not fit.
func (g textGrid) fit(width int) []textGrid {
	ws := g.widths()
	if width <= 0 || boxWidth(ws) <= width {
		return []textGrid{g}
	}
	floors := make([]int, len(ws))
	all := make([]int, len(ws))
	for j := range ws {
		floors[j], all[j] = min(g.floor(j), ws[j]), j
	}
	for boxWidth(ws) > width && narrowOnce(ws, floors, all) {
	}
	if boxWidth(ws) <= width || len(ws) <= g.key+1 {
		return []textGrid{g.wrapped(all, ws)}
	}
	// Split: the columns after the key at their narrowest, the key as wide
	// as leaves the fewest blocks.
	ws = g.widths()
	for j := g.key; j < len(ws); j++ {
		ws[j] = floors[j]
	}
	// cost counts the blocks, a block wider than width as many more.
	cost := func(blocks [][]int) int {
		n := len(blocks)
		for _, b := range blocks {
			if boxWidth(pick(ws, b)) > width {
				n += len(ws)
			}
		}
		return n
	}
	best, bestWs := g.pack(ws, width), slices.Clone(ws)
	bestCost := cost(best)
	for narrowOnce(ws, floors, all[:g.key]) {
		if b := g.pack(ws, width); cost(b) < bestCost {
			best, bestWs, bestCost = b, slices.Clone(ws), cost(b)
		}
	}
	out := make([]textGrid, 0, len(best))
	for _, cols := range best {
		out = append(out, g.wrapped(cols, bestWs))
	}
	return out
}

// narrowOnce takes a column off the widest of cols that is wider than its
// floor; false when none is.
func narrowOnce(ws, floors, cols []int) bool {
	k := -1
	for _, j := range cols {
		if ws[j] > floors[j] && (k < 0 || ws[j] > ws[k]) {
			k = j
		}
	}
	if k < 0 {
		return false
	}
	ws[k]--
	return true
}

// pack splits the columns after the key into blocks of columns that fit
// width at widths ws, each block with the key columns first.
func (g textGrid) pack(ws []int, width int) [][]int {
	keys := make([]int, g.key)
	for j := range keys {
		keys[j] = j
	}
	var out [][]int
	cols := slices.Clone(keys)
	for j := g.key; j < len(ws); j++ {
		if len(cols) > len(keys) && boxWidth(pick(ws, append(cols, j))) > width {
			out = append(out, cols)
			cols = slices.Clone(keys)
		}
		cols = append(cols, j)
	}
	return append(out, cols)
}

// pick returns ws at cols.
func pick(ws []int, cols []int) []int {
	out := make([]int, len(cols))
	for i, j := range cols {
		out[i] = ws[j]
	}
	return out
}

// wrapped returns the columns cols of g with every cell wrapped to its
// column's width.
func (g textGrid) wrapped(cols []int, ws []int) textGrid {
	out := textGrid{key: min(g.key, len(cols)), wrap: map[int]bool{}}
	for k, j := range cols {
		out.header = append(out.header, wrapText(g.header[j], ws[j]))
		if g.wrap[j] {
			out.wrap[k] = true
		}
	}
	for _, r := range g.rows {
		row := make([]string, len(cols))
		for k, j := range cols {
			row[k] = r[j]
			if g.wrap[j] {
				row[k] = wrapText(r[j], ws[j])
			}
		}
		out.rows = append(out.rows, row)
	}
	return out
}

// notes numbers the long texts of a table (the reasons of missing scores,
// long params) once each, for a list printed below it.
type notes struct {
	index map[string]int
	list  []string
}

// ref returns the mark of text: "[k]", k counting from 1 in order of first
// use.
func (n *notes) ref(text string) string {
	if n.index == nil {
		n.index = map[string]int{}
	}
	k, ok := n.index[text]
	if !ok {
		n.list = append(n.list, text)
		k = len(n.list)
		n.index[text] = k
	}
	return "[" + strconv.Itoa(k) + "]"
}

// lines returns the numbered notes, each wrapped to width with a hanging
// indent (width 0: one line each).
func (n *notes) lines(width int) []string {
	var out []string
	for i, t := range n.list {
		mark := "[" + strconv.Itoa(i+1) + "] "
		pad := strings.Repeat(" ", len(mark))
		body := t
		if width > 0 {
			body = wrapText(t, max(width-len(mark), 20))
		}
		out = append(out, mark+strings.ReplaceAll(body, "\n", "\n"+pad))
	}
	return out
}
