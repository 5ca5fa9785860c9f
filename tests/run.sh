#!/usr/bin/env bash
# The project's test command (README.md, .ci/run). Installs what the tests need, builds, runs every test
# project, and ends with one summary line: "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
  echo "tests/run.sh: need root (or sudo) to install: $*" >&2; return 1; fi; }

# readelf (binutils) cross-checks our ELF reader in the Debian 12 libtorch fix tests; Debian's python3-nbformat is
# the official notebook validator; python3-nbclient drives the .NET Interactive kernel through Jupyter's protocol in
# the kernel notebook tests; chromium renders HTML reports in screenshot tests.
missing=()
command -v readelf >/dev/null || missing+=(binutils)
/usr/bin/python3 -c "import nbformat" 2>/dev/null || missing+=(python3-nbformat)
/usr/bin/python3 -c "import nbclient" 2>/dev/null || missing+=(python3-nbclient)
command -v chromium >/dev/null || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  as_root apt-get update -q && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# The kernel notebook tests run the .NET Interactive kernel pinned in .config/dotnet-tools.json and load the packages
# notebooks load, from artifacts/packages: restore the one and pack the other (README, command 1) before the tests.
dotnet tool restore
dotnet pack LlmOps.Notebooks.sln -c Release -o artifacts/packages
log="$(mktemp)"
set +e
dotnet test LlmOps.Notebooks.sln -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
awk '/^ *Passed: [0-9]+ *$/ { p += $2 } /^ *Failed: [0-9]+ *$/ { f += $2 } /^ *Skipped: [0-9]+ *$/ { s += $2 }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
