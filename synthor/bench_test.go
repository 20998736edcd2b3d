package synthor

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/synthor/synthor/datasets"
)

// fixed returns the same plan every iteration at no cost, so that the
// benchmark measures the loop alone (guidance, repair, sampling, counting).
type fixed struct{ plan *Plan }

func (fixed) Name() string { return "fixed" }
func (fixed) Dependencies(context.Context, *State, int) ([][]string, error) {
	return paperJoints, nil
}
func (f fixed) Plan(_ context.Context, st *State) (*Plan, error) {
	p := *f.plan
	p.Proposals = append([]Proposal(nil), f.plan.Proposals...)
	per := st.Batch / len(p.Proposals)
	for i := range p.Proposals {
		p.Proposals[i].Num = per
	}
	p.Proposals[0].Num += st.Batch - per*len(p.Proposals)
	return &p, nil
}

func fixedPlan() *Plan {
	cats := []string{"Electronics", "Apparel", "Food & Beverages", "Furniture & Appliances", "Electronics"}
	var ps []Proposal
	for i, c := range cats {
		ps = append(ps, Proposal{Values: map[string]Value{
			"user_age": Range(20+float64(i)*10, 30+float64(i)*10), "user_gender": Cat("Female"),
			"user_location_tier": Cat("Developing"), "product_category": Cat(c),
			"price": Range(100, 900), "payment_method": Cat("Cash on Delivery"),
		}})
	}
	return &Plan{Proposals: ps}
}

// BenchmarkLoop times Fit+Sample. "overhead" uses a planner that costs
// nothing (the loop alone); "stat" the stat planner. iter_first_ms and
// iter_last_ms are the mean iteration times of the first and last 10
// iterations: they show that an iteration's cost does not grow with the
// records already made.
func BenchmarkLoop(b *testing.B) {
	cases := []struct {
		name       string
		planner    Planner
		rows, iter int
	}{
		{"overhead/2000rows/100iter", fixed{fixedPlan()}, 2000, 100},
		{"stat/2000rows/100iter", Stat{}, 2000, 100},
		{"stat/1000000rows/1000iter", Stat{}, 1_000_000, 1000},
	}
	ref := datasets.EcommerceBN(2000, 1)
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var first, last float64
			for b.Loop() {
				cfg := DefaultConfig
				cfg.Iterations = c.iter
				cfg.Joints = paperJoints
				s, err := New(cfg, c.planner)
				if err != nil {
					b.Fatal(err)
				}
				var trace bytes.Buffer
				s.Trace = &trace
				if err := s.Fit(context.Background(), ref); err != nil {
					b.Fatal(err)
				}
				out, err := s.Sample(context.Background(), c.rows, 1)
				if err != nil {
					b.Fatal(err)
				}
				if out.NumRows() != c.rows {
					b.Fatalf("rows %d", out.NumRows())
				}
				first, last = iterTimes(b, trace.Bytes())
			}
			b.ReportMetric(first, "iter_first_ms")
			b.ReportMetric(last, "iter_last_ms")
		})
	}
}

func iterTimes(b *testing.B, trace []byte) (first, last float64) {
	var ts []float64
	sc := bufio.NewScanner(bytes.NewReader(trace))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var l TraceLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			b.Fatal(err)
		}
		ts = append(ts, l.IterationMS)
	}
	mean := func(xs []float64) float64 {
		s := 0.0
		for _, x := range xs {
			s += x
		}
		return s / float64(len(xs))
	}
	k := min(10, len(ts))
	return mean(ts[:k]), mean(ts[len(ts)-k:])
}

// BenchmarkAdult times Fit+Sample of the Adult training split (32,561
// rows) under both profiles: the defaults and the paper's.
func BenchmarkAdult(b *testing.B) {
	ref := readAdult(b)
	for _, c := range []struct {
		name string
		cfg  Config
	}{{"defaults", DefaultConfig}, {"paper", PaperConfig}} {
		b.Run(c.name, func(b *testing.B) {
			cpu := cpuTime()
			for b.Loop() {
				s, err := New(c.cfg, nil)
				if err != nil {
					b.Fatal(err)
				}
				if err := s.Fit(context.Background(), ref); err != nil {
					b.Fatal(err)
				}
				if _, err := s.Sample(context.Background(), ref.NumRows(), 1); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric((cpuTime()-cpu)/float64(b.N), "cpu_ms/op")
		})
	}
}

// BenchmarkMillion times Fit on the e-commerce network (2,000 rows) and
// Sample of 1,000,000 records with the defaults; peak_rss_mb is the
// process's peak resident memory (VmHWM) after the run.
func BenchmarkMillion(b *testing.B) {
	ref := datasets.EcommerceBN(2000, 1)
	cpu := cpuTime()
	for b.Loop() {
		s, err := New(DefaultConfig, nil)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Fit(context.Background(), ref); err != nil {
			b.Fatal(err)
		}
		out, err := s.Sample(context.Background(), 1_000_000, 1)
		if err != nil {
			b.Fatal(err)
		}
		if out.NumRows() != 1_000_000 {
			b.Fatalf("rows %d", out.NumRows())
		}
	}
	b.ReportMetric((cpuTime()-cpu)/float64(b.N), "cpu_ms/op")
	b.ReportMetric(peakRSSMB(), "peak_rss_mb")
}

// cpuTime returns the process's user and system CPU time in milliseconds:
// on a loaded machine it measures the work where wall time measures the
// queue.
func cpuTime() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	ms := func(t syscall.Timeval) float64 { return float64(t.Sec)*1000 + float64(t.Usec)/1000 }
	return ms(ru.Utime) + ms(ru.Stime)
}

// peakRSSMB returns the process's peak resident set (VmHWM) in MiB, or 0
// where /proc is not there.
func peakRSSMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb float64
			fmt.Sscanf(strings.TrimSpace(rest), "%g", &kb)
			return kb / 1024
		}
	}
	return 0
}

// BenchmarkPriorAdult times, on the Adult training split (32,561 rows),
// the sequential CART baseline's Fit+Sample (as many rows as it was fitted
// on) beside LLMSynthor's Fit+Sample with a model prior (that CART fitted,
// DefaultPool·n records sampled, the loop with the stat planner): the
// issue's bound is 3× cart's time.
func BenchmarkPriorAdult(b *testing.B) {
	ref := readAdult(b)
	ctx := context.Background()
	b.Run("cart", func(b *testing.B) {
		cpu := cpuTime()
		for b.Loop() {
			c := cartModel(b)
			if err := c.Fit(ctx, ref); err != nil {
				b.Fatal(err)
			}
			if _, err := c.Sample(ctx, ref.NumRows(), 1); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric((cpuTime()-cpu)/float64(b.N), "cpu_ms/op")
	})
	b.Run("stat+cart-prior", func(b *testing.B) {
		cpu := cpuTime()
		for b.Loop() {
			s := withPrior(b, DefaultConfig, nil, NewModelPrior(priorModel(b)))
			if err := s.Fit(ctx, ref); err != nil {
				b.Fatal(err)
			}
			if _, err := s.Sample(ctx, ref.NumRows(), 1); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric((cpuTime()-cpu)/float64(b.N), "cpu_ms/op")
	})
}
