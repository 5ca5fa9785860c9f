#!/usr/bin/env bash
# bench/kernel: the 03-pretrain training cell, fixed steps, in the real .NET Interactive kernel and in the headless
# runner, in the same run; prints each host's time for that cell and kernel/runner (see compare.py).
#   bash bench/kernel/run.sh [STEPS] [ROUNDS]      (default 200 steps, 3 rounds)
# Needs what the kernel tests need: Debian's python3-nbclient (tests/run.sh installs it) and the pinned kernel tool.
set -euo pipefail
cd "$(dirname "$0")/../.."
steps=${1:-200}
rounds=${2:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build src/LlmOps.Cli -c Release --nologo -v q >/dev/null
# The kernel loads LlmOps.Interactive from artifacts/packages (notebooks/nuget.config): pack this build.
for project in src/LlmOps.Core/LlmOps.Core.csproj extensions/LlmOps.Interactive/LlmOps.Interactive.csproj; do
  dotnet pack "$project" -c Release -o artifacts/packages --nologo -v q >/dev/null
done
dotnet tool restore >/dev/null
/usr/bin/python3 bench/kernel/compare.py "$work" "$steps" "$rounds"
