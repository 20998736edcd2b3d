package reports

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strconv"

	"github.com/synthor/synthor/bench"
)

//go:embed report.html.tmpl
var htmlTemplate string

var page = template.Must(template.New("report").Parse(htmlTemplate))

// htmlTable is a table of the page; Best[i][k] marks a cell in bold.
type htmlTable struct {
	Title string
	// Note, where set, is shown above the table (a published table's
	// source and protocol).
	Note   string
	Header []string
	Rows   [][]string
	Best   [][]bool
}

type htmlDataset struct {
	Name    string
	Methods htmlTable
	Grid    htmlTable
	Fail    *htmlTable
	Splits  *htmlTable
	Paper   []htmlTable
	Plots   []Plot
	LLM     *htmlTable
}

type htmlPage struct {
	// Scorecard is the scorecard's fragment (ScorecardHTML), shown first.
	Scorecard         template.HTML
	Cells, OK, Failed int
	Datasets          []htmlDataset
	Ranking           htmlTable
	Overview          []Plot
}

// WriteHTML writes one self-contained HTML page for run: no script, no
// network (a Content-Security-Policy forbids fetching anything), CSS and
// SVG plots inline. An overview (ranking, quality against cost) comes
// first, then a section per dataset with its tables, the published numbers
// beside ours, and its plots.
func WriteHTML(w io.Writer, run *Run, m *Model) error {
	pg := htmlPage{Cells: len(run.Results)}
	var err error
	if pg.Scorecard, err = ScorecardHTML(m.Scorecard); err != nil {
		return err
	}
	for _, r := range run.Results {
		if r.Status == bench.StatusOK {
			pg.OK++
		}
	}
	pg.Failed = pg.Cells - pg.OK
	pg.Ranking = htmlTable{Header: []string{"rank", "method", "mean rank", "wins", "datasets"}, Rows: rankRows(m.Ranking, true)}
	for _, d := range m.Datasets {
		hd := htmlDataset{Name: d.Name}
		hd.Methods = htmlTable{Header: methodHeader, Rows: methodRows(d)}
		hd.Grid = gridTable(d)
		if f := failureRows(d); len(f) > 0 {
			hd.Fail = &htmlTable{Header: []string{"method", "seed", "status", "reason"}, Rows: f}
		}
		hd.Splits = splitTable(d)
		var last *Published
		for _, b := range PaperBeside(d) {
			t := paperTable(b)
			if b.Published != last {
				t.Note, last = b.Published.Source+". Protocol: "+b.Published.Protocol, b.Published
			}
			hd.Paper = append(hd.Paper, t)
		}
		hd.Plots = append(tracePlots(run, d), dataPlots(run, d)...)
		for _, p := range []*Plot{columnBars(d), splitBars(d), costPlot(d)} {
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
	_, err = w.Write(buf.Bytes())
	return err
}

func gridTable(d *Dataset) htmlTable {
	header, rows := metricGrid(d, style{})
	t := htmlTable{Header: header}
	first := len(header) - len(d.Methods)
	for j, row := range rows {
		best := make([]bool, len(row))
		for i := range d.Methods {
			if c := d.Cells[i][j]; c.Best && len(d.Methods) > 1 {
				best[first+i] = true
				row[first+i] = formatCell(c, d.Metrics[j].Decimals, c.N != d.Methods[i].OK)
			}
		}
		t.Rows = append(t.Rows, row)
		t.Best = append(t.Best, best)
	}
	return t
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
	t := htmlTable{Title: "published " + b.Row.Method + " beside ours: " + OursLabel(b.Ours),
		Header: []string{"metric", "published: " + b.Row.Method, "ours: " + b.Ours.Label, "ours − published", "targeted"}}
	for m, pm := range b.Published.Metrics {
		diff := "—"
		if v, ok := b.Diff(m); ok {
			diff = signed(v, b.Decimals[m])
		}
		t.Rows = append(t.Rows, []string{pm.Label, strconv.FormatFloat(b.Row.Values[m], 'g', -1, 64), FormatCell(b.Cells[m], b.Decimals[m]), diff, yesNo(b.Targeted[m])})
	}
	return t
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
