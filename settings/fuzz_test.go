package settings

import (
	"strings"
	"testing"
)

// Each parser either returns a value that reads back the same from its
// text form, or an error of one bounded line; never a panic.

func checkErr(t *testing.T, err error) {
	t.Helper()
	if msg := err.Error(); strings.Contains(msg, "\n") || len(msg) > 300 {
		t.Fatalf("error not one short line: %q", msg)
	}
}

func FuzzParseJoints(f *testing.F) {
	for _, s := range []string{"a,b;c,d,e", "", ";", "a", " a , b ; ", "a,,b;;c,d", "age,age", "a,b;b,a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		j, err := ParseJoints(s)
		if err != nil {
			checkErr(t, err)
			return
		}
		for _, g := range j {
			if len(g) < 2 {
				t.Fatalf("accepted group %v", g)
			}
			for _, c := range g {
				if c == "" || c != strings.TrimSpace(c) {
					t.Fatalf("accepted name %q", c)
				}
			}
		}
		again, err := ParseJoints(j.String())
		if err != nil || again.String() != j.String() {
			t.Fatalf("%q reads back as %q, %v", j.String(), again.String(), err)
		}
	})
}

func FuzzParseOverrides(f *testing.F) {
	for _, s := range []string{"a=b:0.5", "a=b:c:1,x=y:0", "a=b", ":", "=:", "a=b:NaN", "a=b:0.5,a=b:0.5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		os, err := ParseOverrides(s)
		if err != nil {
			checkErr(t, err)
			return
		}
		for _, o := range os {
			if !(o.Share >= 0 && o.Share <= 1) || o.Var == "" || o.Category == "" {
				t.Fatalf("accepted %+v", o)
			}
		}
		again, err := ParseOverrides(os.String())
		if err != nil || again.String() != os.String() {
			t.Fatalf("%q reads back as %q, %v", os.String(), again.String(), err)
		}
	})
}

func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"512MiB", "2GiB", "1.5GB", "100", "", "-1KiB", "GiB", "1.5", "0.5B", "99999999999999999999TB"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		z, err := ParseSize(s)
		if err != nil {
			checkErr(t, err)
			return
		}
		if z < 1 || z.Bytes() < 1 {
			t.Fatalf("ParseSize(%q) = %d", s, uint64(z))
		}
		if again, err := ParseSize(z.String()); err != nil || again != z {
			t.Fatalf("%q reads back as %d, %v", z.String(), uint64(again), err)
		}
	})
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"90s", "5", "0", "-1s", "1h30m", "1.5", "9999999999h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			checkErr(t, err)
			return
		}
		if d < 0 {
			t.Fatalf("ParseDuration(%q) = %v", s, d)
		}
		if again, err := ParseDuration(d.String()); err != nil || again != d {
			t.Fatalf("%q reads back as %v, %v", d.String(), again, err)
		}
	})
}

func FuzzParseSeeds(f *testing.F) {
	for _, s := range []string{"1", "1,2,3", "-1", "1.5", "1,1", "", "18446744073709551616"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ss, err := ParseSeeds(s)
		if err != nil {
			checkErr(t, err)
			return
		}
		if again, err := ParseSeeds(ss.String()); err != nil || again.String() != ss.String() {
			t.Fatalf("%q reads back as %q, %v", ss.String(), again.String(), err)
		}
		if r, err := ParseRows(s); err == nil && r < 0 {
			t.Fatalf("ParseRows(%q) = %d", s, r)
		}
	})
}

// FuzzOverlay: any bytes as a config file, decoded with any --set, give a
// value or one bounded line naming where; never a panic.
func FuzzOverlay(f *testing.F) {
	for _, s := range []string{
		"name: a\nseeds: [1, 2]\nlimits: {workers: 2, timeout: 5s, memory: 1GiB}\n",
		"items: [{name: a, rows: 3}]\n", "seeds: [-1]\n", "limits: {timeout: 5}\n", "a: &x [1]\nb: *x\n",
		"---\n---\n", ": :\n", "name: [\n", "limits:\n  memory: 1e400\n", "seeds: [1, 1]\n",
	} {
		f.Add([]byte(s), "limits.workers=3")
	}
	f.Fuzz(func(t *testing.T, b []byte, set string) {
		o, err := Parse(b, "c.yaml")
		if err != nil {
			checkErr(t, err)
			if !IsError(err) {
				t.Fatalf("not a settings error: %v", err)
			}
			return
		}
		if err := o.Set(set); err != nil {
			checkErr(t, err)
			return
		}
		var r run
		if err := o.Decode(&r); err != nil {
			checkErr(t, err)
			if !IsError(err) {
				t.Fatalf("not a settings error: %T %v", err, err)
			}
		}
	})
}
