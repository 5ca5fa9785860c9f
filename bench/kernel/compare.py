"""The 03-pretrain training cell in both hosts, in one run: the headless runner (`llmops notebook run`) and the real
.NET Interactive kernel (the tool pinned in .config/dotnet-tools.json, as a Jupyter kernel driven by Debian's
nbclient through tests/LlmOps.Interactive.Engine.Tests/Kernel/run_in_kernel.py). Rounds alternate runner, kernel so a
change in machine load hits both. Only the training cell is timed, from each host's own cell timestamps (the runner's
per-cell duration; the kernel's execute_input to execute_reply), never kernel or process start.

Usage (from bench/kernel/run.sh): compare.py WORK STEPS ROUNDS
"""
import copy
import datetime
import json
import os
import statistics
import subprocess
import sys

import nbformat

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
NOTEBOOKS = os.path.join(REPO, "notebooks")
KERNEL = "llmops-bench-csharp"


def training_cell(nb, steps):
    """The first cell whose final output is the last training step: in 03 the resumed run (the second half of the
    stopped-and-resumed training), its live chart updating to the end."""
    marker = f"step {steps}/{steps}"
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and any(marker in str(o.get("data", {}).get("text/plain", "")) for o in cell.get("outputs", [])):
            return index
    raise SystemExit(f"bench/kernel: no cell shows '{marker}'")


def errors(nb):
    return [f"cell {i}: {o.get('ename')}: {o.get('evalue')}" for i, c in enumerate(nb.cells) if c.cell_type == "code"
            for o in c.get("outputs", []) if o.get("output_type") == "error"]


def stamp(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def run_runner(work, parameters, round_no):
    out = os.path.join(work, f"runner-{round_no}")
    args = ["dotnet", os.path.join(REPO, "src", "LlmOps.Cli", "bin", "Release", "net10.0", "llmops.dll"), "notebook", "run",
            os.path.join(NOTEBOOKS, "03-pretrain.ipynb"), "--out", out]
    for name, value in parameters.items():
        args += ["-p", f"{name}={value}"]
    done = subprocess.run(args, cwd=REPO, capture_output=True, text=True)
    path = os.path.join(out, "03-pretrain.ipynb")
    if done.returncode != 0 or not os.path.exists(path):
        raise SystemExit(f"bench/kernel: the runner failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return path, nbformat.read(path, as_version=4)


def run_kernel(work, executed_by_runner, round_no):
    # The very notebook the runner ran (its injected parameters cell included), outputs cleared.
    nb = copy.deepcopy(executed_by_runner)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            cell.metadata.pop("llmops", None)
            cell.metadata.pop("execution", None)
    source = os.path.join(work, f"kernel-{round_no}.in.ipynb")
    target = os.path.join(work, f"kernel-{round_no}.ipynb")
    nbformat.write(nb, source)
    env = dict(os.environ, JUPYTER_PATH=os.path.join(work, "jupyter"))
    script = os.path.join(REPO, "tests", "LlmOps.Interactive.Engine.Tests", "Kernel", "run_in_kernel.py")
    done = subprocess.run(["/usr/bin/python3", script, source, target, NOTEBOOKS, KERNEL, "1200", os.path.join(work, f"kernel-{round_no}.json")],
                          cwd=NOTEBOOKS, env=env, capture_output=True, text=True)
    if done.returncode != 0 or not os.path.exists(target):
        raise SystemExit(f"bench/kernel: the kernel run failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    with open(os.path.join(work, f"kernel-{round_no}.json"), encoding="utf-8") as f:
        summary = json.load(f)
    return nbformat.read(target, as_version=4), summary


def main():
    work, steps, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    spec = os.path.join(work, "jupyter", "kernels", KERNEL)
    os.makedirs(spec, exist_ok=True)
    with open(os.path.join(spec, "kernel.json"), "w", encoding="utf-8") as f:
        json.dump({"argv": ["dotnet", "tool", "run", "dotnet-interactive", "--", "jupyter", "--default-kernel", "csharp", "{connection_file}"],
                   "display_name": ".NET (C#) for the LlmOps benchmark", "language": "C#"}, f)
    parameters = {
        "maxSteps": steps, "evalEvery": max(1, steps // 2), "resumeCheckSteps": 20,
        "dataFolder": os.path.join(work, "data"), "tokenizerRoot": os.path.join(work, "tokenizers"),
        "shardFolder": os.path.join(work, "shards"), "outFolder": os.path.join(work, "checkpoints"),
        "runStore": os.path.join(work, "runs.db"),
    }

    rows = []
    for round_no in range(1, rounds + 1):
        path, ran = run_runner(work, parameters, round_no)
        problems = errors(ran)
        if problems:
            raise SystemExit("bench/kernel: the runner's notebook has errors:\n" + "\n".join(problems))
        index = training_cell(ran, steps)
        runner_s = ran.cells[index].metadata["llmops"]["duration_s"]

        kernel_nb, summary = run_kernel(work, ran, round_no)
        problems = errors(kernel_nb)
        if problems:
            raise SystemExit("bench/kernel: the kernel's notebook has errors:\n" + "\n".join(problems))
        kernel_index = training_cell(kernel_nb, steps)
        timing = kernel_nb.cells[kernel_index].metadata["execution"]
        kernel_s = (stamp(timing["shell.execute_reply"]) - stamp(timing["iopub.execute_input"])).total_seconds()
        rows.append((round_no, runner_s, kernel_s))
        key = str(kernel_index)
        updates = summary.get("updates", {}).get(key, 0)
        library = summary.get("libraryUpdates", {}).get(key, 0)
        megabytes = summary.get("updateBytes", {}).get(key, 0) / 1e6
        print(f"round {round_no}: training cell ({steps} steps) runner {runner_s:.2f} s, kernel {kernel_s:.2f} s, kernel/runner {kernel_s / runner_s:.2f}x;"
              f" kernel sent {updates} update_display_data ({megabytes:.1f} MB of HTML, {library} carrying plotly.js)", flush=True)

    print()
    print(f"{'03-pretrain training cell':34} {'runner':>10} {'kernel':>10} {'kernel/runner':>14}")
    for round_no, runner_s, kernel_s in rows:
        print(f"{'round ' + str(round_no):34} {runner_s:9.2f}s {kernel_s:9.2f}s {kernel_s / runner_s:13.2f}x")
    best_runner, best_kernel = min(r[1] for r in rows), min(r[2] for r in rows)
    print(f"{'best of ' + str(len(rows)):34} {best_runner:9.2f}s {best_kernel:9.2f}s {best_kernel / best_runner:13.2f}x")
    print(f"{'median of round ratios':34} {'':>10} {'':>10} {statistics.median(r[2] / r[1] for r in rows):13.2f}x")
    print(f"ratio > 1 means the kernel is slower (the target is at most 1.2x). Rerun: bash bench/kernel/run.sh {steps} {rounds}")


if __name__ == "__main__":
    main()
