#!/bin/sh
# An example external synthesizer for synthor's "external" method: it
# resamples training rows with replacement (a bootstrap), seeded.
#
#   synthor synth --data train.csv --method external \
#     --set command="sh examples/external/bootstrap.sh" --rows 1000 --out synth.csv
#
# synthor runs it as
#   bootstrap.sh --train FILE.csv --schema FILE.json --rows N --seed S --out FILE.csv
# and reads FILE.csv back (header plus N rows, every schema column). A real
# wrapper would call SDV, synthcity, TabSyn or GReaT here instead, reading
# the schema JSON (table.Schema: fields with name, kind, categories, min,
# max) to declare column types.
#
# Limits: rows are copied as whole lines, so a quoted field holding a line
# break is not supported; awk's rand() makes the output depend on the awk
# implementation as well as on the seed.
set -eu

train= schema= rows= seed= out=
while [ $# -gt 0 ]; do
	case "$1" in
	--train) train=$2; shift 2 ;;
	--schema) schema=$2; shift 2 ;;
	--rows) rows=$2; shift 2 ;;
	--seed) seed=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	*) echo "bootstrap.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
for v in train schema rows seed out; do
	eval "val=\${$v}"
	if [ -z "$val" ]; then
		echo "bootstrap.sh: --$v is required" >&2
		exit 2
	fi
done
[ -r "$schema" ] || { echo "bootstrap.sh: cannot read schema $schema" >&2; exit 1; }

# Write to a temporary file and rename, so a failure leaves no partial output.
tmp="$out.tmp.$$"
awk -v rows="$rows" -v seed="$seed" '
	NR == 1 { header = $0; next }
	{ line[++n] = $0 }
	END {
		print header
		if (n == 0 && rows > 0) { print "bootstrap.sh: training file has no rows" > "/dev/stderr"; exit 1 }
		srand(seed % 2147483647)
		for (i = 0; i < rows; i++) {
			k = int(rand() * n) + 1
			if (k > n) k = n
			print line[k]
		}
	}
' "$train" > "$tmp"
mv "$tmp" "$out"
