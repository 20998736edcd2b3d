#!/usr/bin/env bash
# How often the regression gate cries wolf: the quickstart's methods run
# with 120 seeds, cut into 40 disjoint seed triples (1-3, 4-6, ...), and
# triple 2i+1 gated against triple 2i for i = 0..19 (the first: seeds 4-6
# against 1-3). Only the synthesizers' seeds differ, so every failure is a
# false alarm; the gate holds the family-wise false-alarm rate of each
# comparison at alpha (0.05), so about one failure in 20 is expected at
# most.
#
#   scripts/gate_noise.sh [bin/synthor]
#
# Environment: RESULTS, an existing results file of such a run (skips the
# run); OUT, the work directory (default out/gate-noise); GATE_ARGS, extra
# flags for synthor report. Prints one line per comparison and the count.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-bin/synthor}
out=${OUT:-out/gate-noise}
mkdir -p "$out/triples"

if [ -z "${RESULTS:-}" ]; then
  seeds=$(seq -s ', ' 1 120)
  sed -e "s/^seeds: .*/seeds: [$seeds]/" -e "s|^output: .*|output: $out/run|" configs/quickstart.yaml > "$out/config.yaml"
  echo "== run: the quickstart with seeds 1-120 (nice; $(nproc) cores)"
  /usr/bin/time -v nice "$bin" run "$out/config.yaml" --out "$out/run" --quiet > "$out/run.txt" 2> "$out/time.txt" || true
  grep -E "Elapsed|User time|System time|Maximum resident" "$out/time.txt" || true
  RESULTS=$out/run/results.jsonl
fi
for k in $(seq 0 39); do
  jq -c --argjson lo $((3 * k + 1)) --argjson hi $((3 * k + 3)) 'select(.seed >= $lo and .seed <= $hi)' "$RESULTS" > "$out/triples/$k.jsonl"
done

alarms=0
printf '%-4s %-10s %-10s %-11s %-9s %-10s %s\n' "i" "baseline" "new" "comparisons" "regressed" "smallest p" "verdict"
for i in $(seq 0 19); do
  b=$((2 * i)) n=$((2 * i + 1))
  # shellcheck disable=SC2086 # GATE_ARGS is a list of flags
  "$bin" report "$out/triples/$n.jsonl" --baseline "$out/triples/$b.jsonl" --format json ${GATE_ARGS:-} > "$out/gate-$i.json" || true
  read -r passed m regs minp < <(jq -r '[.passed, (.comparisons | length), ([.comparisons[] | select(.regressed)] | length) + (.lost // [] | length),
    ([.comparisons[].p] | min)] | @tsv' "$out/gate-$i.json")
  verdict=pass
  if [ "$passed" != true ]; then
    verdict="FALSE ALARM: $(jq -r '[.comparisons[] | select(.regressed) | "\(.dataset)/\(.method) \(.score)"] + [(.lost // [])[] | "\(.dataset)/\(.method) \(.note)"] | join("; ")' "$out/gate-$i.json")"
    alarms=$((alarms + 1))
  fi
  printf '%-4s %-10s %-10s %-11s %-9s %-10.2g %s\n' "$i" "$((3 * b + 1))-$((3 * b + 3))" "$((3 * n + 1))-$((3 * n + 3))" "$m" "$regs" "$minp" "$verdict"
done
echo "false alarms: $alarms of 20 comparisons"
