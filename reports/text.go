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
	w.printf("%s\n", t)
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

// WriteTable writes the model for a terminal: per dataset its methods,
// its metric grid (one row per metric, one column per method) and its
// failed cells, then the overall ranking.
func WriteTable(w io.Writer, m *Model) error { return writeText(w, m, style{}) }

// WriteMarkdown writes the model as Markdown, the same tables as WriteTable.
func WriteMarkdown(w io.Writer, m *Model) error { return writeText(w, m, style{markdown: true}) }

func writeText(w io.Writer, m *Model, s style) error {
	ew := &errWriter{w: w}
	writeScorecard(ew, m.Scorecard, s)
	for k, d := range m.Datasets {
		if k > 0 || m.Scorecard != nil {
			ew.printf("\n")
		}
		s.title(ew, 1, "Dataset "+d.Name)
		textDataset(ew, d, s)
	}
	if len(m.Datasets) > 1 {
		ew.printf("\n")
		s.title(ew, 1, "Overall ranking (on the scorecard scores; wins = scorecard scores where best)")
		grid(ew, s, []string{"rank", "method", "mean rank", "wins", "datasets"}, rankRows(m.Ranking, true))
	}
	return ew.err
}

func grid(ew *errWriter, s style, header []string, rows [][]string) {
	if ew.err == nil {
		ew.err = RenderGrid(ew.w, s.markdown, header, rows)
	}
	if s.markdown {
		ew.printf("\n")
	}
}

func textDataset(ew *errWriter, d *Dataset, s style) {
	grid(ew, s, methodHeader, methodRows(d))
	if !s.markdown {
		ew.printf("\n")
	}
	s.title(ew, 2, "Scores: mean ± sd over the seeds that ended ok (n in the header, in a cell where it differs); ↓ lower is better, ↑ higher; best per row marked")
	header, rows := metricGrid(d, s)
	grid(ew, s, header, rows)
	if f := failureRows(d); len(f) > 0 {
		if !s.markdown {
			ew.printf("\n")
		}
		s.title(ew, 2, "Cells that did not end ok")
		grid(ew, s, []string{"method", "seed", "status", "reason"}, f)
	}
	if s.markdown {
		textSplits(ew, d, s)
		textPaper(ew, d, s)
	}
}

// textSplits is the targeted / untargeted table.
func textSplits(ew *errWriter, d *Dataset, s style) {
	sp := TargetSplits(d)
	if len(sp) == 0 {
		return
	}
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
	grid(ew, s, header, rows)
}

// textPaper sets the published numbers beside ours.
func textPaper(ew *errWriter, d *Dataset, s style) {
	bs := PaperBeside(d)
	for k, b := range bs {
		if k == 0 {
			s.title(ew, 2, "Published numbers beside ours")
		}
		if k == 0 || b.Published != bs[k-1].Published {
			ew.printf("%s. Protocol: %s\n\n", b.Published.Source, b.Published.Protocol)
		}
		header := []string{"metric", "published: " + b.Row.Method, "ours: " + OursLabel(b.Ours), "ours − published", "targeted"}
		var rows [][]string
		for m, pm := range b.Published.Metrics {
			diff := "—"
			if v, ok := b.Diff(m); ok {
				diff = signed(v, b.Decimals[m])
			}
			rows = append(rows, []string{pm.Label, strconv.FormatFloat(b.Row.Values[m], 'g', -1, 64), FormatCell(b.Cells[m], b.Decimals[m]), diff, yesNo(b.Targeted[m])})
		}
		grid(ew, s, header, rows)
	}
}

func signed(v float64, dec int) string {
	t := fixed(v, dec)
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
			fmt.Sprintf("%d/%d", me.OK, me.Seeds), r[2], r[3], statText(me.TotalS, 2)})
	}
	for _, me := range d.Methods {
		if _, ok := rank[me.Label]; !ok {
			rows = append(rows, []string{"—", me.Label, dash(me.Planner), dash(me.Backend),
				fmt.Sprintf("%d/%d", me.OK, me.Seeds), "—", "0", statText(me.TotalS, 2)})
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

func statText(s Stat, dec int) string {
	if s.N == 0 {
		return "—"
	}
	return FormatCell(Cell{Stat: s}, dec)
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

// metricGrid is one row per metric and one column per method.
func metricGrid(d *Dataset, s style) ([]string, [][]string) {
	header := []string{"group", "metric", "columns", "targeted", "better"}
	targeted := false
	for _, mt := range d.Metrics {
		targeted = targeted || mt.Targeted != nil
	}
	if !targeted {
		header = append(header[:3], "better")
	}
	for _, me := range d.Methods {
		h := me.Label
		if me.OK > 1 {
			h += " (n=" + strconv.Itoa(me.OK) + ")"
		}
		header = append(header, h)
	}
	rows := make([][]string, 0, len(d.Metrics))
	for j, mt := range d.Metrics {
		row := []string{mt.Group, mt.Name, mt.Label}
		if targeted {
			row = append(row, yesNo(mt.Targeted))
		}
		row = append(row, Arrow(mt.Better))
		for i, me := range d.Methods {
			c := d.Cells[i][j]
			v := formatCell(c, mt.Decimals, c.N != me.OK)
			if c.Best && len(d.Methods) > 1 {
				v = s.best(v)
			}
			row = append(row, v)
		}
		rows = append(rows, row)
	}
	return header, rows
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
