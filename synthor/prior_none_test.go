package synthor

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"

	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/table"
)

// TestPriorNoneUnchanged pins the output of the loop without a prior (the
// stat planner, the ablation) to the bytes it had before priors existed:
// the SHA-256 of the CSV and of the Result's JSON, recorded at commit
// 5745cce (main, before Config.Prior) with this same test. A change that
// moves a byte of the prior-less loop fails here.
func TestPriorNoneUnchanged(t *testing.T) {
	paper := PaperConfig
	paper.Joints = paperJoints
	cases := []struct {
		name      string
		cfg       Config
		ref       *table.Table
		n         int
		csv, json string
	}{
		{"ecommerce defaults", DefaultConfig, datasets.EcommerceBN(2000, 1), 2000,
			"7f9aec5e78b37f931fc92307742d4436f46220f9d3468b438c4765cba5cb441e",
			"36b36b197a82486ed5e136bb470801bd39e4207047022464fe4a0544694421a5"},
		{"ecommerce profile=paper, paper's joints", paper, datasets.EcommerceBN(2000, 2), 2000,
			"9788dea1817a964646a16447e0824255eabf7d0f30ca9e25a801998402cbeb2c",
			"04f82bc83a16ee7c7533f17e86b1b61bed8c69d0e259e70d098f910721ea7610"},
		{"population households", DefaultConfig, datasets.Population(400, 1), 400,
			"97eb727a41f544bb9913254d5e4893d5edb7c55c52e5804c730dbf9eefeed188",
			"64105edad82458e4a10e66c2899fb69d080d1e0f3e7cc7fcd54860771d84203e"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := New(c.cfg, nil)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			if err := s.Fit(ctx, c.ref); err != nil {
				t.Fatal(err)
			}
			out, res, err := s.SampleResult(ctx, c.n, 3)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := table.WriteCSV(&b, out); err != nil {
				t.Fatal(err)
			}
			js, err := json.Marshal(res)
			if err != nil {
				t.Fatal(err)
			}
			gotCSV, gotJSON := sum(b.Bytes()), sum(js)
			if gotCSV != c.csv || gotJSON != c.json {
				t.Errorf("output changed: csv sha256 %s (pinned %s), result json sha256 %s (pinned %s)", gotCSV, c.csv, gotJSON, c.json)
			}
		})
	}
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
