#!/usr/bin/env bash
# Quickstart: export a built-in dataset, synthesize it, compare with synthor eval.
set -euo pipefail
bin=${1:-bin/synthor}
out=${OUT:-out/quickstart}
mkdir -p "$out"
"$bin" datasets list
