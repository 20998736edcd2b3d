package reports

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// style is what differs between the terminal and Markdown walks.
type style struct {
	markdown bool
	// width is the most columns a terminal line takes; 0 keeps every
	// table whole (Markdown, and the wide terminal layout).
	width int
}

// best marks a best cell: bold in Markdown, a trailing * in the terminal.
func (s style) best(v string) string {
	if s.markdown {
		return "**" + v + "**"
	}
	return v + " *"
}

func (s style) title(w *errWriter, level int, t string) {
	if s.markdown {
		w.printf("%s %s\n\n", strings.Repeat("#", level+1), t)
		return
	}
	w.printf("%s\n", wrapText(t, s.width))
}

// para writes a paragraph of prose, wrapped in the terminal.
func (s style) para(w *errWriter, t string) {
	if s.markdown {
		w.printf("%s\n\n", t)
		return
	}
	w.printf("%s\n", wrapText(t, s.width))
}

// errWriter keeps the first write error; later writes are skipped.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, a ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, a...)
	}
}

// RenderGrid draws one table, in Markdown or with box lines, headers shown
// as given. It renders to memory first: a failure writes nothing.
func RenderGrid(w io.Writer, markdown bool, header []string, rows [][]string) error {
	var buf bytes.Buffer
	opts := []tablewriter.Option{tablewriter.WithHeaderAutoFormat(tw.Off)}
	if markdown {
		opts = append(opts, tablewriter.WithRenderer(renderer.NewMarkdown()))
	}
	t := tablewriter.NewTable(&buf, opts...)
	t.Header(header)
	if err := t.Bulk(rows); err != nil {
		return err
	}
	if err := t.Render(); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// WriteTable writes the model for a terminal of DefaultWidth columns: per
// dataset its methods, its scores (one row per metric and one column per
// method, by metric group, the methods split into blocks that fit; a
// dataset of a few metrics one row per method instead), the notes its
// cells refer to, its failed cells, the published numbers beside ours,
// then the overall ranking.
func WriteTable(w io.Writer, m *Model) error { return WriteTableWidth(w, m, DefaultWidth) }

// WriteTableWidth is WriteTable for a terminal of width columns; width 0
// writes every table whole (one score table a dataset, every metric group
// in it), however wide.
func WriteTableWidth(w io.Writer, m *Model, width int) error {
	return writeText(w, m, style{width: max(width, 0)})
}

// WriteMarkdown writes the model as Markdown, the same tables as WriteTable,
// whole.
func WriteMarkdown(w io.Writer, m *Model) error { return writeText(w, m, style{markdown: true}) }

func writeText(w io.Writer, m *Model, s style) error {
	ew := &errWriter{w: w}
	for k, d := range m.Datasets {
		if k > 0 {
			ew.printf("\n")
		}
		s.title(ew, 1, "Dataset "+d.Name)
		full := d
		if m.full != nil {
			full = m.full.Dataset(d.Name)
		}
		textDataset(ew, d, full, s)
	}
	if len(m.Datasets) > 1 {
		ew.printf("\n")
		s.title(ew, 1, "Overall ranking (mean rank across datasets; wins = metrics where best)")
		grid(ew, s, []string{"rank", "method", "mean rank", "wins", "datasets"}, rankRows(m.Ranking, true))
	}
	return ew.err
}

// grid draws header and rows whole.
func grid(ew *errWriter, s style, header []string, rows [][]string) {
	s.grid(ew, textGrid{header: header, rows: rows})
}

// grid draws g, fitted to the style's width: blocks one after another.
func (s style) grid(ew *errWriter, g textGrid) {
	width := s.width
	if s.markdown {
		width = 0
	}
	for k, b := range g.fit(width) {
		if k > 0 && !s.markdown {
			ew.printf("\n")
		}
		if ew.err == nil {
			ew.err = RenderGrid(ew.w, s.markdown, b.header, b.rows)
		}
		if s.markdown {
			ew.printf("\n")
		}
	}
}

// gap separates two tables in the terminal (Markdown tables end with a
// blank line already).
func (s style) gap(ew *errWriter) {
	if !s.markdown {
		ew.printf("\n")
	}
}

// notesList writes the numbered notes of nt.
func (s style) notesList(ew *errWriter, nt *notes) {
	if len(nt.list) == 0 {
		return
	}
	s.gap(ew)
	s.title(ew, 2, "Notes")
	for _, l := range nt.lines(s.width) {
		if s.markdown {
			l = strings.ReplaceAll(l, "[", "\\[") + "  "
		}
		ew.printf("%s\n", l)
	}
	if s.markdown {
		ew.printf("\n")
	}
}

// textDataset writes d's tables, and the published ones beside full's
// scores (d's, unless d is cut down).
func textDataset(ew *errWriter, d, full *Dataset, s style) {
	s.grid(ew, textGrid{header: methodHeader, rows: methodRows(d), key: 2})
	s.gap(ew)
	nt := &notes{}
	s.title(ew, 2, scoresTitle(d, s))
	for _, g := range scoreGrids(d, s, nt) {
		if g.title != "" {
			s.gap(ew)
			s.title(ew, 3, g.title)
		}
		s.grid(ew, g.textGrid)
	}
	s.notesList(ew, nt)
	if f := failureRows(d); len(f) > 0 {
		s.gap(ew)
		s.title(ew, 2, "Cells that did not end ok")
		s.grid(ew, textGrid{header: []string{"method", "seed", "status", "reason"}, rows: f, key: 1, wrap: map[int]bool{3: true}})
	}
	textSplits(ew, d, s)
	textPaper(ew, full, s)
}

// scoresTitle says what the score cells show.
func scoresTitle(d *Dataset, s style) string {
	n := ""
	if k, same := sameOK(d); same && k > 1 {
		n = fmt.Sprintf(", n = %d seeds for every method", k)
	} else if !same {
		n = " (n in the header, in a cell where it differs)"
	}
	t := "Scores: mean ± sd over the seeds that ended ok" + n + "; " + strconv.Itoa(Sig) +
		" significant digits; ↓ lower is better, ↑ higher; best of each metric marked; [k]: a note below"
	if s.width > 0 && !s.markdown {
		var none []string
		for _, me := range d.Methods {
			if me.OK == 0 {
				none = append(none, me.Label)
			}
		}
		if len(none) > 0 {
			t += ". Not shown, no cell ended ok: " + strings.Join(none, ", ")
		}
	}
	return t
}

// sameOK returns the number of ok cells of d's methods that have any, and
// whether they all have the same.
func sameOK(d *Dataset) (int, bool) {
	k := -1
	for _, me := range d.Methods {
		if me.OK == 0 {
			continue
		}
		if k >= 0 && me.OK != k {
			return 0, false
		}
		k = me.OK
	}
	return k, true
}

// textSplits is the targeted / untargeted table.
func textSplits(ew *errWriter, d *Dataset, s style) {
	sp := TargetSplits(d)
	if len(sp) == 0 {
		return
	}
	s.gap(ew)
	s.title(ew, 2, "Targeted and untargeted joints apart (mean over the statistics of each kind)")
	header := []string{"metric", "kind"}
	for _, me := range d.Methods {
		header = append(header, me.Label)
	}
	var rows [][]string
	for _, x := range sp {
		t := []string{x.Metric, "targeted (" + strconv.Itoa(x.NTargeted) + ")"}
		u := []string{x.Metric, "untargeted (" + strconv.Itoa(x.NUntargeted) + ")"}
		for i := range d.Methods {
			t, u = append(t, FormatValue(x.Targeted[i])), append(u, FormatValue(x.Untargeted[i]))
		}
		rows = append(rows, t, u)
	}
	s.grid(ew, textGrid{header: header, rows: rows, key: 2})
}

// textPaper sets the published numbers beside ours: per published table
// its source and protocol, the table as published with ours below, then
// each published row beside our method that runs it, with the difference.
func textPaper(ew *errWriter, d *Dataset, s style) {
	for k, sec := range PaperSections(d) {
		if k == 0 {
			s.gap(ew)
			s.title(ew, 2, "Published numbers beside ours")
		}
		p := sec.Published
		s.gap(ew)
		s.para(ew, p.Source+". Protocol: "+p.Protocol)
		header, rows := sec.Table(d)
		s.grid(ew, textGrid{header: header, rows: rows, key: 1, wrap: map[int]bool{0: true}})
		for _, b := range sec.Beside {
			header, rows := paperRows(b)
			s.gap(ew)
			s.grid(ew, textGrid{header: header, rows: rows, key: 1, wrap: map[int]bool{0: true}})
		}
	}
}

// paperRows is the table of one published row beside ours.
func paperRows(b Beside) ([]string, [][]string) {
	header := []string{"metric", "published: " + b.Row.Method, "ours: " + OursLabel(b.Ours), "ours − published", "targeted"}
	var rows [][]string
	for m, pm := range b.Published.Metrics {
		diff := "—"
		if v, ok := b.Diff(m); ok {
			diff = signedSig(v)
		}
		rows = append(rows, []string{pm.Label, publishedText(b.Row.Values[m]), formatCell(b.Cells[m], false, nil), diff, yesNo(b.Targeted[m])})
	}
	return header, rows
}

// signedSig is FormatValue with a + on a positive value.
func signedSig(v float64) string {
	t := FormatValue(v)
	if v > 0 {
		return "+" + t
	}
	return t
}

var methodHeader = []string{"rank", "method", "planner", "backend", "ok/cells", "mean rank", "wins", "seconds"}

func methodRows(d *Dataset) [][]string {
	rank := map[string]int{}
	for i, r := range d.Ranking {
		rank[r.Label] = i
	}
	var rows [][]string
	for _, r := range rankRows(d.Ranking, false) {
		me := d.method(r[1])
		rows = append(rows, []string{r[0], me.Label, dash(me.Planner), dash(me.Backend),
			fmt.Sprintf("%d/%d", me.OK, me.Seeds), r[2], r[3], statSig(me.TotalS)})
	}
	for _, me := range d.Methods {
		if _, ok := rank[me.Label]; !ok {
			rows = append(rows, []string{"—", me.Label, dash(me.Planner), dash(me.Backend),
				fmt.Sprintf("%d/%d", me.OK, me.Seeds), "—", "0", statSig(me.TotalS)})
		}
	}
	return rows
}

func (d *Dataset) method(label string) *Method {
	for _, me := range d.Methods {
		if me.Label == label {
			return me
		}
	}
	return &Method{Label: label}
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// statText renders s with dec decimals, "—" when empty.
func statText(s Stat, dec int) string {
	if s.N == 0 {
		return "—"
	}
	return FormatCell(Cell{Stat: s}, dec)
}

// statSig renders s with Sig significant digits, "—" when empty.
func statSig(s Stat) string {
	if s.N == 0 {
		return "—"
	}
	return FormatStat(s)
}

func rankRows(rs []Rank, datasets bool) [][]string {
	var rows [][]string
	for i, r := range rs {
		row := []string{strconv.Itoa(i + 1), r.Label, fixed(r.MeanRank, 2), strconv.Itoa(r.Wins)}
		if datasets {
			row = append(row, strconv.Itoa(r.Datasets))
		}
		rows = append(rows, row)
	}
	return rows
}

// fewMetrics is the most metrics a dataset may have for its score table to
// show one row per method (a summary) rather than one per metric.
const fewMetrics = 12

// titledGrid is a score table with the title it is shown under ("" for
// none).
type titledGrid struct {
	title string
	textGrid
}

// scoreGrids lays d's scores out: one row per method and one column per
// metric for a few metrics; else one row per metric and a column per
// method, in one table in Markdown and the wide layout, one table a metric
// group in the terminal. Reasons go to nt.
func scoreGrids(d *Dataset, s style, nt *notes) []titledGrid {
	if len(d.Metrics) <= fewMetrics {
		return []titledGrid{{textGrid: byMethod(d, s, nt)}}
	}
	all := make([]int, len(d.Metrics))
	for j := range all {
		all[j] = j
	}
	if s.markdown || s.width == 0 {
		return []titledGrid{{textGrid: byMetric(d, s, nt, all, true)}}
	}
	var order []string
	groups := map[string][]int{}
	for j, mt := range d.Metrics {
		if _, ok := groups[mt.Group]; !ok {
			order = append(order, mt.Group)
		}
		groups[mt.Group] = append(groups[mt.Group], j)
	}
	out := make([]titledGrid, 0, len(order))
	for _, g := range order {
		out = append(out, titledGrid{title: "Group " + g, textGrid: byMetric(d, s, nt, groups[g], false)})
	}
	return out
}

// shownMethods are the methods of d's score tables: in the terminal those
// with an ok cell (the others' cells are their failures, listed apart),
// else all.
func shownMethods(d *Dataset, s style) []int {
	var out []int
	for i, me := range d.Methods {
		if me.OK > 0 || s.markdown || s.width == 0 {
			out = append(out, i)
		}
	}
	return out
}

// methodHead is a method's column header: its label, with n when the
// methods' ok cells differ.
func methodHead(d *Dataset, me *Method) string {
	if _, same := sameOK(d); !same && me.OK > 1 {
		return me.Label + " (n=" + strconv.Itoa(me.OK) + ")"
	}
	return me.Label
}

// scoreText is cell c of method me on metric mt: formatCell with n where it
// differs from the method's, the best marked.
func scoreText(d *Dataset, s style, nt *notes, i, j int) string {
	c := d.Cells[i][j]
	v := formatCell(c, c.N != d.Methods[i].OK, nt)
	if c.Best && len(d.Methods) > 1 {
		v = s.best(v)
	}
	return v
}

// byMetric is one row per metric of idx, then a column per method. In
// Markdown and the wide layout the metric is told by the columns group
// (when withGroup), metric, columns, targeted (when any score knows it)
// and better; in the terminal by one column that wraps: "jsd ↓ a, b
// (targeted)".
func byMetric(d *Dataset, s style, nt *notes, idx []int, withGroup bool) textGrid {
	compact := !s.markdown && s.width > 0
	var header []string
	if withGroup {
		header = append(header, "group")
	}
	targeted := false
	for _, mt := range d.Metrics {
		targeted = targeted || mt.Targeted != nil
	}
	switch {
	case compact:
		header = append(header, "score")
	case targeted:
		header = append(header, "metric", "columns", "targeted", "better")
	default:
		header = append(header, "metric", "columns", "better")
	}
	key := len(header)
	shown := shownMethods(d, s)
	for _, i := range shown {
		header = append(header, methodHead(d, d.Methods[i]))
	}
	rows := make([][]string, 0, len(idx))
	for _, j := range idx {
		mt := d.Metrics[j]
		var row []string
		if withGroup {
			row = append(row, mt.Group)
		}
		switch {
		case compact:
			row = append(row, metricLabel(mt))
		case targeted:
			row = append(row, mt.Name, mt.Label, yesNo(mt.Targeted), Arrow(mt.Better))
		default:
			row = append(row, mt.Name, mt.Label, Arrow(mt.Better))
		}
		for _, i := range shown {
			row = append(row, scoreText(d, s, nt, i, j))
		}
		rows = append(rows, row)
	}
	wrap := map[int]bool{key - 1: true}
	if !compact {
		wrap = map[int]bool{key - 2 - b2i(targeted): true}
	}
	return textGrid{header: header, rows: rows, key: key, wrap: wrap}
}

// metricLabel names a metric in one cell: its name, direction, columns and
// whether it was targeted.
func metricLabel(mt *Metric) string {
	h := mt.Name + " " + Arrow(mt.Better)
	if mt.Label != "" {
		h += " " + mt.Label
	}
	if mt.Targeted != nil && *mt.Targeted {
		h += " (targeted)"
	}
	return h
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// byMethod is one row per method and one column per metric, headed by its
// name, direction and columns.
func byMethod(d *Dataset, s style, nt *notes) textGrid {
	header := []string{"method"}
	for _, mt := range d.Metrics {
		header = append(header, metricLabel(mt))
	}
	rows := make([][]string, 0, len(d.Methods))
	for _, i := range shownMethods(d, s) {
		row := []string{methodHead(d, d.Methods[i])}
		for j := range d.Metrics {
			row = append(row, scoreText(d, s, nt, i, j))
		}
		rows = append(rows, row)
	}
	return textGrid{header: header, rows: rows, key: 1}
}

func yesNo(b *bool) string {
	switch {
	case b == nil:
		return ""
	case *b:
		return "yes"
	}
	return "no"
}

func failureRows(d *Dataset) [][]string {
	var rows [][]string
	for _, me := range d.Methods {
		for _, f := range me.Failures {
			rows = append(rows, []string{me.Label, strconv.FormatUint(f.Seed, 10), string(f.Status), f.Reason})
		}
	}
	return rows
}
