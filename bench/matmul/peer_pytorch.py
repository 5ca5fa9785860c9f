"""The PyTorch peer for bench/matmul: the same fp32 square matmul, timed the same way, on the same threads.

Run with Debian's interpreter (/usr/bin/python3) after `apt-get install python3-torch libopenblas0-pthread`.
Prints one JSON line: {"size": n, "iterations": k, "seconds": s, "gflops": g, "torch": version}.
"""
import json
import sys
import time

import torch

size, min_seconds, threads = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
torch.set_num_threads(threads)
a, b = torch.randn(size, size), torch.randn(size, size)
torch.matmul(a, b)[0, 0].item()  # warm-up, as the .NET side does
iterations, start = 0, time.perf_counter()
while True:
    torch.matmul(a, b)[0, 0].item()
    iterations += 1
    elapsed = time.perf_counter() - start
    if elapsed >= min_seconds:
        break
print(json.dumps({"size": size, "iterations": iterations, "seconds": elapsed,
                  "gflops": 2.0 * size ** 3 * iterations / elapsed / 1e9, "torch": torch.__version__}))
