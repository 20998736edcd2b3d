package reports

import (
	"strings"
	"testing"
)

// FuzzParseHeadline: any headline list parses or fails with an error,
// never a panic, and a parsed set renders back to what parses to it.
func FuzzParseHeadline(f *testing.F) {
	for _, s := range []string{"sdmetrics_quality,c2st_auc", "tstr_trtr_ratio[classifier=logistic]", "seconds[x=1]", "c2st_auc[", ",,", "dcr_share,dcr_share"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		hs, err := ParseHeadline(strings.Split(s, ","))
		if err != nil {
			return
		}
		var again []string
		for _, h := range hs {
			again = append(again, h.String())
		}
		back, err := ParseHeadline(again)
		if err != nil || len(back) != len(hs) {
			t.Fatalf("%q -> %q: %v", s, again, err)
		}
		for i := range hs {
			if back[i].String() != hs[i].String() {
				t.Fatalf("%q: %q then %q", s, hs[i], back[i])
			}
		}
	})
}

// FuzzParseEffect: a minimum effect parses to a finite, non-negative value
// or fails.
func FuzzParseEffect(f *testing.F) {
	for _, s := range []string{"c2st_auc=0.02", "seconds=50%", "x=", "=1", "x=-1", "x=1e400", "x=NaN%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, e, err := ParseEffect(s)
		if err != nil {
			return
		}
		if k == "" || e.Value < 0 || e.Value != e.Value || e.Value > 1e308 {
			t.Fatalf("%q: %q %+v", s, k, e)
		}
	})
}
