package reports

import "math"

// Split is a method's mean of one metric over targeted and over untargeted
// scores: the statistics LLMSynthor was aligned to and the ones it was not.
type Split struct {
	Metric string
	// Targeted[i] and Untargeted[i] are method i's means (NaN when none),
	// with the number of scores averaged.
	Targeted, Untargeted   []float64
	NTargeted, NUntargeted int
}

// TargetSplits returns, for each metric name scored both on targeted and on
// untargeted multi-column statistics of d, every method's mean over each
// side. Nil when d's scores carry no targeted flag.
func TargetSplits(d *Dataset) []Split {
	type side struct{ t, u []int }
	byName := map[string]*side{}
	var order []string
	for j, mt := range d.Metrics {
		if mt.Targeted == nil || len(mt.Columns) < 2 {
			continue
		}
		s := byName[mt.Name]
		if s == nil {
			s = &side{}
			byName[mt.Name] = s
			order = append(order, mt.Name)
		}
		if *mt.Targeted {
			s.t = append(s.t, j)
		} else {
			s.u = append(s.u, j)
		}
	}
	var out []Split
	for _, name := range order {
		s := byName[name]
		if len(s.t) == 0 || len(s.u) == 0 {
			continue
		}
		sp := Split{Metric: name, NTargeted: len(s.t), NUntargeted: len(s.u)}
		for i := range d.Methods {
			sp.Targeted = append(sp.Targeted, meanOf(d, i, s.t))
			sp.Untargeted = append(sp.Untargeted, meanOf(d, i, s.u))
		}
		out = append(out, sp)
	}
	return out
}

func meanOf(d *Dataset, i int, js []int) float64 {
	var sum float64
	for _, j := range js {
		c := d.Cells[i][j]
		if c.N == 0 {
			return math.NaN()
		}
		sum += c.Mean
	}
	return sum / float64(len(js))
}
