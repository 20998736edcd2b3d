package metrics

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/synthor/synthor/table"
)

const privacyGroup = "privacy"

// Names of the privacy scores.
const (
	NameDCRMedian      = "dcr_median"
	NameDCRP5          = "dcr_p5"
	NameDCRShare       = "dcr_share"
	NameNNDRMedian     = "nndr_median"
	NameExactMatchRate = "exact_match_rate"
	NameDistinctShare  = "distinct_share"
	NameDuplicateRate  = "duplicate_rate"
)

// privacyStream is the second PCG word of the DCR-share subsample.
const privacyStream = 0x70726976

// DCRResult holds the nearest-neighbour distances of each synthetic row.
type DCRResult struct {
	// DCR is the Gower distance from each synthetic row to its closest
	// training row.
	DCR []float64
	// NNDR is the ratio of the distances to the closest and second-closest
	// training rows, in [0, 1]; 0 when the closest is at distance 0 (an
	// exact copy), 1 when the training table has a single row.
	NNDR []float64
}

// DCR returns the distance to the closest record (Gower distance, see
// gower.go) from each row of synth to the rows of train, and the
// nearest-neighbour distance ratio, over the columns of train that synth
// holds with a compatible kind (text columns and the group key left out);
// numeric ranges come from train. Synthetic rows equal to a training row
// are found by hashing and get 0 for both without a search. Memory is
// linear in the rows.
func DCR(ctx context.Context, synth, train *table.Table) (DCRResult, error) {
	if synth.NumRows() == 0 || train.NumRows() == 0 {
		return DCRResult{}, fmt.Errorf("dcr: %d synthetic and %d training rows: %w", synth.NumRows(), train.NumRows(), ErrEmpty)
	}
	cols := encodeTables(nil, train, synth)
	if len(cols) == 0 {
		return DCRResult{}, fmt.Errorf("dcr: no column to compare")
	}
	return dcr(ctx, cols, 1, 0)
}

// dcr computes DCRResult from table q (query) to table r of cols.
func dcr(ctx context.Context, cols []mixedCol, q, r int) (DCRResult, error) {
	s := newGowerSpace(cols, r)
	ref := s.rows(cols, r, nil)
	query := s.rows(cols, q, nil)
	exact := matches(cols, q, r)
	d1, d2, err := s.nearest(ctx, query, ref, true, exact)
	if err != nil {
		return DCRResult{}, err
	}
	out := DCRResult{DCR: d1, NNDR: make([]float64, len(d1))}
	for i := range d1 {
		switch {
		case exact[i] || d1[i] == 0:
			out.NNDR[i] = 0
		case math.IsInf(d2[i], 1):
			out.NNDR[i] = 1
		default:
			out.NNDR[i] = d1[i] / d2[i]
		}
	}
	return out, nil
}

// DCRShare returns the share of synthetic rows closer (Gower distance) to
// the training table than to the holdout, ties counting ½, with both sides
// drawn (seeded, without replacement) to the size of the smaller one, as
// mostlyai-qa reports it: ½ when the synthesizer generalises, near 1 when
// it copies its training rows. Numeric ranges come from the whole training
// table.
func DCRShare(ctx context.Context, synth, train, holdout *table.Table, seed uint64) (float64, error) {
	if synth.NumRows() == 0 || train.NumRows() == 0 || holdout.NumRows() == 0 {
		return math.NaN(), fmt.Errorf("dcr share: %d synthetic, %d training and %d holdout rows: %w", synth.NumRows(), train.NumRows(), holdout.NumRows(), ErrEmpty)
	}
	cols := encodeTables(nil, train, synth, holdout)
	if len(cols) == 0 {
		return math.NaN(), fmt.Errorf("dcr share: no column to compare")
	}
	return dcrShare(ctx, cols, seed)
}

func dcrShare(ctx context.Context, cols []mixedCol, seed uint64) (float64, error) {
	rng := rand.New(rand.NewPCG(seed, privacyStream))
	nt, nh := cols[0].len(0), cols[0].len(2)
	k := min(nt, nh)
	ti, hi := sample(rng, nt, k), sample(rng, nh, k)
	slices.Sort(ti)
	slices.Sort(hi)
	s := newGowerSpace(cols, 0)
	query := s.rows(cols, 1, nil)
	dt, _, err := s.nearest(ctx, query, s.rows(cols, 0, ti), false, nil)
	if err != nil {
		return math.NaN(), err
	}
	dh, _, err := s.nearest(ctx, query, s.rows(cols, 2, hi), false, nil)
	if err != nil {
		return math.NaN(), err
	}
	var share float64
	for i := range dt {
		switch {
		case dt[i] < dh[i]:
			share++
		case dt[i] == dh[i]:
			share += 0.5
		}
	}
	return share / float64(len(dt)), nil
}

// Privacy scores how close the synthetic rows come to the training rows
// (Input.Real):
//
//   - dcr_median, dcr_p5: the median and 5th percentile (linear
//     interpolation, numpy's default) of the distance to the closest record
//     (DCR, Gower distance); higher is more private.
//   - dcr_share: DCRShare against Input.Holdout, ½ ideal (Better says lower:
//     above ½ the synthetic rows sit closer to training than to unseen real
//     rows); undefined without a holdout.
//   - nndr_median: the median nearest-neighbour distance ratio; low values
//     mean rows that single out one training record.
//   - exact_match_rate: the share of synthetic rows equal, column for
//     column, to some training row.
//   - distinct_share: distinct synthetic rows / synthetic rows.
//   - duplicate_rate: the share of synthetic rows whose value occurs more
//     than once in the synthetic table.
//
// All cover the compared columns (those of the training table that the
// synthetic one holds with a compatible kind; no text column or group key).
//
// Reference: mostlyai-qa (DCR share, NNDR); Zhao et al. (2021), "CTAB-GAN"
// (DCR and NNDR percentiles).
func Privacy(ctx context.Context, in Input) ([]Score, error) {
	if in.Real == nil || in.Synth == nil {
		return []Score{Undefined(NameDCRMedian, privacyGroup, []string{}, Higher, "privacy needs a training (real) and a synthetic table")}, nil
	}
	ts := []*table.Table{in.Real, in.Synth}
	if in.Holdout != nil {
		ts = append(ts, in.Holdout)
	}
	cols := encodeTables(nil, ts...)
	names := make([]string, len(cols))
	for j, c := range cols {
		names[j] = c.name
	}
	mk := func(name string, better Direction, v float64, err error) Score {
		if err != nil {
			return Undefined(name, privacyGroup, names, better, err.Error())
		}
		return Score{Name: name, Group: privacyGroup, Columns: names, Value: v, Better: better}
	}
	var out []Score
	var res DCRResult
	var err error
	switch {
	case len(cols) == 0:
		err = fmt.Errorf("no column to compare")
	case in.Real.NumRows() == 0 || in.Synth.NumRows() == 0:
		err = fmt.Errorf("%d training and %d synthetic rows: %w", in.Real.NumRows(), in.Synth.NumRows(), ErrEmpty)
	default:
		res, err = dcr(ctx, cols, 1, 0)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	dcrs, nndr := slices.Clone(res.DCR), slices.Clone(res.NNDR)
	slices.Sort(dcrs)
	slices.Sort(nndr)
	out = append(out,
		mk(NameDCRMedian, Higher, quantileSorted(dcrs, 0.5), err),
		mk(NameDCRP5, Higher, quantileSorted(dcrs, 0.05), err))
	shareErr := err
	share := math.NaN()
	switch {
	case err != nil:
	case in.Holdout == nil:
		shareErr = fmt.Errorf("dcr share needs a real holdout table the synthesizer never saw (--holdout)")
	case in.Holdout.NumRows() == 0:
		shareErr = fmt.Errorf("the holdout table is empty: %w", ErrEmpty)
	default:
		share, shareErr = dcrShare(ctx, cols, in.Seed)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	s := mk(NameDCRShare, Lower, share, shareErr)
	s.Params = map[string]any{"ideal": 0.5, "seed": in.Seed}
	if in.Holdout != nil {
		s.Reference, s.ReferenceKind = 0.5, ReferenceFixed
		s.ReferenceReason = "by construction: the training and holdout rows are drawn to equal size, so rows drawn like either are as close to one as to the other"
	}
	out = append(out, s, mk(NameNNDRMedian, Higher, quantileSorted(nndr, 0.5), err))
	if len(cols) == 0 || in.Synth.NumRows() == 0 {
		e := err
		if e == nil {
			e = fmt.Errorf("no synthetic rows: %w", ErrEmpty)
		}
		return append(out, mk(NameExactMatchRate, Lower, 0, e), mk(NameDistinctShare, Higher, 0, e), mk(NameDuplicateRate, Lower, 0, e)), nil
	}
	ns := float64(in.Synth.NumRows())
	em := 0.0
	for _, m := range matches(cols, 1, 0) {
		if m {
			em++
		}
	}
	distinct, dup := duplicates(cols, 1)
	return append(out,
		mk(NameExactMatchRate, Lower, em/ns, nil),
		mk(NameDistinctShare, Higher, float64(distinct)/ns, nil),
		mk(NameDuplicateRate, Lower, float64(dup)/ns, nil)), nil
}

// quantileSorted returns the q-quantile of sorted values by linear
// interpolation between order statistics (numpy.quantile's default,
// Hyndman & Fan type 7); NaN for no values.
func quantileSorted(v []float64, q float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	h := q * float64(len(v)-1)
	lo := int(math.Floor(h))
	if lo+1 >= len(v) {
		return v[len(v)-1]
	}
	return v[lo] + (h-float64(lo))*(v[lo+1]-v[lo])
}
