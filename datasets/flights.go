package datasets

import (
	"errors"
	"fmt"
	"math"

	"github.com/synthor/synthor/table"
)

// airportsFile is the cache file of the airport coordinates that flights
// is joined with.
const airportsFile = "airports.csv"

func flightsDataset() *Dataset {
	d := &Dataset{
		Name:   "flights",
		Domain: "mobility",
		Description: "3,000,000 US domestic flights of 2001 (date, delay, distance, origin, destination) " +
			"joined with airport coordinates",
		Licence: "BSD-3-Clause (npm package vega-datasets); flight records from the US Department of " +
			"Transportation (public domain)",
		Provenance: "data/flights-3m.parquet and data/airports.csv of the npm package vega-datasets 3.2.1 " +
			"(Bureau of Transportation Statistics on-time data, 2001)",
		Target:     "delay",
		Rows:       3_000_000,
		SampleRows: true,
		Fields: []table.Field{
			field("date", kTime, "scheduled departure, local time of the origin airport"),
			field("delay", kInt, "arrival delay in minutes (negative when early)"),
			field("distance", kInt, "flight distance in miles"),
			field("origin", kCat, "IATA code of the origin airport"),
			field("destination", kCat, "IATA code of the destination airport"),
			field("origin_latitude", kFloat, "latitude of the origin airport in degrees"),
			field("origin_longitude", kFloat, "longitude of the origin airport in degrees"),
			field("destination_latitude", kFloat, "latitude of the destination airport in degrees"),
			field("destination_longitude", kFloat, "longitude of the destination airport in degrees"),
		},
	}
	const flightsMember, airportsMember = "package/data/flights-3m.parquet", "package/data/airports.csv"
	d.Source = &Source{
		Package: Package{Registry: "npm", Name: "vega-datasets", Version: "3.2.1", File: "vega-datasets-3.2.1.tgz",
			SHA256: "6f72fda460a9863fae5fcb32f85bcd49e1761fdea6dc6cf9f4962472881cc5a3"},
		Members: []string{flightsMember, airportsMember},
		convert: func(files map[string]string) ([]output, error) {
			f, err := table.ReadFile(files[flightsMember], table.ReadOptions{})
			if err != nil {
				return nil, err
			}
			a, err := table.ReadFile(files[airportsMember], table.ReadOptions{
				Schema:     &table.Schema{Fields: []table.Field{{Name: "iata", Kind: table.Text}}},
				NullValues: []string{""},
			})
			if err != nil {
				return nil, err
			}
			a, err = selectColumns(a, "iata", "latitude", "longitude")
			if err != nil {
				return nil, fmt.Errorf("%s: %w", airportsMember, err)
			}
			// Check that the pair joins into the catalog's columns.
			if _, err := joinAirports(map[string]*table.Table{dataFile: f, airportsFile: a}); err != nil {
				return nil, err
			}
			return []output{{dataFile, f}, {airportsFile, a}}, nil
		},
		join: joinAirports,
	}
	return fetchedDataset(d)
}

// selectColumns returns a table of the named columns of t.
func selectColumns(t *table.Table, names ...string) (*table.Table, error) {
	cols := make([]*table.Column, len(names))
	for i, n := range names {
		c, err := t.Lookup(n)
		if err != nil {
			return nil, err
		}
		cols[i] = c
	}
	return table.New(cols...)
}

// joinAirports adds the coordinates of each flight's origin and
// destination airports; an airport missing from the list gives missing
// coordinates. Coordinates are looked up once per airport code, not once
// per flight.
func joinAirports(outs map[string]*table.Table) (*table.Table, error) {
	f, a := outs[dataFile], outs[airportsFile]
	if f == nil || a == nil {
		return nil, errors.New("flights or airports table missing")
	}
	iata, err := a.Lookup("iata")
	if err != nil {
		return nil, fmt.Errorf("airports: %w", err)
	}
	lat, err := a.Lookup("latitude")
	if err != nil {
		return nil, fmt.Errorf("airports: %w", err)
	}
	lon, err := a.Lookup("longitude")
	if err != nil {
		return nil, fmt.Errorf("airports: %w", err)
	}
	if !lat.Kind.Numeric() || !lon.Kind.Numeric() {
		return nil, errors.New("airports: latitude and longitude are not numeric")
	}
	coords := make(map[string][2]float64, a.NumRows())
	for i := range a.NumRows() {
		if !iata.IsNull(i) && !lat.IsNull(i) && !lon.IsNull(i) {
			coords[iata.String(i)] = [2]float64{lat.Float(i), lon.Float(i)}
		}
	}
	cols := append([]*table.Column(nil), f.Cols...)
	for _, end := range []string{"origin", "destination"} {
		c, err := f.Lookup(end)
		if err != nil {
			return nil, fmt.Errorf("flights: %w", err)
		}
		if c.Kind != table.Categorical {
			return nil, fmt.Errorf("flights: column %q is %s, want categorical", end, c.Kind)
		}
		byCode := make([][2]float64, len(c.Dict))
		for k, s := range c.Dict {
			xy, ok := coords[s]
			if !ok {
				xy = [2]float64{math.NaN(), math.NaN()}
			}
			byCode[k] = xy
		}
		la, lo := make([]float64, len(c.Codes)), make([]float64, len(c.Codes))
		for i, k := range c.Codes {
			if k == table.Missing {
				la[i], lo[i] = math.NaN(), math.NaN()
				continue
			}
			la[i], lo[i] = byCode[k][0], byCode[k][1]
		}
		cols = append(cols, table.NewFloat(end+"_latitude", la), table.NewFloat(end+"_longitude", lo))
	}
	return table.New(cols...)
}
