// Package synthor implements LLMSynthor (Tang et al., "LLMSynthor:
// Macro-Aligned Micro-Records Synthesis with Large Language Models", arXiv
// 2505.14752): records are built batch by batch from a planner's
// proposals until their statistics align with target macro-statistics.
//
// Data flows in six steps:
//
//  1. Targets. Fit computes them from a table (every variable's marginal,
//     the joints of the dependency groups, fine marginals of numeric
//     variables); FitTargets takes them as aggregates (a macro targets
//     file), the case the paper is about; a grouped targets file
//     (households of persons, grouped.go) gives both levels and the
//     composition. Only aggregates are kept.
//     Numeric variables are binned as the data has them (macro.NumericBins):
//     a column with at most Config.Discrete distinct values is discrete
//     (every value a cell), a value holding Config.PointShare of a column
//     is a point mass with a cell of its own, the rest quantile bins; every
//     variable has a missing cell. Columns the loop cannot plan (all
//     missing, constant, identifiers, free text: columns.go) are made
//     outside it and reported. Overrides change target shares.
//  2. Dependencies C. Fixed by Config.Joints, chosen from the data
//     (AutoDependencies: the stat planner with n_joints unset), or inferred
//     once by the Planner (the LLM planner asks an LLM; the stat planner
//     with n_joints set ranks pairs by mutual information). C is recorded
//     in the Result and the trace.
//  3. Guidance. Each iteration, the signed discrepancy per cell (target
//     share minus synthetic count, in shares of the output size) gives the
//     most under-represented joint and marginal cells (missing cells
//     included; every variable's worst cell among the marginal lines); a
//     numeric variable's worst main bin is refined into sub-bins.
//     RenderProposalPrompt turns them into readable lines (prompts/*.tmpl),
//     with every variable's domain: aggregates only.
//  4. Plan. The Planner returns proposals: one category, numeric range or
//     null (missing) per variable, and a count. The loop (loop.go) repairs
//     what it can (a unique case-insensitive category match, ranges clipped
//     to the domain, missing variables filled from the marginal guidance,
//     counts adding up to more than the batch scaled down to it, counts
//     capped to the budget), rejects the rest, and counts every repair.
//  5. Sample. Records are drawn from each proposal (store.go: categories
//     copied; numbers by the target's fine shape inside the range, or
//     uniformly with sampling=uniform; integers as integers, floats to the
//     column's decimals, never outside the observed range) with the run's
//     seed, appended, and counted incrementally into the synthetic tables:
//     an iteration costs time proportional to its batch, not to the records
//     made so far. An optional removal step (removal.go) drops records from
//     the most over-represented cell (off by default).
//  6. Stop at Config.Iterations, at the output size, or below
//     Config.Tolerance; a run that adds nothing for Config.MaxSkips
//     iterations ends with an error naming the variables its proposals
//     were rejected on. SampleResult returns the table (output.go) and the
//     Result; Trace receives one JSON line per iteration. A fitted
//     Synthesizer may be sampled from several goroutines at once.
//
// A prior (Config.Prior, Synthesizer.Prior; prior.go, donors.go) changes
// step 5: records are not drawn value by value from a proposal but taken
// whole from the prior's records, a model's samples (ModelPrior: a model
// fitted to the training table, the cart baseline through the registry)
// or a given sample (SamplePrior: flat records or whole groups, drawn with
// replacement), among those whose values lie in the cells the proposal
// names; of a few such records drawn at random, the one that keeps every
// target table closest to its shares is taken. The stat planner then
// names one target cell per proposal and leaves the rest to the prior.
// Why donors rather than conditional draws from the model: a proposal may
// name any cells, and a sequential model (CART) can only be conditioned on
// the columns it visits first, so conditioning on arbitrary cells would
// mean rejection sampling per proposal; drawing the model's records once
// (four per output record) and matching them on the named cells costs one
// sample of the model and an index per target table, keeps every record a
// whole model record (its relations between columns, numbers inside the
// ranges, categories that differ between a proposal's records), and serves
// a given sample, flat or grouped, through the same path. The model's
// records equal to a training record are dropped, so the output copies no
// more training records than the model does. Fitted to grouped targets
// (FitTargets: controls), a sample prior's run ends with a swap
// refinement (refine.go): output households are swapped for other seed
// households, whole, while the squared %RMSE of the control tables falls.
// Config.Prior "none" is the loop as before, byte for byte.
//
// Config.Profile "paper" pins the paper's choices (PaperConfig); the
// defaults are this package's choices for real tables.
//
// Grouped tables (households of persons) have two levels: group-level
// variables are counted once per group and member-level ones once per
// member. A proposal holds the group's values and a list of member
// proposals; the group size is the length of that list (the paper does
// not say how a household is proposed: this choice is marked [ours] in
// docs/LLMSYNTHOR.md, and so is what follows). Member-level targets alone
// do not say which members share a group, so Fit adds group-level
// variables derived from each group's members (compose.go;
// Config.Composition "none" turns them off), targeted like any group
// variable: the composition, the count
// of members per band of a member-level age variable (under 18, 18-64, 65
// and more) as one category, and, for a member categorical that groups
// share far more often than independent members would (race in
// households), the shared value or "mixed". The age variable is also
// binned at the band cuts and where a member category's range of ages
// starts or ends when that sets apart 5% of the members (5 for
// Preschool, 16 for Under 16). The stat planner
// proposes a group's members from its derived values: one member per
// counted band, its age drawn inside the band, a shared value copied to
// every member, the rest completed from the member joints so that every
// joint the draw fixes holds records. When a group is drawn its derived
// values are recomputed from the members drawn, so the synthetic counts do
// not depend on what a planner (an LLM) claimed; a value a planner gets
// wrong is never a reason to reject its proposal. Only aggregates are used.
//
// The Stat planner uses no LLM: results it produces are labelled so
// (StatLabel) wherever they appear.
package synthor
