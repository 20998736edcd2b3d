// Package arff reads Weka's attribute-relation file format (ARFF) into
// tables.
//
// Data flows through it in three steps:
//
//  1. The header: "@relation", then one "@attribute NAME TYPE" per column
//     (keywords in any case; names may be quoted), then "@data". Types are
//     numeric, real and integer; {v1, v2, ...} (nominal, values quoted
//     with ' or " when they hold spaces or commas); string; and date with
//     an optional Java SimpleDateFormat pattern of the common fields
//     (default yyyy-MM-dd'T'HH:mm:ss), converted to a Go layout. Lines
//     starting with % are comments.
//  2. The data: one instance per line, values separated by commas outside
//     quotes, with backslash escapes in quoted values; an unquoted ? is
//     missing. Sparse instances "{index value, ...}" list 0-based attribute
//     indexes; unlisted attributes are 0 (the first value of a nominal
//     attribute, as in Weka). Values go straight into typed per-column
//     storage.
//  3. Columns: numeric -> integer when every present value is a whole
//     number below 2^53 in magnitude, else float; nominal -> categorical
//     whose categories are the declared values in order (any other value is
//     an error); string -> text; date -> datetime.
//
// Errors are *table.Error values, one line naming the file, line and
// attribute: `read credit-g.arff: line 12, column "age": "x" is not a
// number`.
package arff
