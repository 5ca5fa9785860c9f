"""The PyTorch peer for bench/pretrain: the same GPT, optimizer and step as LlmOps.Core's Pretrainer, on the same threads.

Run with Debian's interpreter (/usr/bin/python3) after `apt-get install python3-torch libopenblas0-pthread`.
    /usr/bin/python3 bench/pretrain/peer_pytorch.py --data FILE --threads N --layers L --heads H --embd E
        --block T --batch B --steps S --repeat R [--warmup W] [--skip K] [--lr-warmup N] [--matmul-size M]
        [--matmul-seconds S] [--seed N] [--serve]

The model is written here from the architecture (nanoGPT's shapes; not copied code): token + learned position
embeddings, pre-LayerNorm blocks (LayerNorm without bias), causal self-attention with one fused QKV projection and the
explicit masked softmax (PyTorch 1.13 has no scaled_dot_product_attention), a 4x GELU MLP, a final LayerNorm and a head
tied to the token embedding; no biases in the linear layers, no dropout. GPT-2 initialisation (N(0, 0.02), residual
projections N(0, 0.02/sqrt(2L))). AdamW with nanoGPT's two groups (weight decay 0.1 on tensors of two or more
dimensions, 0 on the rest), lr 1e-3 with linear warmup and cosine decay, betas (0.9, 0.95), gradient clipping at 1.0,
the loss read back every step: what the C# trainer does per step.

One step, timed as the C# trainer times it: draw a batch of random windows from the byte file, forward, cross entropy,
backward, read the loss, clip, AdamW, zero the gradients. After a `--warmup`-step run, `--repeat` runs of `--steps` steps
(a fresh model each); each run's tokens/s counts the steps after the first `--skip`, and the best run is reported. The fp32 matmul peak is measured in this process (square `--matmul-size`,
one warm-up product, then products until `--matmul-seconds` have passed, as MatmulMeasurement does). MFU uses
nanoGPT's estimate: 6N + 12*L*H*Q*T FLOPs per token, N the parameters without the position embeddings.
Prints one JSON line. With `--serve` it instead answers each line read from stdin with one timed run of `--steps`
steps (the peak re-measured just before it), as a JSON line holding every step's seconds and loss, so the caller can
interleave the peer's runs with its own on a machine whose load changes from minute to minute.
"""
import argparse
import json
import math
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class LayerNormNoBias(nn.Module):
    """LayerNorm with a gain and no bias (PyTorch 1.13's nn.LayerNorm cannot leave the bias out)."""

    def __init__(self, width):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(width))

    def forward(self, x):
        return F.layer_norm(x, self.weight.shape, self.weight, None, 1e-5)


class Attention(nn.Module):
    def __init__(self, embd, heads, block):
        super().__init__()
        self.heads, self.embd = heads, embd
        self.c_attn = nn.Linear(embd, 3 * embd, bias=False)
        self.c_proj = nn.Linear(embd, embd, bias=False)
        self.register_buffer("causal", torch.tril(torch.ones(block, block, dtype=torch.bool)).view(1, 1, block, block))

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.c_attn(x).split(self.embd, dim=2)
        q = q.view(b, t, self.heads, c // self.heads).transpose(1, 2)
        k = k.view(b, t, self.heads, c // self.heads).transpose(1, 2)
        v = v.view(b, t, self.heads, c // self.heads).transpose(1, 2)
        scores = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.shape[-1]))
        scores = scores.masked_fill(~self.causal[:, :, :t, :t], float("-inf"))
        y = F.softmax(scores, dim=-1) @ v
        return self.c_proj(y.transpose(1, 2).contiguous().view(b, t, c))


class Mlp(nn.Module):
    def __init__(self, embd):
        super().__init__()
        self.c_fc = nn.Linear(embd, 4 * embd, bias=False)
        self.c_proj = nn.Linear(4 * embd, embd, bias=False)

    def forward(self, x):
        return self.c_proj(F.gelu(self.c_fc(x)))


class Block(nn.Module):
    def __init__(self, embd, heads, block):
        super().__init__()
        self.ln_1, self.attn = LayerNormNoBias(embd), Attention(embd, heads, block)
        self.ln_2, self.mlp = LayerNormNoBias(embd), Mlp(embd)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class Gpt(nn.Module):
    def __init__(self, vocab, block, layers, heads, embd):
        super().__init__()
        self.layers, self.heads, self.embd, self.block = layers, heads, embd, block
        self.wte = nn.Embedding(vocab, embd)
        self.wpe = nn.Embedding(block, embd)
        self.h = nn.ModuleList([Block(embd, heads, block) for _ in range(layers)])
        self.ln_f = LayerNormNoBias(embd)
        for name, p in self.named_parameters():
            if name.endswith("c_proj.weight"):
                nn.init.normal_(p, 0.0, 0.02 / math.sqrt(2 * layers))
            elif p.dim() >= 2:
                nn.init.normal_(p, 0.0, 0.02)

    def forward(self, ids):
        t = ids.shape[1]
        x = self.wte(ids) + self.wpe(torch.arange(t, dtype=torch.long))
        for block in self.h:
            x = block(x)
        return F.linear(self.ln_f(x), self.wte.weight)  # tied head

    def flops_per_token(self):
        n = sum(p.numel() for p in self.parameters()) - self.wpe.weight.numel()
        return 6 * n + 12 * self.layers * self.heads * (self.embd // self.heads) * self.block


def learning_rate(step, peak=1e-3, floor=1e-4, warmup=10, decay=100):
    if step <= warmup:
        return peak * step / max(1, warmup)
    if step >= decay:
        return floor
    progress = (step - warmup) / (decay - warmup)
    return floor + 0.5 * (1 + math.cos(math.pi * progress)) * (peak - floor)


def matmul_gflops(size, min_seconds):
    a, b = torch.randn(size, size), torch.randn(size, size)
    torch.matmul(a, b)[0, 0].item()
    iterations, start = 0, time.perf_counter()
    while True:
        torch.matmul(a, b)[0, 0].item()
        iterations += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return 2.0 * size ** 3 * iterations / elapsed / 1e9


def main():
    parser = argparse.ArgumentParser()
    for name, default in [("threads", 2), ("layers", 4), ("heads", 4), ("embd", 128), ("block", 64), ("batch", 12),
                          ("steps", 60), ("repeat", 3), ("warmup", 5), ("skip", 5), ("lr-warmup", 10), ("matmul-size", 2048), ("seed", 1337), ("vocab", 257)]:
        parser.add_argument("--" + name, type=int, default=default)
    parser.add_argument("--matmul-seconds", type=float, default=1.0)
    parser.add_argument("--data", required=True)
    parser.add_argument("--serve", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    peak = None if args.serve else matmul_gflops(args.matmul_size, args.matmul_seconds)

    data = torch.from_numpy(np.fromfile(args.data, dtype=np.uint8).astype(np.int64))
    torch.manual_seed(args.seed)
    b, t = args.batch, args.block
    offsets = torch.arange(t)

    def batch():
        starts = torch.randint(len(data) - t - 1, (b, 1))
        index = starts + offsets
        return data[index], data[index + 1]

    def run(steps):
        model = Gpt(args.vocab, t, args.layers, args.heads, args.embd)
        model.train()
        decay = [p for p in model.parameters() if p.dim() >= 2]
        no_decay = [p for p in model.parameters() if p.dim() < 2]
        optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                                      lr=1e-3, betas=(0.9, 0.95))
        seconds, losses = [], []
        for step in range(1, steps + 1):
            start = time.perf_counter()
            for group in optimizer.param_groups:
                group["lr"] = learning_rate(step, warmup=args.lr_warmup, decay=steps)
            x, y = batch()
            logits = model(x)
            loss = F.cross_entropy(logits.view(-1, logits.shape[-1]), y.view(-1), ignore_index=-1)
            loss.backward()
            value = loss.item()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
            seconds.append(time.perf_counter() - start)
            losses.append(value)
        return model, seconds, losses

    run(args.warmup)  # first kernels, the allocator
    if args.serve:
        # One timed run per line on stdin, each answered at once: the caller interleaves them with its own runs.
        for _ in sys.stdin:
            peak = matmul_gflops(args.matmul_size, args.matmul_seconds)
            model, seconds, losses = run(args.steps)
            print(json.dumps({"peak_gflops": peak, "step_seconds": seconds, "losses": losses, "flops_per_token": model.flops_per_token(),
                              "tokens_per_step": b * t, "threads": torch.get_num_threads(), "torch": torch.__version__}), flush=True)
        return
    best = None
    for _ in range(args.repeat):
        model, seconds, losses = run(args.steps)
        steady = seconds[min(args.skip, len(seconds) - 1):]  # as the C# side: steady-state steps after the first --skip
        tokens_per_second = len(steady) * b * t / sum(steady)
        if best is None or tokens_per_second > best[0]:
            best = (tokens_per_second, losses, model.flops_per_token())
    tokens_per_second, losses, flops = best
    print(json.dumps({"tokens_per_s": tokens_per_second, "steps_per_s": tokens_per_second / (b * t),
                      "mfu": flops * tokens_per_second / (peak * 1e9), "peak_gflops": peak, "flops_per_token": flops,
                      "first_loss": losses[0], "last_loss": losses[-1], "threads": torch.get_num_threads(),
                      "torch": torch.__version__}))


if __name__ == "__main__":
    main()
