package llm_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/synthor/synthor/llm"
	"github.com/synthor/synthor/llm/llmtest"
)

func prompt(bytes int) llm.Request {
	return llm.Request{
		Messages:        []llm.Message{{Role: llm.System, Content: "You plan records. JSON only."}, {Role: llm.User, Content: strings.Repeat("guidance line: target 12.0%, synthetic 4.1%\n", bytes/44+1)[:bytes]}},
		Format:          llm.FormatJSONObject,
		TemplateVersion: "v1",
	}
}

func BenchmarkKey(b *testing.B) {
	for _, size := range []int{2 << 10, 8 << 10, 32 << 10} {
		req := prompt(size)
		b.Run(fmt.Sprintf("prompt=%dKiB", size>>10), func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				llm.Key("m", req)
			}
		})
	}
}

// BenchmarkComplete measures the client's own cost per call against the
// in-process fake (HTTP round trip included): no cache, a cache hit from
// disk, and a miss written to the cache.
func BenchmarkComplete(b *testing.B) {
	reply := `{"n_proposals": 1, "proposal1": {"reason": "r", "proposal": {"a": "x"}, "num": 5}}`
	srv := llmtest.NewServer(llmtest.Reply(reply))
	defer srv.Close()
	req := prompt(8 << 10)
	for _, mode := range []llm.CacheMode{llm.CacheOff, llm.CacheReadWrite, "replay-hit"} {
		b.Run("cache="+string(mode), func(b *testing.B) {
			cfg := llm.DefaultConfig
			cfg.BaseURL, cfg.Model = srv.URL, "m"
			if mode != llm.CacheOff {
				cfg.CacheDir, cfg.CacheMode = b.TempDir(), llm.CacheReadWrite
			}
			if mode == "replay-hit" { // record b.N replies, then measure replaying them
				rec, err := llm.Open(cfg)
				if err != nil {
					b.Fatal(err)
				}
				for range b.N {
					if _, err := rec.Complete(context.Background(), req); err != nil {
						b.Fatal(err)
					}
				}
				rec.Close()
				cfg.CacheMode = llm.CacheReplay
			}
			be, err := llm.Open(cfg)
			if err != nil {
				b.Fatal(err)
			}
			defer be.Close()
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, err := be.Complete(context.Background(), req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
