package bench

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"text/tabwriter"

	"github.com/montanaflynn/stats"
)

// DefaultWorkers is the number of cells run at once when none is given:
// the number of cores.
func DefaultWorkers() int { return runtime.NumCPU() }

// WriteFileAtomic writes b to path through a temporary file and a rename.
func WriteFileAtomic(path string, b []byte) error { return writeBytes(path, b) }

// WriteTable writes the plain comparison of a run: per dataset, method
// (label) and whole-table metric (no columns, or more than a pair), the mean ± sample sd over the seeds
// whose cell succeeded, then the cells that did not.
func WriteTable(w io.Writer, rs []Result) error {
	type key struct{ dataset, method, metric string }
	var order []key
	vals := map[key][]float64{}
	better := map[key]string{}
	var notOK []Result
	for _, r := range rs {
		if r.Status != StatusOK {
			notOK = append(notOK, r)
			continue
		}
		for _, s := range r.Metrics {
			if len(s.Columns) == 1 || len(s.Columns) == 2 {
				continue // per-column and per-pair scores: see results.jsonl
			}
			k := key{r.Dataset, r.Method.Label, s.Name}
			if _, seen := vals[k]; !seen {
				order = append(order, k)
				vals[k] = nil
			}
			better[k] = string(s.Better)
			if s.OK() {
				vals[k] = append(vals[k], s.Value)
			}
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "dataset\tmethod\tmetric\tbetter\tmean ± sd\tn")
	for _, k := range order {
		v := vals[k]
		cell := "n/a"
		if len(v) > 0 {
			mean, _ := stats.Mean(v)
			sd := 0.0
			if len(v) > 1 {
				sd, _ = stats.StandardDeviationSample(v)
			}
			cell = fmt.Sprintf("%.4f ± %.4f", mean, sd)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\n", k.dataset, k.method, k.metric, better[k], cell, len(v))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(notOK) > 0 {
		if _, err := fmt.Fprintf(w, "\n%d cells did not succeed:\n", len(notOK)); err != nil {
			return err
		}
		for _, r := range notOK {
			if _, err := fmt.Fprintf(w, "  %s %s seed %d: %s: %s\n", r.Dataset, r.Method.Label, r.Seed, r.Status, oneLineShort(r.Reason)); err != nil {
				return err
			}
		}
	}
	return nil
}

func oneLineShort(s string) string {
	s = OneLine(s)
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return strings.TrimSpace(s)
}
