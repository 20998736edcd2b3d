package settings

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
	"gopkg.in/yaml.v3"
)

// Every value type is a flag value.
var (
	_ pflag.Value = (*Joints)(nil)
	_ pflag.Value = (*Overrides)(nil)
	_ pflag.Value = (*Size)(nil)
	_ pflag.Value = (*Duration)(nil)
	_ pflag.Value = (*Seed)(nil)
	_ pflag.Value = (*Seeds)(nil)
	_ pflag.Value = (*Rows)(nil)
)

func TestParseJoints(t *testing.T) {
	for _, c := range []struct {
		in, want, err string
	}{
		{"a,b,c;c,x", "a,b,c;c,x", ""},
		{" a , b ; c,d ", "a,b;c,d", ""},
		{"age,age", "", "names column \"age\" twice"},
		{"a,b;b,a", "", "group 2 repeats group 1"},
		{"a", "", "needs two or more columns"},
		{"a,b;", "", "group 2 has an empty column name"},
		{"a,,b", "", "empty column name"},
		{"", "", "no groups given"},
		{"  ", "", "no groups given"},
	} {
		j, err := ParseJoints(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseJoints(%q) = %v, %v; want error %q", c.in, j, err, c.err)
			}
			continue
		}
		if err != nil || j.String() != c.want {
			t.Errorf("ParseJoints(%q) = %q, %v; want %q", c.in, j, err, c.want)
		}
	}
}

func TestParseOverrides(t *testing.T) {
	for _, c := range []struct {
		in  string
		out []Override
		err string
	}{
		{"product_category=Food & Beverages:0.4", []Override{{"product_category", "Food & Beverages", 0.4}}, ""},
		{"a=x:y:0.5, b=z:1", []Override{{"a", "x:y", 0.5}, {"b", "z", 1}}, ""},
		{"a=x:NaN", nil, "not a number in [0, 1]"},
		{"a=x:1.5", nil, "not a number in [0, 1]"},
		{"a=x:-0.1", nil, "not a number in [0, 1]"},
		{"a=x:0.5,a=x:0.2", nil, "overridden twice"},
		{"a=x:0.7,a=y:0.6", nil, "sum to 1.3, above 1"},
		{"a:0.5", nil, "want var=category:share"},
		{"=x:0.5", nil, "want var=category:share"},
		{"a=:0.5", nil, "want var=category:share"},
		{"a=x:0.5,", nil, "want var=category:share"},
		{"", nil, "no overrides given"},
	} {
		got, err := ParseOverrides(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseOverrides(%q) = %v, %v; want error %q", c.in, got, err, c.err)
			}
			continue
		}
		if err != nil || len(got) != len(c.out) {
			t.Fatalf("ParseOverrides(%q) = %v, %v", c.in, got, err)
		}
		for i := range got {
			if got[i] != c.out[i] {
				t.Errorf("ParseOverrides(%q)[%d] = %+v, want %+v", c.in, i, got[i], c.out[i])
			}
		}
	}
	var os Overrides
	if err := os.Set("a=x:0.5"); err != nil {
		t.Fatal(err)
	}
	if err := os.Set("b=y:0.1,c=z:0.2"); err != nil || len(os) != 3 {
		t.Fatalf("repeated Set: %v, %v", os, err)
	}
	if err := os.Set("a=x:0.3"); err == nil || len(os) != 3 {
		t.Errorf("a category overridden again in a later flag: %v, %v", os, err)
	}
}

func TestParseSize(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Size
		err  string
	}{
		{"512MiB", 512 << 20, ""},
		{"2GiB", 2 << 30, ""},
		{"2 gib", 2 << 30, ""},
		{"1.5GB", 1_500_000_000, ""},
		{"1.5KiB", 1536, ""},
		{"100B", 100, ""},
		{"1000000", 0, "has no unit"},
		{"10.5", 0, "has no unit"},
		{"2G", 0, "unknown unit"},
		{"0.5B", 0, "not a whole number of bytes"},
		{"0B", 0, "at least 1B"},
		{"-5GB", 0, "unknown unit"},
		{"9EiB", 0, "unknown unit"},
		{"9000000TiB", 0, "below 8EiB"},
		{"1e3MB", 0, "unknown unit"},
		{".5GB", 0, "is not a number"},
		{"5.GB", 0, "is not a number"},
		{"GiB", 0, "is not a number"},
		{"", 0, "has no unit"},
	} {
		got, err := ParseSize(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseSize(%q) = %d, %v; want error %q", c.in, got, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
	}
	for _, c := range []struct {
		z    Size
		want string
	}{{2 << 30, "2GiB"}, {1_500_000_000, "1500MB"}, {1537, "1537B"}, {1536, "1536B"}, {1 << 40, "1TiB"}} {
		if got := c.z.String(); got != c.want {
			t.Errorf("Size(%d).String() = %q, want %q", uint64(c.z), got, c.want)
		}
	}
}

func TestParseDuration(t *testing.T) {
	for _, c := range []struct {
		in   string
		want time.Duration
		err  string
	}{
		{"90s", 90 * time.Second, ""},
		{"1h30m", 90 * time.Minute, ""},
		{"250ms", 250 * time.Millisecond, ""},
		{"0", 0, ""},
		{"5", 0, "has no unit"},
		{"1.5", 0, "has no unit"},
		{"-5s", 0, "negative"},
		{"soon", 0, "want e.g. 90s"},
		{"", 0, "no duration given"},
	} {
		got, err := ParseDuration(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseDuration(%q) = %v, %v; want error %q", c.in, got, err, c.err)
			}
			continue
		}
		if err != nil || got.D() != c.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
}

func TestParseSeedsAndRows(t *testing.T) {
	for _, c := range []struct {
		in  string
		ok  bool
		err string
	}{
		{"1,2,3", true, ""},
		{"0, 18446744073709551615", true, ""},
		{"-1", false, "not a whole number >= 0"},
		{"1.5", false, "not a whole number >= 0"},
		{"1e3", false, "not a whole number >= 0"},
		{"18446744073709551616", false, "is above"},
		{"1,1,1", false, "seed 1 is given twice"},
		{"", false, "not a whole number"},
	} {
		got, err := ParseSeeds(c.in)
		if c.ok != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("ParseSeeds(%q) = %v, %v; want ok %v, error %q", c.in, got, err, c.ok, c.err)
		}
	}
	for _, c := range []struct {
		in   string
		want Rows
		ok   bool
	}{{"0", 0, true}, {"2000", 2000, true}, {"-5", 0, false}, {"10.5", 0, false}, {"1e6", 0, false}, {"99999999999999999999", 0, false}} {
		got, err := ParseRows(c.in)
		if c.ok != (err == nil) || got != c.want {
			t.Errorf("ParseRows(%q) = %d, %v; want %d, ok %v", c.in, got, err, c.want, c.ok)
		}
	}
}

// TestYAMLValues decodes each type from YAML in its forms and checks that
// a bad value's error names its line.
func TestYAMLValues(t *testing.T) {
	var v struct {
		Joints    Joints    `yaml:"joints"`
		Lists     Joints    `yaml:"lists"`
		Overrides Overrides `yaml:"overrides"`
		Size      Size      `yaml:"size"`
		Timeout   Duration  `yaml:"timeout"`
		Seeds     Seeds     `yaml:"seeds"`
		Seed      Seed      `yaml:"seed"`
		Rows      Rows      `yaml:"rows"`
	}
	good := "joints: a,b;c,d\nlists: [[a, b], 'c,d']\noverrides: [x=y:0.5, 'z=w,v:0.1']\nsize: 2GiB\ntimeout: 10m\nseeds: [1, 2]\nseed: 7\nrows: 300\n"
	if err := yaml.Unmarshal([]byte(good), &v); err != nil {
		t.Fatal(err)
	}
	if v.Joints.String() != "a,b;c,d" || v.Lists.String() != "a,b;c,d" || v.Overrides[1].Category != "w,v" ||
		v.Size != 2<<30 || v.Timeout.D() != 10*time.Minute || len(v.Seeds) != 2 || v.Seed != 7 || v.Rows != 300 {
		t.Errorf("decoded %+v", v)
	}
	for _, c := range []struct{ doc, want string }{
		{"joints: 'age,age'", "line 1, column 9: group 1 names column \"age\" twice"},
		{"lists:\n  - [a]\n", "line 2, column 3: group 1"},
		{"timeout: 5", "line 1, column 10: duration \"5\" has no unit"},
		{"size: 10.5", "line 1, column 7: size \"10.5\" has no unit"},
		{"seeds: [1, -1]", "line 1, column 12: seed \"-1\" is not a whole number"},
		{"seeds:\n  - 1\n  - 1.5\n", "line 3, column 5: seed \"1.5\""},
		{"seeds: [1, 1, 1]", "seed 1 is given twice"},
		{"seeds: []", "no seeds given"},
		{"rows: -5", "line 1, column 7: \"-5\" is not a whole number"},
		{"overrides: 'a=b:2'", "not a number in [0, 1]"},
	} {
		err := yaml.Unmarshal([]byte(c.doc), &v)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.doc, err, c.want)
		}
	}
}

// TestJSONRoundTrip: each type is carried through JSON and read back the
// same.
func TestJSONRoundTrip(t *testing.T) {
	type carried struct {
		Joints    Joints    `json:"joints"`
		Overrides Overrides `json:"overrides"`
		Size      Size      `json:"size"`
		Timeout   Duration  `json:"timeout"`
		Seeds     Seeds     `json:"seeds"`
	}
	in := carried{Joints{{"a", "b"}}, Overrides{{"x", "y,z", 0.25}}, 1_500_000_000, Duration(90 * time.Second), Seeds{3, 1}}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"joints":[["a","b"]],"overrides":["x=y,z:0.25"],"size":"1500MB","timeout":"1m30s","seeds":[3,1]}`; string(b) != want {
		t.Errorf("JSON %s, want %s", b, want)
	}
	var out carried
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out.Joints.String() != "a,b" || out.Overrides[0] != in.Overrides[0] || out.Size != in.Size || out.Timeout != in.Timeout || out.Seeds.String() != "3,1" {
		t.Errorf("read back %+v", out)
	}
	for _, bad := range []string{`{"joints":[["a"]]}`, `{"seeds":[1,1]}`, `{"timeout":"5"}`, `{"size":"12"}`, `{"overrides":["a=b:3"]}`} {
		if err := json.Unmarshal([]byte(bad), &out); err == nil {
			t.Errorf("%s read without error", bad)
		}
	}
}

func TestQuoteBounded(t *testing.T) {
	q := Quote(strings.Repeat("é", 1000))
	if len(q) > maxQuote || !strings.HasSuffix(q, "...") {
		t.Errorf("Quote of a long value: %d bytes %q", len(q), q)
	}
}
