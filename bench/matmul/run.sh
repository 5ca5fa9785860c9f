#!/usr/bin/env bash
# bench/matmul: fp32 matmul GFLOP/s of our TorchSharp/libtorch 2.10 stack (`llmops env`) against Debian's PyTorch
# on the same machine, same thread count, same timing method, in one run. This rate is the "measured peak" that
# later benchmarks quote model FLOPs utilisation against.
#   bash bench/matmul/run.sh [sizes...]        (default: 512 1024 2048)
# Needs: apt-get install python3-torch libopenblas0-pthread   (the peer; /usr/bin/python3)
set -euo pipefail
cd "$(dirname "$0")/../.."
sizes=("${@:-512 1024 2048}"); sizes=(${sizes[*]})
seconds=2
dotnet build src/LlmOps.Cli -c Release --nologo -v q >/dev/null
llmops() { dotnet src/LlmOps.Cli/bin/Release/net10.0/llmops.dll "$@"; }
threads=$(llmops env --json --device cpu --matmul-size 8 --matmul-seconds 0 | sed -n 's/.*"threads": \([0-9]*\).*/\1/p')
printf "%-6s %14s %14s %8s   (threads: %s, %s s per point)\n" size "ours GFLOP/s" "PyTorch GFLOP/s" ratio "$threads" "$seconds"
for n in "${sizes[@]}"; do
  ours=$(llmops env --json --device cpu --matmul-size "$n" --matmul-seconds "$seconds" \
    | tr -d '\n ' | sed -n 's/.*"matmul":{[^}]*"gFlops":\([0-9.eE+-]*\).*/\1/p')
  peer_json=$(/usr/bin/python3 bench/matmul/peer_pytorch.py "$n" "$seconds" "$threads")
  peer=$(echo "$peer_json" | sed -n 's/.*"gflops": \([0-9.eE+-]*\).*/\1/p')
  printf "%-6s %14.1f %14.1f %7.2fx\n" "$n" "$ours" "$peer" "$(echo "$ours / $peer" | bc -l)"
done
echo "peer: PyTorch $(echo "$peer_json" | sed -n 's/.*"torch": "\([^"]*\)".*/\1/p') (Debian); ours: libtorch 2.10 via TorchSharp 0.107. Rerun: bash bench/matmul/run.sh"
