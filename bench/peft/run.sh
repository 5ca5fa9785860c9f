#!/usr/bin/env bash
# bench/peft: LoRA (and, with --methods, adapters, prompt tuning, P-tuning, prefix tuning) vs full fine-tuning on the same GPT, same batches, same AdamW step: steps/s, peak resident memory while
# training, and weights + gradients + AdamW state bytes, side by side in one run. Each (method, round) runs in its own
# child process so each peak is that method's own; methods alternate round by round.
#   bash bench/peft/run.sh [--configs baby,small] [--baby-steps N] [--small-steps N] [--rounds N] [--rank N] [--targets c_attn,c_proj,c_fc]
#                          [--methods full,lora,adapter,prompt,ptuning,prefix] [--virtual-tokens N]
# Random weights and tokens: speed and memory do not depend on what the model knows. ~3 minutes on the 2-core build machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build bench/LlmOps.Bench -c Release --nologo -v q >/dev/null
export OMP_WAIT_POLICY=PASSIVE
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%F)"
dotnet bench/LlmOps.Bench/bin/Release/net10.0/LlmOps.Bench.dll peft "$@"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
