package reports

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
)

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
