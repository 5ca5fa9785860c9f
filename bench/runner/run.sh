#!/usr/bin/env bash
# bench/runner: the headless runner's cost per cell (a trivial cell, a cell displaying a Plotly chart) and its cold
# start, against Jupyter's own headless executor (`jupyter nbconvert --execute`, Python kernel) on the same machine
# in the same run. Per-cell cost = (time for N cells - time for 1 cell) / (N - 1), so start-up is not counted twice.
#   bash bench/runner/run.sh [N]          (default N = 60; each point is the best of 3 runs)
# Needs: apt-get install jupyter-nbconvert python3-ipykernel python3-nbformat
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-60}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build src/LlmOps.Cli -c Release --nologo -v q >/dev/null
/usr/bin/python3 bench/runner/make_notebooks.py "$work" "$n"

best_of_3() { # prints the best wall time in seconds of running "$@" three times
  local best=999999
  for _ in 1 2 3; do
    local start end
    start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N)
    best=$(echo "t = $end - $start; if (t < $best) t else $best" | bc -l)
  done
  echo "$best"
}
ours() { dotnet src/LlmOps.Cli/bin/Release/net10.0/llmops.dll notebook run "$work/$1.ipynb" --out "$work/out-ours"; }
peer() { jupyter nbconvert --to notebook --execute "$work/$1.ipynb" --output-dir "$work/out-peer" --ExecutePreprocessor.timeout=600; }

# A benchmark of a failing run measures nothing: check every notebook runs cleanly first.
for nb in cs-one cs-trivial cs-chart; do ours "$nb" >/dev/null || { echo "bench/runner: $nb failed; see $work/out-ours" >&2; exit 1; }; done
for nb in py-one py-trivial; do peer "$nb" >/dev/null 2>&1 || { echo "bench/runner: nbconvert failed on $nb" >&2; exit 1; }; done

ours_one=$(best_of_3 ours cs-one); ours_trivial=$(best_of_3 ours cs-trivial); ours_chart=$(best_of_3 ours cs-chart)
peer_one=$(best_of_3 peer py-one); peer_trivial=$(best_of_3 peer py-trivial)
per_cell() { echo "($1 - $2) / ($n - 1) * 1000" | bc -l; }
ours_cell=$(per_cell "$ours_trivial" "$ours_one"); peer_cell=$(per_cell "$peer_trivial" "$peer_one")
chart_cell=$(per_cell "$ours_chart" "$ours_one")

printf "%-34s %12s %16s %8s\n" "measure ($n cells, best of 3)" "llmops (C#)" "nbconvert (Py)" "ratio"
printf "%-34s %10.0fms %14.0fms %7.2fx\n" "cold start (1-cell notebook)" "$(echo "$ours_one*1000" | bc -l)" "$(echo "$peer_one*1000" | bc -l)" "$(echo "$ours_one/$peer_one" | bc -l)"
printf "%-34s %10.1fms %14.1fms %7.2fx\n" "per trivial cell" "$ours_cell" "$peer_cell" "$(echo "$ours_cell/$peer_cell" | bc -l)"
printf "%-34s %10.1fms %16s\n" "per cell displaying a Plotly chart" "$chart_cell" "-"
echo "ratio < 1 means llmops is faster. Rerun: bash bench/runner/run.sh [N]"
