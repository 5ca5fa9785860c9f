#!/usr/bin/env bash
# bench/tokenizer: encode throughput (MB/s) of ML.Tokenizers' o200k_base and cl100k_base (through TokenizerFactory, one
# thread and all cores over documents; the bare TiktokenTokenizer as a row of its own) against npm `tiktoken` (WASM) and
# `js-tiktoken` (pure JS) on the same SpamAssassin text in the same run, with a per-document id check (FNV-1a of the ids).
#   bash bench/tokenizer/run.sh [--repeat N] [--threads N] [--encodings o200k_base,cl100k_base] [--dataset NAME]
# Needs: node (20) and npm (the two packages are installed into bench/tokenizer/node_modules, git-ignored, on first run);
# the spam-assassin dataset (fetched on first use into ~/.cache/llmops/datasets, then offline).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -d bench/tokenizer/node_modules/tiktoken ] || [ ! -d bench/tokenizer/node_modules/js-tiktoken ]; then
  npm install --no-save --no-audit --no-fund --prefix bench/tokenizer tiktoken js-tiktoken >/dev/null
fi
dotnet build bench/LlmOps.Bench -c Release --nologo -v q >/dev/null
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "peers: node $(node --version), tiktoken $(node -p "require('./bench/tokenizer/node_modules/tiktoken/package.json').version"), js-tiktoken $(node -p "require('./bench/tokenizer/node_modules/js-tiktoken/package.json').version")"
dotnet bench/LlmOps.Bench/bin/Release/net10.0/LlmOps.Bench.dll tokenizer "$@"
