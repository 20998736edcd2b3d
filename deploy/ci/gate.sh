#!/usr/bin/env bash
# The regression gate of a CI job: run a config, gate the run against a
# baseline, publish the verdict.
#
#   deploy/ci/gate.sh CONFIG BASELINE OUT [SUMMARY]
#
#   CONFIG    the experiment config (e.g. configs/quickstart.yaml)
#   BASELINE  the baseline: a run directory, or a results file
#             (results.jsonl) kept in the repository or restored from the
#             last run on the main branch (a CI artifact)
#   OUT       the new run's directory: OUT/results.jsonl is what a later job
#             keeps as its baseline
#   SUMMARY   where the gate's Markdown goes (default OUT/gate.md); it says
#             what regressed, by how much, against what was allowed, and
#             what was compared. On GitHub Actions it is also appended to
#             $GITHUB_STEP_SUMMARY (the job summary).
#
# Environment: SYNTHOR (the binary, default synthor on PATH); GATE_ARGS,
# extra flags for synthor report (e.g. "--alpha 0.01 --min-effect
# c2st_auc=0.02").
#
# Exit status: 0 the gate passed; 1 a score regressed, or a cell of the run
# failed, timed out or ran out of memory; 2 the gate compared nothing (a
# baseline with nothing in common) or a usage error. The summary is written
# in every case where the gate ran.
set -uo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 CONFIG BASELINE OUT [SUMMARY]" >&2
  exit 2
fi
config=$1 baseline=$2 out=$3 summary=${4:-$3/gate.md}
bin=${SYNTHOR:-synthor}

if [ ! -e "$baseline" ]; then
  echo "gate: no baseline at $baseline: run the config on the main branch first and keep OUT/results.jsonl" >&2
  exit 2
fi
mkdir -p "$(dirname "$summary")"

"$bin" run "$config" --out "$out" --quiet
run_status=$?
if [ "$run_status" -ge 2 ]; then
  echo "gate: synthor run exited $run_status" >&2
  exit "$run_status"
fi

# shellcheck disable=SC2086 # GATE_ARGS is a list of flags
"$bin" report "$out" --baseline "$baseline" --fail-on-regression --format markdown ${GATE_ARGS:-} > "$summary"
gate_status=$?
if [ "$run_status" -ne 0 ]; then
  printf '\n> The run had cells that did not end ok: see %s/report.md.\n' "$out" >> "$summary"
fi
cat "$summary"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  cat "$summary" >> "$GITHUB_STEP_SUMMARY"
fi
if [ "$gate_status" -ne 0 ]; then
  exit "$gate_status"
fi
exit "$run_status"
