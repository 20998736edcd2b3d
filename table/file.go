package table

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// fileFormat returns the file format named by path's extension ("csv",
// "jsonl" or "parquet") and whether a trailing .gz compresses it.
func fileFormat(path string) (string, bool, error) {
	base := strings.ToLower(filepath.Base(path))
	gz := strings.HasSuffix(base, ".gz")
	base = strings.TrimSuffix(base, ".gz")
	switch filepath.Ext(base) {
	case ".csv":
		return "csv", gz, nil
	case ".jsonl", ".ndjson":
		return "jsonl", gz, nil
	case ".parquet":
		return "parquet", gz, nil
	}
	return "", false, fmt.Errorf("unknown file type %q (want .csv, .jsonl, .ndjson or .parquet, optionally followed by .gz)", filepath.Ext(base))
}

// ReadFile reads the table at path, choosing the reader by extension:
// .csv, .jsonl or .ndjson, .parquet; a trailing .gz is decompressed, and a
// gzip stream that ends early is an error wrapping ErrTruncated (at any cut
// point: no row of a cut file is returned). opts.MaxBytes bounds the input
// read (after decompression), so that a gzip bomb or an endless device
// stops with ErrTooLarge before its table fills memory. opts.Name defaults
// to path.
func ReadFile(path string, opts ReadOptions) (*Table, error) {
	if opts.Name == "" {
		opts.Name = path
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return nil, &Error{Op: "read", File: opts.Name, Err: errors.New("is a directory")}
	}
	kind, gz, err := fileFormat(path)
	if err != nil {
		return nil, &Error{Op: "read", File: opts.Name, Err: err}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{Op: "read", File: opts.Name, Err: pathErr(err)}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, &Error{Op: "read", File: opts.Name, Err: pathErr(err)}
	}
	if st.IsDir() {
		return nil, &Error{Op: "read", File: opts.Name, Err: errors.New("is a directory")}
	}
	if !gz && kind == "parquet" && opts.MaxBytes > 0 && st.Mode().IsRegular() && st.Size() > opts.MaxBytes {
		return nil, &Error{Op: "read", File: opts.Name, Err: tooLarge(opts.MaxBytes)}
	}
	var zr *gzip.Reader
	open := func() (io.Reader, error) {
		if !gz {
			return newLimitInput(f, opts.MaxBytes), nil
		}
		var err error
		if zr == nil {
			zr, err = gzip.NewReader(f)
		} else {
			err = zr.Reset(f)
		}
		if err != nil {
			switch {
			case errors.Is(err, io.EOF):
				return nil, &Error{Op: "read", File: opts.Name, Err: ErrEmpty}
			case errors.Is(err, io.ErrUnexpectedEOF):
				return nil, &Error{Op: "read", File: opts.Name, Err: fmt.Errorf("gzip: %w", ErrTruncated)}
			}
			return nil, &Error{Op: "read", File: opts.Name, Err: gzipErr(err)}
		}
		return newLimitInput(gzipInput{zr}, opts.MaxBytes), nil
	}
	r, err := open()
	if err != nil {
		return nil, err
	}
	serial, parallel := ReadCSV, readCSVParallel
	switch kind {
	case "jsonl":
		serial, parallel = ReadJSONL, readJSONLParallel
		fallthrough
	case "csv":
		size := st.Size()
		if gz {
			size = 0 // unknown
		}
		cfg := defaultParConfig()
		if size > 0 && size < int64(cfg.min) || !st.Mode().IsRegular() {
			return serial(r, opts) // too small to split, or cannot be read twice (a pipe)
		}
		t, err := parallel(r, size, opts, cfg)
		if !errors.Is(err, errSerial) {
			return t, err
		}
		// Read again, from the start, with the reference reader.
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, &Error{Op: "read", File: opts.Name, Err: pathErr(err)}
		}
		if r, err = open(); err != nil {
			return nil, err
		}
		return serial(r, opts)
	}
	if gz {
		data, err := io.ReadAll(r)
		if err != nil {
			if errors.Is(err, ErrTooLarge) || errors.Is(err, ErrTruncated) {
				return nil, &Error{Op: "read", File: opts.Name, Err: err}
			}
			return nil, &Error{Op: "read", File: opts.Name, Err: gzipErr(err)}
		}
		return ReadParquet(bytes.NewReader(data), int64(len(data)), opts)
	}
	return ReadParquet(f, st.Size(), opts)
}

// CSVHeaderColumns counts the fields of the header of the .csv or
// .csv.gz file at path, as ReadCSV reads the header, reading at most
// maxBytes of its text: a cheap look at a table's width before reading
// it. Another format, or a header that cannot be read within maxBytes, is
// an error.
func CSVHeaderColumns(path string, maxBytes int64) (int, error) {
	kind, gz, err := fileFormat(path)
	if err != nil {
		return 0, err
	}
	if kind != "csv" {
		return 0, fmt.Errorf("%s: not a CSV file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, pathErr(err)
	}
	defer f.Close()
	var r io.Reader = f
	if gz {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return 0, gzipErr(err)
		}
		defer zr.Close()
		r = zr
	}
	cr := csv.NewReader(bufio.NewReader(io.LimitReader(r, maxBytes)))
	cr.FieldsPerRecord = -1
	rec, err := cr.Read()
	if err != nil {
		return 0, err
	}
	return len(rec), nil
}

// WriteFile writes t to path in the format its extension names (.csv,
// .jsonl or .ndjson, .parquet; a trailing .gz compresses). It writes a
// temporary file in the same directory and renames it over path, so path
// is either left as it was or holds the whole table; the file gets mode
// 0644.
func WriteFile(path string, t *Table) error { return WriteFileContext(context.Background(), path, t) }

// WriteFileContext is WriteFile stopped by ctx: once ctx is done the write
// fails with ctx's error and the temporary file is removed.
func WriteFileContext(ctx context.Context, path string, t *Table) error {
	kind, gz, err := fileFormat(path)
	if err != nil {
		return &Error{Op: "write", File: path, Err: err}
	}
	var write func(io.Writer, *Table) error
	switch kind {
	case "csv":
		write = WriteCSV
	case "jsonl":
		write = WriteJSONL
	default:
		write = WriteParquet
	}
	return WriteAtomicContext(ctx, path, func(w io.Writer) error {
		if !gz {
			return write(w, t)
		}
		zw := gzip.NewWriter(w)
		if err := write(zw, t); err != nil {
			return err
		}
		return zw.Close()
	})
}

// WriteAtomic writes path through a temporary file in the same directory
// that is renamed over path only when fill and the close succeed, so a
// failure never leaves a partial file. The file's mode is 0644.
func WriteAtomic(path string, fill func(io.Writer) error) error {
	return WriteAtomicContext(context.Background(), path, fill)
}

// WriteAtomicContext is WriteAtomic stopped by ctx: every write to the
// temporary file fails once ctx is done, the file is then removed, and
// path is left as it was.
func WriteAtomicContext(ctx context.Context, path string, fill func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp*")
	if err != nil {
		return &Error{Op: "write", File: path, Err: pathErr(err)}
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	if err = fill(ctxWriter{ctx, f}); err != nil {
		return &Error{Op: "write", File: path, Err: err}
	}
	if err = ctx.Err(); err != nil {
		return &Error{Op: "write", File: path, Err: err}
	}
	if err = f.Chmod(0o644); err != nil {
		return &Error{Op: "write", File: path, Err: pathErr(err)}
	}
	if err = f.Close(); err != nil {
		return &Error{Op: "write", File: path, Err: pathErr(err)}
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return &Error{Op: "write", File: path, Err: pathErr(err)}
	}
	return nil
}

// ctxWriter fails every write once ctx is done.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// gzipErr prefixes err with "gzip: " unless it already says so.
func gzipErr(err error) error {
	if strings.HasPrefix(err.Error(), "gzip: ") {
		return err
	}
	return fmt.Errorf("gzip: %w", err)
}
