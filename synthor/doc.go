// Package synthor implements LLMSynthor (Tang et al., "LLMSynthor:
// Macro-Aligned Micro-Records Synthesis with Large Language Models", arXiv
// 2505.14752): records are built batch by batch from a planner's
// proposals until their statistics align with target macro-statistics.
//
// Data flows in six steps:
//
//  1. Targets. Fit computes them from a table (every variable's marginal,
//     the joints of the dependency groups, fine marginals of numeric
//     variables, all over macro's quantile bins); FitTargets takes them as
//     aggregates (a macro targets file), the case the paper is about. Only
//     aggregates are kept. Overrides change target shares for what-if runs.
//  2. Dependencies C. Fixed by Config.Joints, or inferred once by the
//     Planner (the LLM planner asks an LLM; the stat planner ranks pairs by
//     mutual information). C is recorded in the Result and the trace.
//  3. Guidance. Each iteration, the signed discrepancy per cell (target
//     share minus synthetic count, in shares of the output size) gives the
//     most under-represented joint and marginal cells; a numeric variable's
//     worst main bin is refined into sub-bins. RenderProposalPrompt turns
//     them into readable lines (prompts/*.tmpl): aggregates only.
//  4. Plan. The Planner returns proposals: one category or one numeric range
//     per variable, and a count. The loop repairs what it can (a unique
//     case-insensitive category match, ranges clipped to the domain, missing
//     variables filled from the marginal guidance, counts capped to the
//     budget), rejects the rest, and counts every repair.
//  5. Sample. Records are drawn from each proposal (categories copied,
//     numbers uniform inside the range, integers uniform over the integers
//     inside it) with the run's seed, appended, and counted incrementally
//     into the synthetic tables: an iteration costs time proportional to its
//     batch, not to the records made so far. An optional removal step drops
//     records from the most over-represented cell (off by default).
//  6. Stop at Config.Iterations, at the output size, or below
//     Config.Tolerance; Sample returns the table and Result summarises the
//     run; Trace receives one JSON line per iteration.
//
// Grouped tables (households of persons) have two levels: group-level
// variables are counted once per group and member-level ones once per
// member. A proposal holds the group's values and a list of member
// proposals; the group size is the length of that list.
//
// The Stat planner uses no LLM: results it produces are labelled so
// (StatLabel) wherever they appear.
package synthor
