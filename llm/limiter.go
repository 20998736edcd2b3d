package llm

import (
	"context"
	"sync"
	"time"
)

// limiter spaces requests to at most perMinute per minute with a burst of
// `burst`, as a token bucket in its GCRA form: tat is the theoretical
// arrival time of the next request; a request may go when tat minus the
// burst allowance is not in the future. golang.org/x/time/rate is not in
// the module graph, and this is all the project needs.
type limiter struct {
	mu       sync.Mutex
	interval time.Duration
	burst    int
	tat      time.Time
	now      func() time.Time
	sleep    func(context.Context, time.Duration) error
}

func newLimiter(perMinute float64, burst int, now func() time.Time, sleep func(context.Context, time.Duration) error) *limiter {
	if perMinute <= 0 {
		return nil
	}
	return &limiter{
		interval: time.Duration(float64(time.Minute) / perMinute),
		burst:    max(burst, 1),
		now:      now,
		sleep:    sleep,
	}
}

// reserve books the next slot and returns how long to wait for it.
func (l *limiter) reserve() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	tat := l.tat
	if tat.Before(now) {
		tat = now
	}
	allow := time.Duration(l.burst-1) * l.interval
	wait := tat.Sub(now) - allow
	l.tat = tat.Add(l.interval)
	return max(wait, 0)
}

// wait blocks until the caller may send one request. A nil limiter never
// blocks.
func (l *limiter) wait(ctx context.Context) error {
	if l == nil {
		return ctx.Err()
	}
	if d := l.reserve(); d > 0 {
		return l.sleep(ctx, d)
	}
	return ctx.Err()
}
