package table

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
)

// ErrTruncated is returned (wrapped) for a gzip-compressed input that ends
// before its compressed stream does: a file cut short by a failed copy or
// download. No row of it is returned.
var ErrTruncated = errors.New("the compressed stream ends early (the file is truncated)")

// ErrTooLarge is returned (wrapped) when an input passes
// ReadOptions.MaxBytes: reading stops there, before the table's memory
// grows further.
var ErrTooLarge = errors.New("input too large")

// gzipInput reads a gzip stream and reports a stream that ends early as
// ErrTruncated: compress/gzip reports it as io.ErrUnexpectedEOF, which
// io.ReadFull, encoding/csv and the parallel readers take for a short last
// block and an ordinary end of input.
type gzipInput struct{ zr *gzip.Reader }

func (g gzipInput) Read(p []byte) (int, error) {
	n, err := g.zr.Read(p)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = fmt.Errorf("gzip: %w", ErrTruncated)
	}
	return n, err
}

// limitInput reads at most max bytes of r; reading on past them fails
// with ErrTooLarge. Unlike io.LimitReader it does not end quietly: an input
// cut at the limit must not read as a whole one.
type limitInput struct {
	r    io.Reader
	left int64
	max  int64
	err  error // sticky: the limit was passed
}

func newLimitInput(r io.Reader, max int64) io.Reader {
	if max <= 0 {
		return r
	}
	return &limitInput{r: r, left: max, max: max}
}

func (l *limitInput) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	if l.left <= 0 {
		// One byte more tells an input of exactly max bytes from a longer one.
		var one [1]byte
		n, err := l.r.Read(one[:])
		if n > 0 {
			l.err = tooLarge(l.max)
			return 0, l.err
		}
		return 0, err
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// tooLarge is ErrTooLarge with the limit.
func tooLarge(max int64) error {
	return fmt.Errorf("%w: more than %s of input (after decompression)", ErrTooLarge, formatBytes(max))
}

// formatBytes writes n bytes with a binary unit: "1.5 MiB".
func formatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, i := float64(n), 0
	for v >= unit && i < 6 {
		v /= unit
		i++
	}
	return fmt.Sprintf("%.1f %ciB", v, "KMGTPE"[i-1])
}
