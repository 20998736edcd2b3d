// Package table is synthor's columnar data model.
//
// A Table is a list of equal-length Columns. Each column has a Field (name,
// kind, optional allowed categories or numeric range, a one-line
// description) and stores its values by kind: categorical columns as small
// integer codes into a dictionary, integer and datetime columns as int64,
// float columns as float64, text as strings. Every kind is nullable.
//
// Data flows in one direction: a reader (CSV, JSON lines, Parquet) infers or
// takes a Schema, builds columns, and returns a Table; synthesizers and
// metrics read columns by name; writers turn a Table back into CSV or JSON
// lines. A table may carry a group key: rows sharing the key form one
// variable-length record (the persons of a household).
package table
