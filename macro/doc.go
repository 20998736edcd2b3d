// Package macro computes the macro-statistics that LLMSynthor aligns to and
// that fidelity metrics compare: binned variables, frequency and contingency
// tables, and the signed per-cell discrepancy between a target and a
// synthetic table.
//
// Data flows in four steps:
//
//  1. NewSpace discretises the columns of a reference table into Vars:
//     categorical variables keep their categories, numeric ones get quantile
//     Bins (DefaultBins = 6, the paper's first stage). Missing is always a
//     cell of its own, the last one of each variable. NewSpaceOptions bins
//     numeric columns as real tables need (NumericBins): a column with few
//     distinct values is discrete (every value a point cell), a value
//     holding a large share of a column (0 in capital-gain) is a point
//     cell before the quantile bins. Bins.Rounded rounds edges for display
//     to planners.
//  2. Space.Encode maps any table with those columns to cell indices
//     (int32 per row and variable), once.
//  3. Contingency tables (flat row-major count arrays) count encoded rows;
//     Add is incremental, so counting a new batch costs time proportional
//     to the batch. Targets bundle the marginals, the joints and the fine
//     marginals (each bin split into DefaultFine = 8 equal-width sub-bins,
//     the paper's refinement stage) computed from a table or loaded from an
//     aggregates file (LoadTargets), for users who have only aggregates.
//     Grouped targets (households of persons) hold the group level's
//     tables, the member level's in Members, and a Grouping (key, member
//     index, group-size variable, the composition: groups by members per
//     band of a member variable); ControlsFromTable takes them from a
//     grouped table, as a census's controls (grouped.go, controls.go).
//  4. Gap and Deficit give the signed discrepancy per cell (target minus
//     synthetic, in shares or in records at a target size); TopPositive
//     picks the most under-represented cells.
package macro
