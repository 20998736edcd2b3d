// Package datasets is synthor's catalog of benchmark tables: three
// controlled generators whose exact distribution is known, and real data
// shipped with the module.
//
// Data flows through it in three steps:
//
//  1. Lookup (or Catalog) finds a Dataset by name. Its metadata (domain,
//     description, licence, provenance, group key, label column) is what
//     reports and `synthor datasets show` print.
//  2. A controlled dataset is produced by Dataset.Generate(n, seed), which
//     calls EcommerceBN, Population or Mobility: every random draw comes
//     from one math/rand/v2 PCG stream seeded with seed (and a per-generator
//     stream constant), so the same n and seed give an identical table. A
//     real dataset is read by Dataset.Load(split) from a gzip copy embedded
//     in the binary (Adult).
//  3. The result is a *table.Table whose fields carry a one-line
//     Description (used in LLM prompts), categories in the documented order
//     and the numeric domain (Min/Max). Parameters are exported (Ecommerce,
//     PopulationModel, MobilityModel) so tests and truth-based scoring can
//     compare synthetic data with the generating distribution rather than
//     with one sample of it.
//
// # ecommerce-bn (LLMSynthor §5.1)
//
// p(A) p(G) p(L) p(C|A,G) p(X|C) p(M|L), parameters in Ecommerce:
//   - age A: mixture of Normal(24, 6), Normal(38, 15), Normal(55, 10), each
//     truncated to [18, 90], with weights 0.5, 0.45, 0.15 as printed; they sum
//     to 1.10 and are divided by 1.10 (0.4545, 0.4091, 0.1364). Rounded to
//     0.01 year.
//   - gender G: Male 0.45, Female 0.55; tier L: Developed 0.4, Developing 0.6.
//   - category C given age group (young < 35 <= middle < 55 <= old, of the
//     rounded age) and gender: see Ecommerce.CategoryProbs.
//   - price X given C: Normal truncated to [0, 2000], (mean, sd) =
//     Electronics (800, 1000), Apparel (100, 500), Food & Beverages
//     (100, 400), Furniture & Appliances (200, 500). Rounded to 0.01.
//   - payment M given L: Developed 0.70/0.30, Developing 0.40/0.60
//     (Online Payment / Cash on Delivery).
//
// Truncated normals are sampled by inversion with one uniform per value:
// x = mu + sigma*Phi^-1(Phi(a) + u*(Phi(b)-Phi(a))), using gonum's
// distuv.UnitNormal.
//
// # population (LLMSynthor §5.2)
//
// A grouped table keyed by household_id; see PopulationModel for every
// parameter and Population for the dependency structure. Every household
// satisfies every rule checked by CheckPopulation.
//
// # mobility (LLMSynthor §5.3)
//
// Trips over a 10 x 10 grid of 200 m cells (2 km square); see MobilityModel
// for every parameter and Mobility for the structure (time bin -> activity ->
// destination zone, time bin -> origin zone, distance -> mode).
//
// # adult
//
// UCI Adult (Becker & Kohavi 1996, CC BY 4.0), train (default) and test
// splits, embedded as gzip copies of the project's shared files. The 6
// numeric columns are integers, the 9 others categorical with categories in
// order of first appearance; "?" (the source's missing-value mark) is kept
// as an ordinary category, as most published work does. income is the
// label.
package datasets
