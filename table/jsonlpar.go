package table

import (
	"bytes"
	"io"
	"strings"
	"sync"
)

// The parallel JSON-lines reader. A line end always ends a row (a JSON
// string cannot hold a raw line end), so chunks cut at line ends need no
// repair. Each chunk is parsed by a worker with an assembler of its own,
// whose columns are the chunk's keys in order of first appearance; the
// merger adds the keys it has not seen yet, in that order (which is
// their order of first appearance in the whole input), appends each
// chunk's builders to the table's and pads the columns a chunk lacks
// with missing values. As for CSV, any error makes the reader leave the
// input to the serial reader (errSerial), which reports it.

// jsonlChunk is the parse of one chunk of JSON lines.
type jsonlChunk struct {
	csvChunk
	names []string // the chunk's columns, in order of first appearance
}

// readJSONLParallel reads JSON lines from r as ReadJSONL does, or returns
// errSerial (having consumed some of r) when the input must be read by
// ReadJSONL. Inputs shorter than cfg.min are read by ReadJSONL directly.
func readJSONLParallel(r io.Reader, size int64, opts ReadOptions, cfg parConfig) (*Table, error) {
	first, eof, err := readFirst(r, cfg)
	if err != nil {
		return nil, limitErr(opts, err)
	}
	if eof && len(first) < cfg.min {
		return ReadJSONL(bytes.NewReader(first), opts)
	}
	a := newAssembler(opts, "jsonl")
	if err := a.start(); err != nil {
		return nil, errSerial
	}
	hint := rowHint(size, first)

	done := make(chan struct{})
	order := make(chan *jsonlChunk, cfg.workers+1)
	jobs := make(chan *jsonlChunk, cfg.workers)
	var wg sync.WaitGroup
	defer func() {
		close(done)
		for c := range order {
			<-c.ready
		}
		wg.Wait()
	}()
	for range cfg.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range jobs {
				if c.err == nil {
					parseJSONLChunk(opts, c)
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
		cutChunks(r, first, eof, cfg.block, nil, done, func(cc *csvChunk) bool {
			c := &jsonlChunk{csvChunk: *cc}
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

	for c := range order {
		<-c.ready
		if c.err != nil {
			return nil, limitErr(opts, c.err)
		}
		if c.bail {
			return nil, errSerial
		}
		have := make([]int, len(a.names)) // chunk column+1 of each table column, 0: absent
		for cj, name := range c.names {
			j, ok := a.seen[name]
			if !ok {
				if err := a.addColumn(strings.Clone(name), 0); err != nil {
					return nil, errSerial
				}
				j = len(a.names) - 1
				have = append(have, 0)
			}
			have[j] = cj + 1
		}
		for j, b := range a.b {
			if have[j] == 0 {
				for range c.rows {
					b.addNull()
				}
				continue
			}
			b.appendChunk(c.b[have[j]-1], hint)
		}
		a.rows += c.rows
		if err := a.overCells(a.rows); err != nil {
			return nil, err
		}
		c.b, c.data = nil, nil
	}
	if len(a.names) == 0 {
		return nil, errSerial // no rows, or no keys: the serial reader decides
	}
	if err := a.checkSchema(); err != nil {
		return nil, errSerial
	}
	a.lineOf = func(int) int { return 0 }
	t, err := a.table()
	if err != nil {
		return nil, errSerial
	}
	return t, nil
}

// parseJSONLChunk parses the lines of c.data with an assembler of its
// own, as ReadJSONL parses each line.
func parseJSONLChunk(opts ReadOptions, c *jsonlChunk) {
	ca := newAssembler(opts, "jsonl")
	if err := ca.start(); err != nil {
		c.bail = true
		return
	}
	var set []int
	data := c.data
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		t := bytes.Trim(line, jsonSpace)
		if len(t) == 0 {
			continue
		}
		if err := ca.jsonRow(bytesString(t), 0, &set); err != nil {
			c.bail = true
			return
		}
	}
	c.names, c.b, c.rows = ca.names, ca.b, ca.rows
}
