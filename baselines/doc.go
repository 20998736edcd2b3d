// Package baselines holds the synthesizers LLMSynthor is measured against.
// It only implements them: the interface they satisfy (Synthesizer, with
// its contract, and the optional TargetFitter and Labeler) and the
// registry that finds them by name with their params are the methods
// package's, where the compile-time checks of every type stand.
//
// Data flows through every method in the same three steps:
//
//  1. NewX(XConfig) builds a method; each has a typed config
//     (BayesNetConfig, CARTConfig, ...) whose zero value works, and
//     methods.New builds it from a config's params.
//  2. Fit(ctx, train) learns from the training table and keeps only what
//     the method needs (marginals, a correlation matrix, a network, trees,
//     rendered prompts; bootstrap and cart keep the rows they copy from).
//     Macro-only methods (ipf) also offer FitTargets(ctx, *macro.Targets)
//     and then never see a record. ipu instead offers FitSample(ctx, seed,
//     *macro.Targets): a seed sample of households weighted to grouped
//     (household and person) controls; its Fit refuses a table alone.
//  3. Sample(ctx, n, seed) draws n rows from a math/rand/v2 PCG stream
//     seeded by seed, into a table with the training schema: the same
//     column order, kinds, dictionaries and group key. The same fitted
//     method, n and seed give byte-identical output (llm-icl: for a
//     deterministic or cached client; external: for a program that honours
//     --seed).
//
// The methods, from floor to ceiling:
//
//	uniform          each column uniform over its observed domain
//	independent      each column from its own empirical marginal
//	gaussian-copula  empirical marginals, Gaussian copula on normal scores
//	bayes-net        PrivBayes-style network of degree k, optional ε-DP
//	cart             synthpop-style sequential CART with leaf donors
//	ipf              macro-only: raking to the targets, integerised sampling
//	ipu              a seed sample of households weighted to household and
//	                 person controls (Ye et al. 2009), integerised, expanded:
//	                 copies seed households
//	llm-icl          records written by an LLM from schema and marginals
//	external         any program behind a CSV/JSON file contract
//	bootstrap        resampled training records: copies real records
//
// Shared conventions: numeric output stays inside the observed range
// (ipf: inside the target bins, whose outer edges are the observed range;
// llm-icl: inside the schema's min/max where the schema gives them;
// external: whatever the program writes, checked only against the schema);
// missing values are reproduced at about their observed share; integer
// and datetime columns are rounded to whole units. Grouped tables (a group
// key, such as households of persons) are modelled by bootstrap,
// independent, ipu and external, where n counts groups; the other methods
// refuse them with an error wrapping ErrGrouped that names the method.
package baselines
