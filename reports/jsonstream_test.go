package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/synthor/synthor/metrics"
)

// streamScores are scores that exercise every field of the JSON form:
// undefined values and references, reasons that need escaping (HTML,
// quotes, control and line-separator characters, invalid UTF-8), no
// columns, params with nested and empty values, and extreme floats.
func streamScores() []metrics.Score {
	yes, no := true, false
	return []metrics.Score{
		{Name: "tvd", Group: "fidelity", Columns: []string{"a"}, Value: 0.125, Better: metrics.Lower},
		metrics.Undefined("ks", "fidelity", []string{"a <b>", "c&d"}, metrics.Lower, "constant \"column\"\n\u2028\x01 \xff"),
		{Name: "c2st_auc", Group: "fidelity", Value: 1e-7, Better: metrics.Lower, Targeted: &yes,
			Params:    map[string]any{"folds": 5, "z": []any{}, "m": map[string]any{}, "x": []string{"p", "q"}, "f": 1e21},
			Reference: 0.5, ReferenceKind: metrics.ReferenceFixed},
		{Name: "jsd", Group: "fidelity", Columns: []string{"a", "b"}, Value: math.Inf(1), Better: metrics.Lower,
			Reference: math.NaN(), ReferenceKind: metrics.ReferenceHoldout, ReferenceReason: "holdout of 3 rows"},
		{Name: "dcr", Group: "privacy", Columns: []string{}, Value: math.Copysign(0, -1), Better: metrics.Higher, ReferenceReason: "no holdout"},
		{Name: "srmse", Group: "fidelity", Columns: []string{"c0", "c2"}, Value: 123456789.125, Better: metrics.Lower, Targeted: &no,
			Params: map[string]any{"bins": 6, "pairs": "all", "w": 0.5, "none": nil, "b": false, "tiny": -1e-7, "big": 1e21,
				"edge": 1e-6, "below": 9.99e-7, "under": 1e20, "min": 5e-324, "max": -1.7976931348623157e308},
			Reference: 1e-7, ReferenceKind: metrics.ReferenceHoldout},
		{Name: "pearson_diff", Group: "fidelity", Columns: []string{"c0", "c2"}, Value: 1e-300, Better: metrics.Lower,
			Reference: 1e20, ReferenceKind: metrics.ReferenceHoldout, ReferenceReason: "subsample of 3 rows"},
		{Name: "x", Group: "g", Columns: []string{"é"}, Value: 5e-324, Better: metrics.Higher, Params: map[string]any{"k": "ü"}},
		{Name: "y", Group: "g", Columns: []string{"a"}, Value: 1.7976931348623157e308, Better: metrics.Higher,
			Params: map[string]any{"n": int64(3), "f": float32(0.25)}, Reference: 1e20, ReferenceKind: metrics.ReferenceHoldout, ReferenceReason: "subsample"},
		{Name: "z", Group: "g", Columns: []string{"a", "b", "c"}, Value: 1e-6, Better: metrics.Lower, Params: map[string]any{},
			Reference: math.Inf(-1), ReferenceKind: metrics.ReferenceHoldout},
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

// FuzzStreamedJSON: a score of any names, values and params streams as the
// encoder writes it.
func FuzzStreamedJSON(f *testing.F) {
	f.Add("tvd", "c0", 0.125, 0.5, "all", 6, true)
	f.Add("a<b", "é", 1e-7, 1e21, "\u2028", -1, false)
	f.Add("", "", math.Copysign(0, -1), 5e-324, "", 0, true)
	f.Fuzz(func(t *testing.T, name, col string, value, ref float64, param string, n int, kind bool) {
		s := metrics.Score{Name: name, Group: "g", Columns: []string{col, "b"}, Value: value, Better: metrics.Lower,
			Reason: param, Params: map[string]any{param: n, "p": param, "v": value}, Reference: ref}
		if kind {
			s.ReferenceKind = metrics.ReferenceHoldout
		}
		if math.IsNaN(value) || math.IsInf(value, 0) {
			s.Params["v"] = nil // encoding/json refuses a NaN param
		}
		scores := []metrics.Score{s}
		var got bytes.Buffer
		if err := WriteScores(&got, "json", scores); err != nil {
			t.Fatal(err)
		}
		want := wholeJSON(t, struct {
			Metrics []metrics.Score `json:"metrics"`
		}{scores})
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("streamed:\n%s\nencoder:\n%s", got.Bytes(), want)
		}
	})
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

// TestFormatParamsIsSprintf: FormatParams writes each pair as
// fmt.Sprintf("%s=%v") does, sorted by key and space separated.
func TestFormatParamsIsSprintf(t *testing.T) {
	for _, s := range streamScores() {
		keys := slices.Sorted(maps.Keys(s.Params))
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = fmt.Sprintf("%s=%v", k, s.Params[k])
		}
		if got, want := FormatParams(s.Params), strings.Join(parts, " "); got != want {
			t.Errorf("FormatParams(%v) = %q, want %q", s.Params, got, want)
		}
	}
}
