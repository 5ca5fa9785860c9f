#!/usr/bin/env bash
# bench/eval: multiple-choice examples/s with batched log-likelihood scoring vs one forward per choice (batch size 1),
# same model, items and prompts in the same run, scores checked equal (baby 4/4/128 and small 6/6/384 GPTs, context 256,
# random weights: speed does not depend on training; seeded synthetic harness-style items, 4 choices, few-shot prompts).
#   bash bench/eval/run.sh [--items N] [--shots 0,2] [--batch 8,32] [--configs baby,small] [--repeat N]   (default: 100 items, 0- and 2-shot, batches 8 and 32, best of 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build bench/LlmOps.Bench -c Release --nologo -v q >/dev/null
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%F)"
export OMP_WAIT_POLICY=PASSIVE
dotnet bench/LlmOps.Bench/bin/Release/net10.0/LlmOps.Bench.dll eval "$@"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
