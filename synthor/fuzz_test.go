package synthor

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/synthor/synthor/table"
)

// FuzzSynthesize fits and samples LLMSynthor (defaults and profile=paper,
// a few iterations) on any table the CSV or JSON-lines reader accepts: an error is fine,
// a panic, a hang or an output of the wrong shape is not.
func FuzzSynthesize(f *testing.F) {
	for _, s := range []string{
		"a,b\n1,x\n2,y\n3,x\n",
		"a,b,c\n,,1\n,,1\n,,1\n",
		"x\n1.5\n2.25\n\n1.5\n",
		"id,t\nA1,hello world\nA2,hello\nA3,\n",
		"y,v\n2001,0\n2002,0\n2003,0\n2001,5\n",
		"n\n-1e300\n1e300\n0\n",
		`{"a":1,"b":null}` + "\n" + `{"a":2,"b":null}` + "\n",
		`{"x":0.5,"c":"u"}` + "\n" + `{"x":null,"c":null}` + "\n" + `{"x":0.5,"c":"v"}` + "\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		tb, err := table.ReadCSV(bytes.NewReader(b), table.ReadOptions{})
		if err != nil {
			tb, err = table.ReadJSONL(bytes.NewReader(b), table.ReadOptions{})
		}
		if err != nil || tb.NumRows() == 0 || tb.NumRows() > 200 || tb.NumCols() > 8 {
			return
		}
		for _, cfg := range []Config{{Iterations: 3}, {Iterations: 3, Profile: ProfilePaper}} {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			s, err := New(cfg, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Fit(ctx, tb); err != nil {
				cancel()
				continue
			}
			out, _, err := s.SampleResult(ctx, 20, 1)
			cancel()
			if err != nil {
				continue
			}
			if out.NumRows() != 20 || out.NumCols() != tb.NumCols() {
				t.Fatalf("output %d × %d, want 20 × %d", out.NumRows(), out.NumCols(), tb.NumCols())
			}
		}
	})
}

// FuzzSamplePrior hands LLMSynthor, fitted to a fixed table, any table the
// CSV reader accepts as its sample prior (columns missing, of other kinds,
// unknown categories, all missing): an error is fine, a panic or an
// output of the wrong size is not.
func FuzzSamplePrior(f *testing.F) {
	for _, s := range []string{
		"quantity,unit_price,total,discount,segment,region\n2,3.5,7,none,budget,north\n5,9,45,bulk,premium,west\n",
		"quantity,unit_price,total,discount,segment,region\n2,3.5,7,none,budget,east\n",
		"quantity,unit_price\n1,2\n",
		"quantity,unit_price,total,discount,segment,region\n,,,,,\n",
		"quantity,unit_price,total,discount,segment,region\nx,3.5,7,none,budget,north\n",
	} {
		f.Add([]byte(s))
	}
	ref := orders(200, 1)
	f.Fuzz(func(t *testing.T, b []byte) {
		sample, err := table.ReadCSV(bytes.NewReader(b), table.ReadOptions{})
		if err != nil {
			return
		}
		cfg := DefaultConfig
		cfg.Iterations, cfg.Prior = 3, PriorSample
		s, err := New(cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		s.Prior = NewSamplePrior(sample)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.Fit(ctx, ref); err != nil {
			return
		}
		out, err := s.Sample(ctx, 50, 1)
		if err == nil && out.NumRows() != 50 {
			t.Fatalf("%d rows, want 50", out.NumRows())
		}
	})
}
