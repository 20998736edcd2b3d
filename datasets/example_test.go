package datasets_test

import (
	"fmt"
	"log"

	"github.com/synthor/synthor/datasets"
)

func ExampleLookup() {
	d, err := datasets.Lookup("ecommerce-bn")
	if err != nil {
		log.Fatal(err)
	}
	t, err := d.Generate(d.DefaultRows, 1)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(t.NumRows(), t.Schema().Names())
	_, err = datasets.Lookup("ecommerce")
	fmt.Println(err)
	// Output:
	// 2000 [user_age user_gender user_location_tier product_category price payment_method]
	// unknown dataset "ecommerce" (valid: adult, cps1988, credit-g, ecommerce-bn, eusilc, flights, income, mobility, population, superstore)
}

func ExampleEcommerceParams_PriceMean() {
	p := &datasets.Ecommerce
	for c, name := range p.Categories {
		fmt.Printf("%s: %.2f\n", name, p.PriceMean(c))
	}
	fmt.Printf("age: %.3f\n", p.AgeMean())
	// Output:
	// Electronics: 941.89
	// Apparel: 437.33
	// Food & Beverages: 358.33
	// Furniture & Appliances: 480.54
	// age: 35.839
}

func ExamplePopulation() {
	t := datasets.Population(1000, 42)
	check, err := datasets.CheckPopulation(t)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(t.GroupKey, check.Households, check.BadHouseholds, check.HouseholdRejection())
	// Output:
	// household_id 1000 0 0
}

func ExampleMobility() {
	t := datasets.Mobility(datasets.MobilityDefaultTrips, 1)
	fmt.Println(t.NumRows(), t.Schema().Names())
	// Output:
	// 30000 [time_bin activity origin destination distance mode]
}

func ExampleAdult() {
	t, err := datasets.Adult("test")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(t.NumRows(), t.NumCols(), t.Col("income").Categories)
	// Output:
	// 16281 15 [<=50K >50K]
}

// Split holds out a share of the records by seed; in a grouped table the
// records are households, so no household is split.
func ExampleSplit() {
	households := datasets.Population(1000, 1)
	train, holdout, err := datasets.Split(households, 0.2, 42)
	if err != nil {
		fmt.Println(err)
		return
	}
	tg, _ := train.Groups()
	hg, _ := holdout.Groups()
	fmt.Println(len(tg), "training households,", len(hg), "held out")
	fmt.Println(train.NumRows()+holdout.NumRows() == households.NumRows())
	// Output:
	// 800 training households, 200 held out
	// true
}
