#!/usr/bin/env bash
# Regenerates reports/testdata/gate/*.jsonl, the runs the gate's planted
# regression tests read (reports/gate_planted_test.go), with the synthor
# binary: the quickstart config (configs/quickstart.yaml) run with seeds
# 1-3 (base.jsonl) and 4-6 (noise.jsonl), and with seeds 4-6 for one method
# changed the way CI must catch:
#   nojoints.jsonl  LLMSynthor with one dependency group (n_joints: 1)
#   depth1.jsonl    cart limited to depth 1 (max_depth: 1)
#   copy.jsonl      bootstrap (copies training rows) labelled cart
# The planted files hold the changed method's cells only: the other cells
# of a run with seeds 4-6 are noise.jsonl's (cells are independent and
# deterministic). Each row keeps the whole-table scores (what the
# scorecard reads); per-column scores, files and timings detail are
# dropped to keep the files small.
# Usage: reports/testdata/gate/gen.sh [path/to/synthor]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
bin=${1:-$root/bin/synthor}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

config() { # seeds, methods (YAML list items, one per line)
  sed -e "s/^seeds: .*/seeds: [$1]/" -e '/^methods:/,/^seeds:/{/^methods:/!{/^seeds:/!d}}' \
    -e "s|^output: .*|output: $tmp/unused|" "$root/configs/quickstart.yaml" |
    awk -v m="$2" '{print} /^methods:/{print m}'
}
all=$(sed -n '/^methods:/,/^seeds:/p' "$root/configs/quickstart.yaml" | sed '1d;$d')

trim() { # results.jsonl -> trimmed rows
  jq -c '{id, index, dataset, method, seed, rows, status, reason,
    metrics: [.metrics[] | select((.columns | length) == 0 or (.columns | length) > 2 or .group == "utility" or .group == "privacy")
      | select(.name | test("^(sdmetrics_quality|column_shapes|column_pair_trends|c2st_auc|tstr_trtr_ratio|dcr_share|exact_match_rate|membership_auc|membership_tpr)$"))],
    timings: {total_s: .timings.total_s}, peak_rss_bytes, llm, versions, config_hash, data_hash}' "$1"
}

run() { # name seeds methods
  config "$2" "$3" > "$tmp/$1.yaml"
  nice "$bin" run "$tmp/$1.yaml" --out "$tmp/$1" --quiet > /dev/null
  trim "$tmp/$1/results.jsonl" > "$here/$1.jsonl"
}

run base "1, 2, 3" "$all"
run noise "4, 5, 6" "$all"
run nojoints "4, 5, 6" "  - {name: llmsynthor, label: llmsynthor, params: {n_joints: 1}}"
run depth1 "4, 5, 6" "  - {name: cart, label: cart, params: {max_depth: 1}}"
run copy "4, 5, 6" "  - {name: bootstrap, label: cart}"
wc -c "$here"/*.jsonl
