// Package rules is a small language for plausibility rules and policy
// queries over the rows of a table.Table and the groups of a grouped one
// (the persons of a household).
//
// # Data flow
//
// A rule file is parsed (Parse, ParseFile; the shipped files by Paper) into
// a Set of named definitions, each an expression tree. Set.Check binds every
// rule to a table, which resolves column names and checks that aggregates
// sit at a level that has members, then walks the groups once: record rules
// run on each row, group rules on each group, and the Report counts the
// violations per rule, the bad rows and the bad groups (a group is bad when
// it breaks a group rule or holds a bad row). Def.Value binds a query to a
// table and evaluates it once over all the groups for one number. Groups
// are the rows sharing a value of the group key (GroupRows), in any row
// order.
//
// # Files
//
//	# comment lines right above a definition are its Doc
//	name [label]: expression
//	    indented lines continue the expression
//
// For a rule the label "household" (or "group") makes it a group rule even
// without an aggregate: it is then checked once per group on the group's
// first row. For a query the label is its category.
//
// # Expressions
//
// A rule is "when C then E", "E when C" or "E": it holds when C is false or
// E is true. Operators, loosest first: or (||), and (&&), not (!),
// comparisons (== != < <= > >=, not chained) and "x in (a, b)" / "x not in
// (a, b)", + and -, * and /, unary minus. Literals are numbers (1_000, 2.5,
// 1e3), double-quoted strings with Go escapes, true and false; a column is
// a name (letters, digits, _) or any text between backticks.
//
// Functions: isint(x), missing(x), abs(x), and the aggregates count(),
// count(c), share(c), sum(x), mean(x), median(x), min(x), max(x), any(c),
// all(c), distinct(x), each taking an optional filter, as in
// "mean(age where income > 0)". An aggregate evaluates its argument once
// per member of the level it is used at: in a rule, the rows of the group;
// in a query, the groups of the table (or its rows, for an ungrouped
// table), so "median(sum(income))" is the median household income. A bare
// column at group level reads the group's first row (the householder, or a
// household-level value); at table level it is an error.
//
// Missing values: a column's missing value makes every comparison and "in"
// test false (so "income >= 0" fails on a missing income, and "when age <
// 5 then ..." does not apply to a missing age), arithmetic on it is
// missing, and a numeric aggregate skips it. Division by zero and an
// aggregate over no values (but sum, which is 0) are missing; a query whose
// value is missing is undefined. Text holding a number compares as that
// number.
//
// # Shipped files (rules/paper)
//
// population.rules holds LLMSynthor §5.2's population rules (Tang et al.,
// arXiv 2505.14752) and two of ours; population.queries its 16 policy
// queries in the six categories of its Table 4; ecommerce.rules the §5.1
// rules R1-R3, whose thresholds the paper does not give. Ours are: R1 an
// Electronics or Furniture & Appliances price below 10, R2 a buyer under
// 20 (users are 18 or older) spending over 1000 on Food & Beverages, R3 a
// buyer of 80 or more buying Electronics over 1500. On 200,000 records of
// the ecommerce-bn generator (seed 1) they reject 0.35%, 0.0065% and
// 0.004% (0.36% overall), against the paper's 0.5-0.6% on its real data.
//
// Errors name the file, line and column of the offending character and the
// rule, and for a binding error the table column ("population.rules:4:27:
// rule "preschool": no column "educaton" in the table"). The parser limits
// nesting depth and never panics (FuzzParse).
//
// The language is hand-written rather than built on an expression library
// (expr-lang, CEL): neither has group-level aggregates over a table's
// members with a where filter, and both would add a large dependency for a
// grammar of a few hundred lines.
package rules
