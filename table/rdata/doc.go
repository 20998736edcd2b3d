// Package rdata reads data frames from R's serialized data (.rda, .RData
// and .rds files) into tables, without R.
//
// Data flows through it in four steps:
//
//  1. decompress reads the whole input, undoing gzip, bzip2 (standard
//     library) or xz (github.com/ulikunitz/xz) compression, chosen by the
//     magic bytes, up to MaxSize bytes. An xz block header that asks for a
//     dictionary above MaxXZDict is refused before the decoder allocates it.
//  2. Read strips a workspace's "RDX2"/"RDX3" line and the decoder reads
//     the XDR stream: the "X\n" format line, version 2 or 3 (3 adds the
//     native encoding), then one item. Each item is a 32-bit flags word
//     (type in the low byte; object, attribute and tag bits; CHARSXP
//     encoding in the levels) and its body, as in R Internals §1.8 and
//     src/main/serialize.c. Every vector length is checked against the
//     bytes left before allocation, nesting is bounded, and references
//     (REFSXP) must point to an object already read. Pairlists are read
//     iteratively. ALTREP objects of version 3 (compact integer and real
//     sequences, wrappers, deferred strings) are expanded into ordinary
//     vectors.
//  3. Each saved object that is a list with class "data.frame" becomes a
//     table (frame.go); other objects are skipped. Columns convert by type:
//     factor (integer codes with levels, ordered or not) -> categorical
//     with the levels as categories in R's order; logical -> categorical
//     FALSE/TRUE; integer -> integer; double -> float; Date and POSIXct ->
//     datetime; character -> categorical when it has at most max(20, n/20)
//     distinct values, else text. Lists, complex and raw columns are
//     errors naming the column.
//  4. Missing values: NA_integer_ and logical NA (INT_MIN), NA_real_ (a
//     NaN whose low word is 1954) and NaN, and NA_character_ all read as
//     missing cells.
//
// Errors are one line: `read FILE: object NAME: column "x": ...`, or
// `read FILE: byte N: ...` for a malformed stream, N an offset into the
// decompressed serialization.
package rdata
