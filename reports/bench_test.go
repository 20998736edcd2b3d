package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/synthor/synthor/bench"
	"github.com/synthor/synthor/metrics"
	"github.com/synthor/synthor/synthor"
)

// bigRun writes a run of 5 datasets × 20 methods × 10 seeds = 1,000 cells of
// 200 scores each, the first method of each dataset an LLMSynthor with a
// 200-iteration trace per seed, and returns its directory.
func bigRun(b *testing.B) string {
	b.Helper()
	dir := b.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for d := range 5 {
		for m := range 20 {
			for s := range 10 {
				id := fmt.Sprintf("d%dm%ds%d", d, m, s)
				r := bench.Result{ID: id, Dataset: fmt.Sprintf("dataset-%d", d), Seed: uint64(s), Status: bench.StatusOK,
					Method: bench.MethodRef{Name: fmt.Sprintf("method-%d", m), Label: fmt.Sprintf("method-%d", m)}}
				for k := range 200 {
					cols := []string{fmt.Sprintf("c%d", k%20)}
					if k >= 20 {
						cols = append(cols, fmt.Sprintf("c%d", (k/20+k)%20))
					}
					tg := k%3 == 0
					r.Metrics = append(r.Metrics, metrics.Score{Name: []string{"tvd", "jsd", "srmse", "ks"}[k%4] + fmt.Sprint(k/80),
						Group: "fidelity", Columns: cols, Value: rng.Float64() * float64(m+1), Better: metrics.Lower, Targeted: &tg})
				}
				if m == 0 {
					r.Method.Name, r.Method.Planner = "llmsynthor", "stat"
					f := filepath.Join("cells", id, "trace.jsonl")
					r.Files = []string{f}
					writeTrace(b, filepath.Join(dir, f), rng)
				}
				if err := enc.Encode(r); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	if err := os.WriteFile(filepath.Join(dir, bench.ResultsFile), buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

func writeTrace(b *testing.B, path string, rng *rand.Rand) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for it := 1; it <= 200; it++ {
		l := synthor.TraceLine{Iteration: it, Discrepancy: map[string]float64{}}
		for k := range 12 {
			key := fmt.Sprintf("c%d", k)
			if k >= 8 {
				key += ",c0"
			}
			l.Discrepancy[key] = rng.Float64() / float64(it)
		}
		if err := enc.Encode(l); err != nil {
			b.Fatal(err)
		}
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkReport is synthor report on 1,000 cells × 200 scores: load,
// build, and render every format; html_MB is the page's size.
func BenchmarkReport(b *testing.B) {
	dir := bigRun(b)
	for _, f := range Formats {
		b.Run(f, func(b *testing.B) {
			var size int
			cpu0 := cpuSeconds()
			for b.Loop() {
				run, err := Open(dir)
				if err != nil {
					b.Fatal(err)
				}
				var buf bytes.Buffer
				if err := Write(&buf, f, run, Build(run.Results)); err != nil {
					b.Fatal(err)
				}
				size = buf.Len()
				_, _ = io.Discard.Write(buf.Bytes())
			}
			// CPU seconds (user + system) per op: on a loaded shared
			// machine the wall time mostly measures the other processes.
			b.ReportMetric((cpuSeconds()-cpu0)/float64(b.N), "cpu-s/op")
			b.ReportMetric(float64(size)/(1<<20), "MB")
		})
	}
}

// cpuSeconds is the process's user and system CPU time so far.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime) + tv(ru.Stime)
}

// BenchmarkLoad is reading those 1,000 cells (bench.ReadRuns, through
// Open); with -cpu 1,2 it shows what the parallel decode gains.
func BenchmarkLoad(b *testing.B) {
	dir := bigRun(b)
	cpu0 := cpuSeconds()
	for b.Loop() {
		if _, err := Open(dir); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuSeconds()-cpu0)/float64(b.N), "cpu-s/op")
}
