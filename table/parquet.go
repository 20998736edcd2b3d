package table

import (
	"errors"
	"io"
)

// ReadParquet reads a flat Parquet file of size bytes into a Table.
func ReadParquet(r io.ReaderAt, size int64, opts ReadOptions) (*Table, error) {
	a := newAssembler(opts, "parquet")
	return nil, &Error{Op: "read", File: a.name, Err: errors.New("parquet reading is not implemented yet")}
}
