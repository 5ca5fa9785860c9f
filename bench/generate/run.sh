#!/usr/bin/env bash
# bench/generate: greedy generation tokens/s with and without the KV cache, same model and prompt in the same run
# (baby 4/4/128 and small 6/6/384 GPTs, context 256, random weights: speed does not depend on training).
#   bash bench/generate/run.sh [--tokens N] [--repeat N]   (default: 200 tokens, best of 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build bench/LlmOps.Bench -c Release --nologo -v q >/dev/null
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
export OMP_WAIT_POLICY=PASSIVE
dotnet bench/LlmOps.Bench/bin/Release/net10.0/LlmOps.Bench.dll generate "$@"
