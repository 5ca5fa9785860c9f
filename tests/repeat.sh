#!/usr/bin/env bash
# Runs the whole suite N times (the README's test command, built once) and lists every test that failed at least once,
# with how often: the flaky-test finder. Exit status 1 when any test failed in any run.
#   bash tests/repeat.sh 5                # five runs on this machine's own CPU kernels
#   bash tests/repeat.sh 5 --isa avx2     # the same with libtorch held to AVX2 kernels, as on an AVX2-only host
# Extra arguments after the options go to `dotnet test` (for example --filter).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:?usage: tests/repeat.sh N [--isa avx2] [dotnet test arguments]}
shift
if [ "${1:-}" = --isa ]; then export LLMOPS_TEST_ISA="$2"; shift 2; fi

dotnet build LlmOps.Notebooks.sln -c Release -v q -nologo >/dev/null
logs=$(mktemp -d)
for i in $(seq 1 "$runs"); do
  start=$SECONDS
  set +e
  bash tests/run.sh --no-build "$@" >"$logs/run$i.log" 2>&1
  set -e
  echo "run $i/$runs ($((SECONDS - start)) s, isa ${LLMOPS_TEST_ISA:-native}): $(tail -n 1 "$logs/run$i.log")"
done
failures=$(cat "$logs"/run*.log | sed -n 's/^ *Failed \([^ ]*\) \[.*/\1/p' | sort | uniq -c | sort -rn)
if [ -n "$failures" ]; then
  echo "tests that failed at least once (count, name); logs in $logs:"
  echo "$failures"
  exit 1
fi
echo "no test failed in $runs runs"
rm -rf "$logs"
