// Package guard checks a command's arguments and inputs before any work is
// done, so that hostile or mistaken input fails fast with one line that
// leads to the fix instead of overwriting a file, filling memory or failing
// deep inside a synthesizer.
//
// The checks run in this order at the top of a command:
//
//   - CheckPaths: no output (--out, --trace, a runner's output directory)
//     is one of the inputs, compared by device and inode (os.SameFile), not
//     by name; no two outputs coincide; each output's directory exists and
//     is writable. Errors matching ErrSamePath are usage errors.
//     CheckOutputDir does the same for a directory a command writes into.
//   - Memory: Need estimates the bytes a synthesis takes (rows × columns ×
//     BytesPerCell × the method's memory factor, from its registry entry)
//     and CheckMemory refuses it above the limit (DefaultLimit:
//     DefaultShare of physical memory, or the Limit --max-memory gives). EvalNeed estimates eval's
//     frequency tables (TableCells × ContingencyBytesPerCell). ReadNeed
//     estimates reading a file from its size alone (a lower bound for a
//     compressed one); ReadBudget gives the readers their share of the
//     limit (table.ReadOptions MaxBytes and MaxCells), so that they measure
//     the rest as they read and stop there.
//   - After reading a table: CheckTable refuses a header-only table and a
//     CSV whose single header column holds another delimiter (; tab |),
//     naming it; GroupKeyGuess finds a grouped table read as flat rows (an
//     id column whose equal values sit in contiguous runs).
package guard
