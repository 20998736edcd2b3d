// Package table is synthor's columnar data model.
//
// A Table is a list of equal-length Columns. Each column has a Field (name,
// kind, optional allowed categories or numeric range, a one-line
// description) and stores its values by kind: categorical columns as small
// integer codes into a dictionary, integer and datetime columns as int64,
// float columns as float64, text as strings. Every kind is nullable.
//
// Data flows in one direction:
//
//  1. A reader (ReadCSV, ReadJSONL, ReadParquet, or ReadFile choosing one by
//     extension) streams the input row by row. Each cell goes straight into
//     a typed column builder; no row of strings is kept. ReadFile reads CSV
//     and JSON lines of 1 MiB or more (plain or gzip-compressed, as a
//     stream) in parallel: chunks cut at line ends are parsed on every core
//     into builders of their own, which are then appended in input order
//     (csvpar.go, jsonlpar.go; merge.go converts kinds and merges
//     dictionaries as the serial reader would; csvline.go reads the common
//     cells of a line without quotes, integers and known categories, as it
//     scans them). The result is that of
//     ReadCSV or ReadJSONL, the serial readers, which stay the reference:
//     any input the parallel reader does not read exactly as they do
//     (every error among them) is read again by the serial reader.
//     WriteParquet and ReadParquet round-trip a table through the schema
//     stored in the file (parquetwrite.go). Cells equal to one
//     of the null values (DefaultNullValues: "", "NA", "NaN", "null") are
//     missing.
//  2. Columns named by a Schema (from ReadOptions, often loaded with
//     LoadSchema) take the schema's kind, categories, range, layout and
//     description; a cell that does not fit is an error naming the file,
//     line and column. The other columns are inferred (rules below).
//  3. The reader checks the group key, if any: rows sharing the key form
//     one variable-length record (the persons of a household), must be
//     contiguous, and columns whose Field.Group is set must be constant
//     within each group.
//  4. Synthesizers and metrics read columns by name (Table.Col, Table.Lookup).
//  5. Writers (WriteCSV, WriteJSONL, WriteFile) turn a Table back into
//     text; WriteFile writes a temporary file and renames it, so a failed
//     write never leaves a partial file. Reading a written file with the
//     table's Schema gives an equal table (Table.Equal, Diff).
//
// # Inference rules
//
// A column that no schema field names gets its kind from its non-missing
// cells (a cell's text is used as is: " 1" is not a number):
//
//   - Integer when every cell is a base-10 integer that fits int64 (an
//     optional sign; leading zeros allowed). An integer literal outside
//     the int64 range (9223372036854775808, a 30-digit id) is neither an
//     integer nor a float: the column is read as categorical (or text),
//     keeping every value exactly, because a float64 would round it (2^63
//     and 2^63−1 would both become 9.223372036854776e+18) and a copy of
//     the data would then differ from it. A schema's integer field makes
//     such a cell an error naming it.
//   - Float when every cell parses with strconv.ParseFloat (so "1e6",
//     ".5", "inf" count; a spelled-out NaN does not, it marks a missing
//     value) and at least one is not an integer. Values are float64:
//     digits beyond about 16 significant ones are rounded, as in any
//     float column. A non-finite number in a
//     float column ("inf", "-Infinity", or "1e400", beyond float64) is an
//     error naming the line and column, unless ReadOptions.NonFinite
//     reads it as missing (NonFiniteMissing) or as ±Inf (NonFiniteKeep).
//   - Datetime when every cell is an RFC 3339 timestamp or a 2006-01-02
//     date within the int64 nanosecond range (years 1678 to 2261). The
//     values are stored as Unix nanoseconds (UTC); Field.Layout is
//     "2006-01-02" when every cell is a date, else time.RFC3339Nano, so
//     that writing reproduces the text of UTC values.
//   - Categorical when, otherwise, the number of distinct values is at
//     most max(20, n/20) for n non-missing cells (true/false columns are
//     categorical by this rule). The dictionary is in order of first
//     appearance, with the exact text of each cell ("007" stays "007").
//   - Text otherwise: 10,000 distinct strings in 10,000 rows are text; 500
//     distinct values in 10,000 rows are categories, 501 are text.
//   - A column with no non-missing cell is Categorical with an empty
//     dictionary and every row missing.
//
// In JSON lines and Parquet, a value that is a string (a JSON string, a
// Parquet byte array) never makes a column numeric: {"zip": "02134"} stays
// categorical; JSON numbers and Parquet numbers follow the rules above.
//
// A schema field overrides inference: its kind is used as given; listed
// categories fix the dictionary and its order, and any other value is an
// error; min and max bound numeric values (inclusive); a datetime layout
// is used for parsing and writing (without one, RFC 3339 and dates are
// accepted as in inference).
//
// # Errors
//
// Problems with input are *Error values whose text is one lowercase line
// naming the operation, the file, the 1-based line (the CSV header is line
// 1) and the column, quoting at most the first 64 bytes of a bad value or
// name (then its length), for example
//
//	read x.csv: line 17: 14 fields, header has 15
//	read x.csv: line 9, column "age": "abc" is not an integer (schema says integer)
//	schema s.yaml: field "foo" is not a column of x.csv
//
// A gzip-compressed file that ends early is an error (ErrTruncated), at
// whatever point it was cut; ReadOptions.MaxBytes stops an input that
// passes it (ErrTooLarge), measured after decompression.
//
// Readers never panic on input.
package table
