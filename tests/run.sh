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

# libtorch picks its CPU kernels by instruction set, and AVX2 and AVX-512 kernels differ in the last bits, which
# training amplifies. Capping ATen's and oneDNN's dispatch at AVX2 reproduces an AVX2-only host's numbers bit for bit
# on an AVX-512 host (docs/architecture.md, "Reproducibility"). LLMOPS_TEST_ISA=avx2 runs everything so.
avx2_kernels() { env ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 MKL_ENABLE_INSTRUCTIONS=AVX2 "$@"; }
run() { if [ "${LLMOPS_TEST_ISA:-}" = avx2 ]; then avx2_kernels "$@"; else "$@"; fi; }

log="$(mktemp)"
set +e
run dotnet test LlmOps.Notebooks.sln -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# On an AVX-512 host, the Core tests (the training ones among them) run a second time on AVX2 kernels, so a bound
# that holds only on this host's kernels fails here rather than on the next host of the other kind.
if [ "$status" = 0 ] && [ -z "${LLMOPS_TEST_ISA:-}" ] && grep -qw avx512f /proc/cpuinfo; then
  echo "== Core tests again on AVX2 kernels (this host has AVX-512)"
  avx2_kernels dotnet test tests/LlmOps.Core.Tests -c Release --no-build --logger "console;verbosity=normal" 2>&1 | tee -a "$log"
  status=${PIPESTATUS[0]}
fi
set -e
awk '/^ *Passed: [0-9]+ *$/ { p += $2 } /^ *Failed: [0-9]+ *$/ { f += $2 } /^ *Skipped: [0-9]+ *$/ { s += $2 }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
