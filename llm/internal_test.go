package llm

import (
	"context"
	"math/rand/v2"
	"net/http"
	"testing"
	"time"
)

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range []struct {
		name string
		h    http.Header
		want time.Duration
	}{
		{"none", http.Header{}, 0},
		{"seconds", http.Header{"Retry-After": {"7"}}, 7 * time.Second},
		{"fractional seconds", http.Header{"Retry-After": {"1.5"}}, 1500 * time.Millisecond},
		{"ms header wins", http.Header{"Retry-After": {"7"}, "Retry-After-Ms": {"250"}}, 250 * time.Millisecond},
		{"http date", http.Header{"Retry-After": {now.Add(30 * time.Second).Format(http.TimeFormat)}}, 30 * time.Second},
		{"date in the past", http.Header{"Retry-After": {now.Add(-time.Hour).Format(http.TimeFormat)}}, 0},
		{"negative", http.Header{"Retry-After": {"-3"}}, 0},
		{"garbage", http.Header{"Retry-After": {"soon"}}, 0},
		{"trailing junk", http.Header{"Retry-After": {"5s"}}, 0},
		{"capped", http.Header{"Retry-After": {"86400"}}, maxRetryAfter},
		{"nan", http.Header{"Retry-After": {"NaN"}}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := RetryAfter(tc.h, now); got != tc.want {
				t.Errorf("RetryAfter = %v, want %v", got, tc.want)
			}
		})
	}
}

func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"", "0", "7", "1.5", "-1", "1e308", "NaN", "Inf", "Wed, 21 Oct 2015 07:28:00 GMT", "soon"} {
		f.Add(s)
	}
	now := time.Unix(1e9, 0)
	f.Fuzz(func(t *testing.T, v string) {
		for _, name := range []string{"Retry-After", "Retry-After-Ms"} {
			d := RetryAfter(http.Header{name: {v}}, now)
			if d < 0 || d > maxRetryAfter {
				t.Fatalf("RetryAfter(%s: %q) = %v out of [0, %v]", name, v, d, maxRetryAfter)
			}
		}
	})
}

func FuzzDecodeEntry(f *testing.F) {
	f.Add([]byte(`{"key":"` + Key("m", Request{}) + `","occurrence":0,"text":"{}"}`))
	f.Add([]byte(`{"key":"abc"}`))
	f.Add([]byte(`{"key":"` + Key("m", Request{}) + `","occurrence":-1}`))
	f.Add([]byte(`not json`))
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := DecodeEntry(b)
		if err == nil && (len(e.Key) != 64 || e.Occurrence < 0) {
			t.Fatalf("accepted bad entry %+v", e)
		}
	})
}

func TestBackoffGrowsWithJitter(t *testing.T) {
	b := &Backend{rnd: rand.New(rand.NewPCG(3, 4))}
	for n := range 12 {
		base := min(500*time.Millisecond<<n, 30*time.Second)
		for range 50 {
			d := b.backoff(n, 0)
			if d < base/2 || d > base {
				t.Fatalf("backoff(%d) = %v, want in [%v, %v]", n, d, base/2, base)
			}
		}
	}
	if d := b.backoff(0, 9*time.Second); d != 9*time.Second {
		t.Errorf("backoff with Retry-After 9s = %v", d)
	}
	// Same seed, same waits.
	x, y := &Backend{rnd: rand.New(rand.NewPCG(7, 7))}, &Backend{rnd: rand.New(rand.NewPCG(7, 7))}
	for n := range 5 {
		if x.backoff(n, 0) != y.backoff(n, 0) {
			t.Fatal("backoff not reproducible with a fixed seed")
		}
	}
}

func TestLimiterBurst(t *testing.T) {
	now := time.Unix(0, 0)
	clock := func() time.Time { return now }
	var waits []time.Duration
	sleep := func(_ context.Context, d time.Duration) error { waits = append(waits, d); now = now.Add(d); return nil }
	l := newLimiter(60, 2, clock, sleep) // 1/s, burst 2
	for range 4 {
		if err := l.wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	// Two go at once, then one per second.
	if len(waits) != 2 || waits[0] != time.Second || waits[1] != time.Second {
		t.Errorf("waits = %v, want [1s 1s]", waits)
	}
	now = now.Add(time.Hour) // idle refills the burst, but no more
	waits = nil
	for range 3 {
		l.wait(context.Background())
	}
	if len(waits) != 1 || waits[0] != time.Second {
		t.Errorf("after idle: waits = %v, want [1s]", waits)
	}
	if newLimiter(0, 1, clock, sleep) != nil {
		t.Error("rpm 0 must mean no limiter")
	}
	var nl *limiter
	if err := nl.wait(context.Background()); err != nil {
		t.Error(err)
	}
}

func TestRedactor(t *testing.T) {
	r := newRedactor("sk-secret", map[string]string{"X-Proxy-Token": "tok-123", "X-Short": "ab"})
	got := r("key sk-secret and tok-123 and ab")
	if got != "key [redacted] and [redacted] and ab" {
		t.Errorf("redacted = %q", got)
	}
}
