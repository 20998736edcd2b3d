package settings

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Size is a memory size in bytes, at least 1 and below 2⁶³. Its text form
// is a number and a unit: B; KB, MB, GB, TB (powers of 1000); KiB, MiB,
// GiB, TiB (powers of 1024). A bare number is an error (bytes are "B").
type Size uint64

// sizeUnits are the units ParseSize reads, by their lower-case spelling.
var sizeUnits = map[string]uint64{
	"b":  1,
	"kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
	"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
}

// ParseSize parses a size with its unit: "512MiB", "2 GiB", "1.5GB",
// "100B". The unit's case does not matter; the number may have decimals
// when the bytes it makes are whole.
func ParseSize(s string) (Size, error) {
	t := strings.TrimSpace(s)
	i := strings.IndexFunc(t, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	if i < 0 {
		return 0, fmt.Errorf("size %s has no unit (want e.g. 512MiB, 2GiB, 1.5GB, 100B)", Quote(s))
	}
	num, unit := t[:i], strings.TrimSpace(t[i:])
	mult, ok := sizeUnits[strings.ToLower(unit)]
	if !ok {
		return 0, fmt.Errorf("size %s: unknown unit %s (want B, KB, MB, GB, TB, KiB, MiB, GiB or TiB)", Quote(s), Quote(unit))
	}
	r, ok := decimal(num)
	if !ok {
		return 0, fmt.Errorf("size %s: %s is not a number", Quote(s), Quote(num))
	}
	r.Mul(r, new(big.Rat).SetInt(new(big.Int).SetUint64(mult)))
	if !r.IsInt() {
		return 0, fmt.Errorf("size %s is not a whole number of bytes", Quote(s))
	}
	b := r.Num()
	if b.Sign() <= 0 || b.Cmp(big.NewInt(math.MaxInt64)) > 0 {
		return 0, fmt.Errorf("size %s must be at least 1B and below 8EiB", Quote(s))
	}
	return Size(b.Uint64()), nil
}

// decimal reads digits with at most one '.' and digits after it into an
// exact rational.
func decimal(s string) (*big.Rat, bool) {
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || (dot && frac == "") || strings.Contains(frac, ".") || len(s) > 40 {
		return nil, false
	}
	r, ok := new(big.Rat).SetString(s)
	return r, ok
}

// String writes the size with the largest unit that divides it exactly:
// 2GiB, 1500MB, 1537B.
func (z Size) String() string {
	for _, u := range []struct {
		name string
		mult uint64
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"TB", 1e12}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}} {
		if uint64(z) >= u.mult && uint64(z)%u.mult == 0 {
			return strconv.FormatUint(uint64(z)/u.mult, 10) + u.name
		}
	}
	return strconv.FormatUint(uint64(z), 10) + "B"
}

// Bytes is the size as an int64.
func (z Size) Bytes() int64 { return int64(z) }

// Set parses s as the flag's value.
func (z *Size) Set(s string) error { return set(z, ParseSize, s) }

// Type names the flag's value in help texts.
func (*Size) Type() string { return "size" }

// UnmarshalYAML reads the text form; a bare number is an error.
func (z *Size) UnmarshalYAML(n *yaml.Node) error {
	return scalar(n, z, ParseSize, "a size such as 512MiB or 2GiB")
}

// MarshalText writes the text form (JSON carries it as a string).
func (z Size) MarshalText() ([]byte, error) { return []byte(z.String()), nil }

// UnmarshalText reads the text form.
func (z *Size) UnmarshalText(b []byte) error { return z.Set(string(b)) }
