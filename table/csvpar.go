package table

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"sync"
)

// The parallel CSV reader.
//
// One goroutine reads the input in blocks and cuts it after the last line
// end of each block; the pieces (chunks) go to workers on all cores, each
// of which parses its chunk into its own typed column builders (fields as
// byte slices, numbers parsed from bytes, categories through the chunk's
// own dictionary). The caller's goroutine takes the chunks back in input
// order and appends each one's builders to the table's (appendChunk),
// merging the dictionaries in order and converting kinds as the serial
// reader would, so the result is the serial reader's.
//
// A cut is speculative: a line end inside a quoted field is not a record
// boundary. A chunk whose last record is cut (its tail) shows that the
// next chunk started inside a record; that chunk is parsed again, on the
// merging goroutine, from the start of the tail (the repair). Any input
// the chunk parser does not read exactly as encoding/csv does, every error
// included, makes the reader give up (errSerial) so that the caller reads
// the input again with the serial reader, which stays the reference.

// errSerial reports that the parallel reader left the input to the serial
// reader.
var errSerial = errors.New("table: input left to the serial reader")

// parConfig sizes the parallel reader.
type parConfig struct {
	block   int // bytes read per chunk
	min     int // inputs shorter than this are read serially
	workers int
}

// defaultParConfig reads 512 KiB chunks on every core; inputs under 1 MiB
// are read by the serial reader.
func defaultParConfig() parConfig {
	return parConfig{block: 512 << 10, min: 1 << 20, workers: runtime.GOMAXPROCS(0)}
}

// readFirst reads the first block of r (cfg.block bytes, fewer at its
// end); eof reports that r ended within it.
func readFirst(r io.Reader, cfg parConfig) (first []byte, eof bool, err error) {
	first = make([]byte, cfg.block)
	n, err := io.ReadFull(r, first)
	eof = errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
	if eof {
		err = nil
	}
	return first[:n], eof, err
}

// rowHint estimates the rows of an input of size bytes (0: unknown) from
// a sample of whole lines: rows per byte of the sample, with 5 % to spare,
// and at most one row per 2 bytes. It is 0 when it cannot tell.
func rowHint(size int64, sample []byte) int {
	lines := bytes.Count(sample, []byte("\n"))
	if size <= 0 || lines == 0 || len(sample) == 0 {
		return 0
	}
	return min(int(float64(size)/float64(len(sample))*float64(lines)*1.05), int(size/2)+1)
}

// readCSVParallel reads CSV from r as ReadCSV does, or returns errSerial
// (having consumed some of r) when the input must be read by ReadCSV.
// size, when positive, is the input's length in bytes, used to size the
// columns. Inputs shorter than cfg.min are read by ReadCSV directly.
func readCSVParallel(r io.Reader, size int64, opts ReadOptions, cfg parConfig) (*Table, error) {
	first, eof, err := readFirst(r, cfg)
	if err != nil {
		return nil, limitErr(opts, err)
	}
	if eof && len(first) < cfg.min {
		return ReadCSV(bytes.NewReader(first), opts)
	}
	a := newAssembler(opts, "csv")
	var p csvParser
	var data []byte
	var next int
	for {
		// The header, reading on until it is whole.
		var st recordStatus = recIncomplete
		if eof || len(first) >= 3 {
			data = bytes.TrimPrefix(first, []byte("\ufeff"))
			if pos := skipBlank(data, 0, eof); pos < len(data) {
				next, st = p.record(data, pos, eof)
			} else if eof {
				return nil, errSerial
			}
		}
		if st == recOK {
			break
		}
		if st == recBad || eof {
			return nil, errSerial
		}
		more := make([]byte, cfg.block)
		n, err := io.ReadFull(r, more)
		first = append(first, more[:n]...)
		eof = errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !eof {
			return nil, errSerial
		}
	}
	names := make([]string, len(p.fields))
	for i, f := range p.fields {
		names[i] = string(f)
	}
	if err := a.header(names, 0); err != nil {
		return nil, errSerial
	}
	hint := 0
	if next < len(data) {
		hint = rowHint(size, data[next:])
	}

	done := make(chan struct{})
	order := make(chan *csvChunk, cfg.workers+1)
	jobs := make(chan *csvChunk, cfg.workers)
	var wg sync.WaitGroup
	defer func() {
		close(done)
		for c := range order { // let the cutter and the workers finish
			<-c.ready
		}
		wg.Wait()
	}()
	// Storage handed back by the merger once a chunk is merged, so that
	// reading makes little garbage.
	spareB := make(chan []*builder, 2*cfg.workers+2)
	spareBuf := make(chan []byte, 2*cfg.workers+2)
	recycle := func(c *csvChunk) {
		select {
		case spareB <- c.b:
		default:
		}
		if c.buf != nil {
			select {
			case spareBuf <- c.buf:
			default:
			}
		}
		c.b, c.buf, c.data = nil, nil, nil
	}
	spare := func() []*builder {
		select {
		case b := <-spareB:
			return b
		default:
			return nil
		}
	}
	for range cfg.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var p csvParser
			for c := range jobs {
				if c.err == nil {
					parseChunk(a, c, &p, spare())
				}
				close(c.ready)
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(jobs)
		defer close(order)
		cutChunks(r, data[next:], eof, cfg.block, spareBuf, done, func(c *csvChunk) bool {
			c.ready = make(chan struct{})
			select {
			case order <- c:
			case <-done:
				return false
			}
			jobs <- c
			return true
		})
	}()

	var pending []byte // a record cut at the end of the previous chunk
	for c := range order {
		<-c.ready
		if c.err != nil {
			return nil, limitErr(opts, c.err)
		}
		if pending != nil {
			again := &csvChunk{data: append(pending, c.data...), eof: c.eof, seq: c.seq}
			recycle(c)
			c = again
			parseChunk(a, c, &p, spare())
			pending = nil
		}
		if c.bail {
			return nil, errSerial
		}
		for j, b := range a.b {
			b.appendChunk(c.b[j], hint)
		}
		a.rows += c.rows
		if err := a.overCells(a.rows); err != nil {
			return nil, err
		}
		if c.tail >= 0 {
			pending = append([]byte(nil), c.data[c.tail:]...)
		}
		recycle(c)
	}
	if pending != nil {
		return nil, errSerial
	}
	a.lineOf = func(int) int { return 0 }
	t, err := a.table()
	if err != nil {
		return nil, errSerial // the serial reader names the line
	}
	return t, nil
}

// limitErr is the error a parallel reader returns for a read error: an
// input over ReadOptions.MaxBytes stops the read at once (reading it again
// serially would only reach the limit again); any other is left to the
// serial reader.
func limitErr(opts ReadOptions, err error) error {
	if errors.Is(err, ErrTooLarge) {
		return &Error{Op: "read", File: opts.Name, Err: err}
	}
	return errSerial
}

// cutChunks reads r in blocks after head (bytes already read; eof when r
// is exhausted), cuts them after their last line end and hands each piece
// to emit, in order, until the input ends, emit returns false or done is
// closed. A read error is handed on as a chunk carrying it.
func cutChunks(r io.Reader, head []byte, eof bool, block int, spare <-chan []byte, done <-chan struct{}, emit func(*csvChunk) bool) {
	carry := append([]byte(nil), head...)
	seq := 0
	for {
		select {
		case <-done:
			return
		default:
		}
		var err error
		if !eof {
			start := len(carry)
			var buf []byte
			if cap(carry) >= start+block {
				// A line longer than the blocks so far, read on in place:
				// carry is this goroutine's until it is cut and emitted.
				buf = carry[:start+block]
			} else {
				select {
				case buf = <-spare:
				default:
				}
				if cap(buf) < start+block {
					// Doubling, so that a long line costs its length in
					// copies and garbage, not its square over the block.
					buf = make([]byte, start+block, max(start+block, 2*start))
				}
				buf = buf[:start+block]
				copy(buf, carry)
			}
			var n int
			n, err = io.ReadFull(r, buf[start:])
			carry = buf[:start+n]
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				eof, err = true, nil
			}
		}
		if err != nil {
			emit(&csvChunk{seq: seq, err: err})
			return
		}
		if eof {
			if len(carry) > 0 {
				emit(&csvChunk{data: carry, eof: true, seq: seq})
			}
			return
		}
		cut := bytes.LastIndexByte(carry, '\n') + 1
		if cut == 0 {
			continue // a line longer than the block: read on
		}
		c := &csvChunk{data: carry[:cut:cut], buf: carry[:0], seq: seq}
		seq++
		carry = append([]byte(nil), carry[cut:]...)
		if !emit(c) {
			return
		}
	}
}
