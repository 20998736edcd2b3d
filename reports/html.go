package reports

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"image/color"
	"io"
	"strconv"

	"github.com/synthor/synthor/bench"
)

//go:embed report.html.tmpl
var htmlTemplate string

var page = template.Must(template.New("report").Parse(htmlTemplate))

// htmlTable is a table of the page. Class[i][k], where set, is the class
// of cell k of row i: "best" (bold) or "label" (wrapping text).
type htmlTable struct {
	Title string
	// Note, where set, is shown above the table (a published table's
	// source and protocol).
	Note   string
	Header []string
	Rows   [][]string
	Class  [][]string
}

// wrapColumns gives the cells of columns cols the class "label" where they
// have none.
func (t *htmlTable) wrapColumns(cols ...int) {
	for i, row := range t.Rows {
		if len(t.Class) <= i {
			t.Class = append(t.Class, make([]string, len(row)))
		}
		for _, k := range cols {
			if k < len(row) && t.Class[i][k] == "" {
				t.Class[i][k] = "label"
			}
		}
	}
}

// htmlFirst is the first screen: the scorecards and the trade-off.
type htmlFirst struct {
	Note     string
	Legend   []legendItem
	Cards    []htmlCard
	TradeOff *Plot
	CD       []Plot
}

// htmlCard is one dataset's scorecard.
type htmlCard struct {
	Name, RankNote string
	Heads          []htmlHead
	Rows           []htmlCardRow
}

type htmlHead struct{ Label, Arrow string }

type htmlCardRow struct {
	Rank, Tie, Method, Produced, Color string
	Flags                              []string
	Values                             []htmlValue
}

// htmlValue is a value in two lines: the mean, then its uncertainty and
// reference.
type htmlValue struct {
	Main, Sub string
	Best      bool
}

// htmlGroup is the scores of one metric group, in blocks of methods.
type htmlGroup struct {
	Name   string
	N      int
	Blocks []htmlTable
	Notes  []string
}

type htmlDataset struct {
	Name    string
	Methods htmlTable
	Data    dataSection
	Groups  []htmlGroup
	Fail    *htmlTable
	Splits  *htmlTable
	Paper   []htmlTable
	Plots   []Plot
	LLM     *htmlTable
}

type htmlPage struct {
	Cells, OK, Failed int
	Notes             []string
	First             htmlFirst
	Datasets          []htmlDataset
	Ranking           htmlTable
}

// htmlMethodsPerBlock is the most methods a score table of the page shows
// side by side, so that every column fits 1,400 pixels.
const htmlMethodsPerBlock = 5

// WriteHTML writes one self-contained HTML page for run: no script, no
// network (a Content-Security-Policy forbids fetching anything), CSS and
// SVG plots inline. The first screen holds the scorecard of each dataset
// (FirstScreenOf) and the trade-off picture; then a section per dataset:
// its methods, each column's real against synthetic distribution per
// method, the pair-association heat maps, every score collapsed by group,
// the published numbers beside ours, the LLM accounting and the run's
// other plots.
func WriteHTML(w io.Writer, run *Run, m *Model) error {
	pg := htmlPage{Cells: len(run.Results), Notes: run.Notes}
	for _, r := range run.Results {
		if r.Status == bench.StatusOK {
			pg.OK++
		}
	}
	pg.Failed = pg.Cells - pg.OK
	colorOf := pageColors(m)
	pg.First = firstScreenHTML(FirstScreenOf(m), colorOf)
	pg.Ranking = htmlTable{Header: []string{"rank", "method", "mean rank", "wins", "datasets"}, Rows: rankRows(m.Ranking, true)}
	for _, d := range m.Datasets {
		hd := htmlDataset{Name: d.Name}
		hd.Methods = htmlTable{Header: methodHeader, Rows: methodRows(d)}
		hd.Data = dataPlots(run, d, colorOf)
		hd.Groups = scoreGroups(d)
		if f := failureRows(d); len(f) > 0 {
			hd.Fail = &htmlTable{Header: []string{"method", "seed", "status", "reason"}, Rows: f}
			hd.Fail.wrapColumns(3)
		}
		hd.Splits = splitTable(d)
		for _, sec := range PaperSections(d) {
			p := sec.Published
			header, rows := sec.Table(d)
			t := htmlTable{Title: "as published, with ours below", Header: header, Rows: rows, Note: p.Source + ". Protocol: " + p.Protocol}
			t.wrapColumns(0)
			hd.Paper = append(hd.Paper, t)
			for _, b := range sec.Beside {
				hd.Paper = append(hd.Paper, paperTable(b))
			}
		}
		hd.Plots = append(hd.Data.Joints, tracePlots(run, d)...)
		for _, p := range []*Plot{columnBars(d, colorOf), splitBars(d, colorOf)} {
			if p != nil {
				hd.Plots = append(hd.Plots, *p)
			}
		}
		hd.LLM = llmTable(d)
		pg.Datasets = append(pg.Datasets, hd)
	}
	var buf bytes.Buffer
	if err := page.Execute(&buf, pg); err != nil {
		return fmt.Errorf("html: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// pageColors gives each method label of m a colour, in order of first
// appearance, the same in every plot of the page.
func pageColors(m *Model) func(string) color.Color {
	index := map[string]int{}
	for _, d := range m.Datasets {
		for _, me := range d.Methods {
			if _, ok := index[me.Label]; !ok {
				index[me.Label] = len(index)
			}
		}
	}
	return func(label string) color.Color {
		k, ok := index[label]
		if !ok {
			return color.Black
		}
		return methodColor(k)
	}
}

// firstScreenHTML lays fs out: a scorecard a dataset, the trade-off
// picture, and a critical-difference diagram where the ranking has one.
func firstScreenHTML(fs FirstScreen, colorOf func(string) color.Color) htmlFirst {
	out := htmlFirst{Note: fs.Note, TradeOff: tradeOffPlot(fs, colorOf)}
	seen := map[string]bool{}
	for _, d := range fs.Datasets {
		for _, r := range d.Rows {
			if !seen[r.Method] {
				seen[r.Method] = true
				out.Legend = append(out.Legend, legendItem{Label: r.Method, Color: cssColor(colorOf(r.Method))})
			}
		}
	}
	for _, d := range fs.Datasets {
		c := htmlCard{Name: d.Name, RankNote: d.RankNote}
		for _, s := range d.Scores {
			c.Heads = append(c.Heads, htmlHead{Label: s.Label, Arrow: Arrow(s.Better)})
		}
		for _, r := range d.Rows {
			row := htmlCardRow{Method: r.Method, Tie: r.Tie, Flags: r.Flags, Color: cssColor(colorOf(r.Method))}
			if r.Produced != r.Method {
				row.Produced = r.Produced
			}
			if r.Rank > 0 {
				row.Rank = fixed(r.Rank, 2)
			}
			for _, v := range r.Values {
				row.Values = append(row.Values, screenValue(v))
			}
			c.Rows = append(c.Rows, row)
		}
		out.Cards = append(out.Cards, c)
		if p := cdPlot(d); p != nil {
			out.CD = append(out.CD, *p)
		}
	}
	return out
}

// screenValue is a scorecard value: the mean with Sig significant digits,
// then "[lo, hi]" or "± sd", and "ref r" where known.
func screenValue(v ScreenValue) htmlValue {
	if v.N == 0 {
		if v.Reason != "" {
			return htmlValue{Main: "—", Sub: v.Reason}
		}
		return htmlValue{Main: "—"}
	}
	out := htmlValue{Main: FormatValue(v.Mean), Best: v.Best}
	switch {
	case v.CI:
		out.Sub = "[" + FormatValue(v.Lo) + ", " + FormatValue(v.Hi) + "]"
	case v.N > 1:
		out.Sub = "± " + sdText(v.Stat)
	}
	if v.HasRef {
		out.Sub += " ref " + FormatValue(v.Ref)
	}
	return out
}

// scoreGroups is d's every score, one group a collapsible section: rows
// are metrics, columns the methods in blocks of htmlMethodsPerBlock;
// reasons are numbered notes below the group's tables.
func scoreGroups(d *Dataset) []htmlGroup {
	var order []string
	byGroup := map[string][]int{}
	for j, mt := range d.Metrics {
		if _, ok := byGroup[mt.Group]; !ok {
			order = append(order, mt.Group)
		}
		byGroup[mt.Group] = append(byGroup[mt.Group], j)
	}
	s := style{markdown: true} // whole cells, no wrapping
	var out []htmlGroup
	for _, g := range order {
		nt := &notes{}
		grid := byMetric(d, s, nt, byGroup[g], false)
		hg := htmlGroup{Name: g, N: len(byGroup[g])}
		for lo := grid.key; lo < len(grid.header); lo += htmlMethodsPerBlock {
			hi := min(lo+htmlMethodsPerBlock, len(grid.header))
			t := htmlTable{Header: append(append([]string(nil), grid.header[:grid.key]...), grid.header[lo:hi]...)}
			for r, row := range grid.rows {
				cells := append(append([]string(nil), row[:grid.key]...), row[lo:hi]...)
				class := make([]string, len(cells))
				for k := lo; k < hi; k++ {
					i := k - grid.key
					if c := d.Cells[i][byGroup[g][r]]; c.Best && len(d.Methods) > 1 {
						class[grid.key+k-lo] = "best"
						cells[grid.key+k-lo] = formatCell(c, c.N != d.Methods[i].OK, nt)
					}
				}
				t.Rows = append(t.Rows, cells)
				t.Class = append(t.Class, class)
			}
			t.wrapColumns(1)
			hg.Blocks = append(hg.Blocks, t)
		}
		hg.Notes = nt.lines(0)
		out = append(out, hg)
	}
	return out
}

func splitTable(d *Dataset) *htmlTable {
	sp := TargetSplits(d)
	if len(sp) == 0 {
		return nil
	}
	t := &htmlTable{Header: []string{"metric", "kind"}}
	for _, me := range d.Methods {
		t.Header = append(t.Header, me.Label)
	}
	for _, x := range sp {
		tr := []string{x.Metric, "targeted (" + strconv.Itoa(x.NTargeted) + ")"}
		ur := []string{x.Metric, "untargeted (" + strconv.Itoa(x.NUntargeted) + ")"}
		for i := range d.Methods {
			tr, ur = append(tr, FormatValue(x.Targeted[i])), append(ur, FormatValue(x.Untargeted[i]))
		}
		t.Rows = append(t.Rows, tr, ur)
	}
	return t
}

func paperTable(b Beside) htmlTable {
	header, rows := paperRows(b)
	header[2] = "ours: " + b.Ours.Label
	return htmlTable{Title: "published " + b.Row.Method + " beside ours: " + OursLabel(b.Ours), Header: header, Rows: rows}
}

func llmTable(d *Dataset) *htmlTable {
	t := &htmlTable{Header: []string{"method", "backend", "model", "calls", "retries", "cache hits", "errors", "parse failures",
		"prompt tokens", "completion tokens", "cost (USD)", "max p50 latency (ms)"}}
	for _, me := range d.Methods {
		a := me.LLM
		if a == nil {
			continue
		}
		t.Rows = append(t.Rows, []string{me.Label, dash(me.Backend), dash(me.Model), strconv.Itoa(a.Calls), strconv.Itoa(a.Retries),
			strconv.Itoa(a.CacheHits), strconv.Itoa(a.Errors), strconv.Itoa(a.ParseFailures), strconv.Itoa(a.PromptTokens),
			strconv.Itoa(a.CompletionTokens), strconv.FormatFloat(a.CostUSD, 'f', 4, 64), strconv.FormatFloat(a.LatencyP50MS, 'f', 0, 64)})
	}
	if len(t.Rows) == 0 {
		return nil
	}
	return t
}
