package baselines

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/synthor/synthor/llm"
	"github.com/synthor/synthor/table"
)

func fuzzTrain() *table.Table {
	return table.MustNew(
		table.NewCategorical("color", []string{"red", "blue"}, []int32{0, 1, table.Missing}),
		table.NewInteger("n", []int64{1, 2, 3}, nil),
		table.NewFloat("x", []float64{0.5, 1.5, 2.5}),
		table.NewDatetime("d", []int64{0, 86400e9, 2 * 86400e9}, nil),
		table.NewText("s", []string{"a", "b", ""}, []bool{false, false, true}),
	)
}

// FuzzICLReply feeds arbitrary LLM replies to llm-icl's parser: it must
// never panic, and whatever it accepts must be a valid row of the schema.
func FuzzICLReply(f *testing.F) {
	f.Add(`{"color": "red", "n": 2, "x": 1.0, "d": "1970-01-02T00:00:00Z", "s": "hi"}`)
	f.Add(`{"color": null, "n": 3, "x": 2.5, "d": null, "s": null}` + "\n```\n")
	f.Add(`{"color": "green", "n": 2.5, "x": "1", "d": 5, "s": 1}`)
	f.Add(`{"color": "red"} {"n": 1}`)
	f.Add("[1, 2, 3]\nnull\n\"str\"\n{")
	f.Add(`{"color": 1, "n": 1e400, "x": -1e-400, "d": "1970-01-01T00:00:00Z", "s": ""}`)
	f.Fuzz(func(t *testing.T, reply string) {
		client := llm.ClientFunc(func(context.Context, llm.Request) (*llm.Response, error) {
			return &llm.Response{Text: reply}, nil
		})
		s, err := NewICL(client, ICLConfig{MaxCalls: 1, Batch: 3})
		if err != nil {
			t.Fatal(err)
		}
		train := fuzzTrain()
		if err := s.Fit(context.Background(), train); err != nil {
			t.Fatal(err)
		}
		out, err := s.Sample(context.Background(), 2, 1)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error spans lines: %q", err)
			}
			return
		}
		for i := 0; i < out.NumRows(); i++ {
			if c := out.Col("color"); !c.IsNull(i) && (c.Codes[i] < 0 || int(c.Codes[i]) >= len(c.Dict)) {
				t.Fatalf("row %d: code %d", i, c.Codes[i])
			}
			if v := out.Col("n").Float(i); !out.Col("n").IsNull(i) && (v < 1 || v > 3) {
				t.Fatalf("row %d: n = %g outside [1, 3]", i, v)
			}
		}
	})
}

// FuzzExternalOutput feeds arbitrary output files to external's reader: it
// must never panic, and an accepted table must have the training schema
// and the requested rows.
func FuzzExternalOutput(f *testing.F) {
	f.Add("color,n,x,d,s\nred,1,0.5,1970-01-01T00:00:00Z,a\nblue,2,1,1970-01-02T00:00:00Z,\n")
	f.Add("n,color,x,d,s\n1,red,0.5,,a\n2,,1,,b\n")
	f.Add("color,n\nred,1\n")
	f.Add("")
	f.Add("color,n,x,d,s\nred,1\n")
	f.Add("\ufeffcolor,n,x,d,s,extra\nred,1,0.5,,a,z\nred,1,0.5,,a,z\n")
	f.Add("color,n,x,d,s\n\"red\nred\",1,0.5,,a\n")
	f.Fuzz(func(t *testing.T, data string) {
		s, err := NewExternal(ExternalConfig{Command: []string{"prog"}})
		if err != nil {
			t.Fatal(err)
		}
		train := fuzzTrain()
		if err := s.Fit(context.Background(), train); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "out.csv")
		if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := s.readOutput(path, 2, "prog")
		if err != nil {
			return
		}
		if out.NumRows() != 2 || strings.Join(out.Names(), ",") != "color,n,x,d,s" {
			t.Fatalf("accepted %d rows, columns %v", out.NumRows(), out.Names())
		}
		if c := out.Col("color"); len(c.Dict) != 2 || c.Dict[0] != "red" {
			t.Fatalf("dictionary %v", c.Dict)
		}
	})
}
