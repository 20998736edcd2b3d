package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"testing"

	"github.com/synthor/synthor/metrics"
)

// streamScores are scores that exercise every field of the JSON form:
// undefined values and references, reasons that need escaping (HTML,
// quotes, control and line-separator characters, invalid UTF-8), no
// columns, params with nested and empty values, and extreme floats.
func streamScores() []metrics.Score {
	yes := true
	return []metrics.Score{
		{Name: "tvd", Group: "fidelity", Columns: []string{"a"}, Value: 0.125, Better: metrics.Lower},
		metrics.Undefined("ks", "fidelity", []string{"a <b>", "c&d"}, metrics.Lower, "constant \"column\"\n\u2028\x01 \xff"),
		{Name: "c2st_auc", Group: "fidelity", Value: 1e-7, Better: metrics.Lower, Targeted: &yes,
			Params:    map[string]any{"folds": 5, "z": []any{}, "m": map[string]any{}, "x": []string{"p", "q"}, "f": 1e21},
			Reference: 0.5, ReferenceKind: metrics.ReferenceFixed},
		{Name: "jsd", Group: "fidelity", Columns: []string{"a", "b"}, Value: math.Inf(1), Better: metrics.Lower,
			Reference: math.NaN(), ReferenceKind: metrics.ReferenceHoldout, ReferenceReason: "holdout of 3 rows"},
		{Name: "dcr", Group: "privacy", Columns: []string{}, Value: -0, Better: metrics.Higher, ReferenceReason: "no holdout"},
	}
}

// wholeJSON is the JSON the score formats gave before they streamed: the
// whole document through json.Encoder with two-space indentation.
func wholeJSON(t *testing.T, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestStreamedJSONIsTheEncodersJSON(t *testing.T) {
	type run struct {
		Synth   string          `json:"synth"`
		Metrics []metrics.Score `json:"metrics"`
	}
	type comparison struct {
		Comparison []run `json:"comparison"`
	}
	all := streamScores()
	for _, c := range []struct {
		name   string
		scores []metrics.Score
	}{{"none", []metrics.Score{}}, {"one", all[:1]}, {"all", all}} {
		t.Run("scores/"+c.name, func(t *testing.T) {
			var got bytes.Buffer
			if err := WriteScores(&got, "json", c.scores); err != nil {
				t.Fatal(err)
			}
			want := wholeJSON(t, struct {
				Metrics []metrics.Score `json:"metrics"`
			}{c.scores})
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("streamed:\n%s\nencoder:\n%s", got.Bytes(), want)
			}
		})
	}
	for _, c := range []struct {
		name  string
		files []string
		runs  [][]metrics.Score
	}{
		{"none", nil, nil},
		{"nil and empty", []string{"a.csv", "<b>.csv"}, [][]metrics.Score{nil, {}}},
		{"two", []string{"a.csv", "b \"x\".csv"}, [][]metrics.Score{all, all[1:3]}},
	} {
		t.Run("comparison/"+c.name, func(t *testing.T) {
			var got bytes.Buffer
			if err := WriteComparison(&got, "json", c.files, c.runs); err != nil {
				t.Fatal(err)
			}
			var want comparison
			for i, f := range c.files {
				want.Comparison = append(want.Comparison, run{f, c.runs[i]})
			}
			if w := wholeJSON(t, want); !bytes.Equal(got.Bytes(), w) {
				t.Errorf("streamed:\n%s\nencoder:\n%s", got.Bytes(), w)
			}
		})
	}
}

// wideScores returns n scores shaped as a wide table's pair scores.
func wideScores(n int) []metrics.Score {
	out := make([]metrics.Score, n)
	for i := range out {
		out[i] = metrics.Score{Name: "jsd", Group: "fidelity", Columns: []string{fmt.Sprintf("c%d", i%1000), fmt.Sprintf("c%d", i/1000)},
			Value: float64(i) / 3e5, Better: metrics.Lower, Params: map[string]any{"bins": 10, "pairs": "all"}}
	}
	return out
}

// BenchmarkWriteScoresWide writes 100,000 pair scores in the formats that
// list every score.
func BenchmarkWriteScoresWide(b *testing.B) {
	scores := wideScores(100_000)
	for _, f := range []string{"json", "csv"} {
		b.Run("format="+f, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := WriteScores(io.Discard, f, scores); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
