package reports

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"strconv"
)

// scorecardPage is the scorecard's HTML fragment: per dataset its table,
// notes and critical-difference diagram, then the ranking over every
// dataset.
var scorecardPage = template.Must(template.New("scorecard").Parse(`<section class="scorecard">
{{range .Datasets}}<h3 id="scorecard-{{.Name}}">Scorecard {{.Name}}</h3>
<p class="note">{{$.Intro}}</p>
<div class="scroll"><table><thead><tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr></thead><tbody>
{{range .Rows}}<tr{{if .Ref}} class="ref"{{end}}>{{range .Cells}}<td{{if .Best}} class="best"{{end}}{{with .Title}} title="{{.}}"{{end}}>{{.Text}}</td>{{end}}</tr>
{{end}}</tbody></table></div>
{{with .Notes}}<ul class="note">{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{with .CD}}<figure class="plot"><figcaption>Critical-difference diagram: mean rank over the seeds (1 = best); a bar joins methods not significantly different</figcaption>{{.}}</figure>{{end}}
{{end}}{{with .Overall}}<h3 id="scorecard-ranking">Ranking over the datasets</h3>
<table><thead><tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr></thead><tbody>{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>{{end}}</tbody></table>
{{with .Notes}}<ul class="note">{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{with .CD}}<figure class="plot"><figcaption>Critical-difference diagram over every dataset and seed</figcaption>{{.}}</figure>{{end}}
{{end}}</section>
`))

type htmlCell struct {
	Text, Title string
	Best        bool
}

type htmlRow struct {
	Ref   bool
	Cells []htmlCell
}

type htmlScorecardDataset struct {
	Name   string
	Header []string
	Rows   []htmlRow
	Notes  []string
	CD     template.HTML
}

type htmlOverall struct {
	Header []string
	Rows   [][]string
	Notes  []string
	CD     template.HTML
}

type htmlScorecard struct {
	Intro    string
	Datasets []htmlScorecardDataset
	Overall  *htmlOverall
}

// ScorecardHTML renders the scorecard as an HTML fragment for the report
// page: a table per dataset (methods as rows, the reference first; a
// cell's title holds its interval and per-seed values), its notes and
// critical-difference diagram, then the ranking over the datasets. The
// page's stylesheet styles it (td.best, .note, .scroll, figure.plot).
func ScorecardHTML(sc *Scorecard) (template.HTML, error) {
	if sc == nil {
		return "", nil
	}
	pg := htmlScorecard{Intro: fmt.Sprintf("Mean ± half-width of the %s%% confidence interval over the seeds that ended ok (Student's t, n−1 df); ↑ higher is better, ↓ lower; the best in bold; reference: unseen real rows (holdout) or the value by construction (fixed).",
		strconv.FormatFloat(sc.Level*100, 'g', -1, 64))}
	for _, d := range sc.Datasets {
		pg.Datasets = append(pg.Datasets, htmlScorecardOf(d))
	}
	if rk := sc.Ranking; len(sc.Datasets) > 1 && len(rk.Methods) > 0 {
		pg.Overall = &htmlOverall{Header: []string{"rank", "method", "mean rank", "wins", "datasets"}, Rows: overallRows(rk),
			Notes: rankingNotes(rk), CD: cdSVG(rk)}
	}
	var buf bytes.Buffer
	if err := scorecardPage.Execute(&buf, pg); err != nil {
		return "", fmt.Errorf("scorecard html: %w", err)
	}
	return template.HTML(buf.String()), nil
}

func htmlScorecardOf(d *ScorecardDataset) htmlScorecardDataset {
	all := make([]int, len(d.Columns))
	for j := range all {
		all[j] = j
	}
	header, rows := scorecardGrid(d, style{}, all)
	out := htmlScorecardDataset{Name: d.Name, Header: header, Notes: datasetNotes(d), CD: cdSVG(d.Ranking)}
	k := 0
	if referenceRow(d, all) != nil {
		out.Rows = append(out.Rows, htmlRow{Ref: true, Cells: plainCells(rows[0])})
		k = 1
	}
	for _, me := range rankOrder(d) {
		row := htmlRow{Cells: plainCells(rows[k][:2])}
		for j, e := range me.Values {
			row.Cells = append(row.Cells, htmlCell{Text: estimateText(e, d.Columns[j].Decimals), Best: e.Best, Title: estimateTitle(e)})
		}
		out.Rows = append(out.Rows, row)
		k++
	}
	return out
}

func plainCells(xs []string) []htmlCell {
	out := make([]htmlCell, len(xs))
	for i, x := range xs {
		out[i] = htmlCell{Text: x}
	}
	return out
}

// estimateTitle is a cell's tooltip: the interval and the per-seed values.
func estimateTitle(e Estimate) string {
	if e.N == 0 {
		return e.Reason
	}
	t := ""
	if e.CI != nil {
		t = "CI [" + FormatValue(e.CI[0]) + ", " + FormatValue(e.CI[1]) + "]; "
	}
	t += "seeds"
	for i, v := range e.Values {
		t += " " + strconv.FormatUint(e.Seeds[i], 10) + ": " + FormatValue(v)
	}
	if e.Reference != nil {
		t += "; reference " + FormatValue(*e.Reference) + " (" + e.ReferenceKind + ")"
	}
	return t
}

// WriteCDDiagram writes the ranking's critical-difference diagram as SVG
// (Demšar 2006, Fig. 1): an axis of mean ranks from 1 (left, best) to k,
// each method marked at its mean rank with its label, the critical
// difference as a bar of its length, and a thick bar under each group of
// methods not significantly different.
func WriteCDDiagram(w io.Writer, rk *Ranking) error {
	_, err := io.WriteString(w, string(cdSVG(rk)))
	return err
}

// cdSVG draws WriteCDDiagram's picture; empty below two ranked methods.
func cdSVG(rk *Ranking) template.HTML {
	k := len(rk.Methods)
	if k < 2 {
		return ""
	}
	const width, left, right, axisY, rowH = 720.0, 150.0, 150.0, 50.0, 18.0
	span := width - left - right
	x := func(r float64) float64 { return left + (r-1)/float64(k-1)*span }
	height := axisY + 20 + rowH*float64(k) + 10*float64(len(rk.Cliques)) + 10
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %g %g" width="%g" height="%g" font-family="sans-serif" font-size="12">`, width, height, width, height)
	fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#222"/>`, x(1), axisY, x(float64(k)), axisY)
	for r := 1; r <= k; r++ {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%g" x2="%.1f" y2="%g" stroke="#222"/><text x="%.1f" y="%g" text-anchor="middle">%d</text>`,
			x(float64(r)), axisY-5, x(float64(r)), axisY, x(float64(r)), axisY-9, r)
	}
	if rk.CD > 0 && rk.Significant {
		cdEnd := min(x(1+rk.CD), x(float64(k)))
		fmt.Fprintf(&b, `<line x1="%g" y1="14" x2="%.1f" y2="14" stroke="#b22" stroke-width="2"/><text x="%.1f" y="18" fill="#b22">CD = %.2f</text>`,
			x(1), cdEnd, cdEnd+6, rk.CD)
	} else {
		fmt.Fprintf(&b, `<text x="%g" y="18" fill="#b22">no significant difference: every method tied</text>`, x(1))
	}
	y := axisY + 12
	for i, c := range rk.Cliques {
		lo, hi := cliqueSpan(rk, c)
		cy := y + float64(i)*10
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%g" x2="%.1f" y2="%g" stroke="#333" stroke-width="4"/>`, x(lo)-3, cy, x(hi)+3, cy)
	}
	y += 10*float64(len(rk.Cliques)) + 8
	for i, m := range rk.Methods {
		my := y + float64(i)*rowH
		mx := x(m.MeanRank)
		anchor, tx := "end", left-10
		if i >= (k+1)/2 {
			anchor, tx = "start", width-right+10
		}
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%g" r="3" fill="#222"/><line x1="%.1f" y1="%g" x2="%.1f" y2="%g" stroke="#999"/><line x1="%.1f" y1="%g" x2="%.1f" y2="%g" stroke="#999"/>`,
			mx, axisY, mx, axisY, mx, my, mx, my, tx, my)
		fmt.Fprintf(&b, `<text x="%.1f" y="%g" text-anchor="%s" dominant-baseline="middle">%s (%.2f)</text>`,
			tx, my, anchor, template.HTMLEscapeString(m.Label), m.MeanRank)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func cliqueSpan(rk *Ranking, c []string) (lo, hi float64) {
	lo, hi = float64(len(rk.Methods)), 1
	for _, m := range rk.Methods {
		for _, l := range c {
			if m.Label == l {
				lo, hi = min(lo, m.MeanRank), max(hi, m.MeanRank)
			}
		}
	}
	return lo, hi
}
