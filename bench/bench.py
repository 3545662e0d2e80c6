"""Time a cold run, a warm run and a run after editing one file of a large tree; print wall time, files/s and peak
memory, and ruff's `check --select ALL` on the same tree when ruff is on PATH (the yardstick of the cold run).

    python bench/bench.py --tree /path/to/a/real/repository [--copies 10]
    python bench/bench.py --generate 3000

--copies replicates a real tree side by side (each copy a distinct file, so nothing is shared through the
cache) to reach thousands of files; --generate writes synthetic ML-style modules instead. Not a timed test:
it prints figures for a person to read.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TEMPLATE = '''import os
import numpy as np
import torch
from torch import nn
from .module_{prev} import Block{prev}


class Block{i}(nn.Module):
    """Synthetic block {i}."""

    def __init__(self, width={i}):
        super().__init__()
        self.layers = nn.Sequential(*[nn.Linear(width, width) for _ in range(4)])

    def forward(self, x):
        for layer in self.layers:
            x = torch.relu(layer(x)) + np.float32({i}) * 0.5
        return x


def train_{i}(data, epochs=10):
    model = Block{i}()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for epoch in range(epochs):
        for batch in data:
            loss = model(batch).sum()
            loss.backward()
            optimizer.step()
    return model
'''


def generate(target: Path, count: int) -> None:
    package = target / "pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    for i in range(count):
        (package / f"module_{i}.py").write_text(TEMPLATE.format(i=i, prev=max(i - 1, 0)))
    (target / "requirements.txt").write_text("numpy\ntorch\n")


def replicate(source: Path, target: Path, copies: int) -> None:
    """Side-by-side copies, each Python file made distinct so that none is answered from another's cache entry."""
    for n in range(copies):
        copy = target / f"copy{n}"
        shutil.copytree(source, copy, symlinks=True, ignore=shutil.ignore_patterns(".git"))
        for path in copy.rglob("*.py"):
            if path.is_file() and not path.is_symlink():
                with open(path, "a", encoding="utf-8") as handle:
                    handle.write(f"\n# bench copy {n}\n")


def timed_run(tree: Path, cache_dir: Path) -> tuple[float, float]:
    """Wall time and peak memory (MiB, of the largest process: the main one or a parser worker) of one run."""
    env = dict(os.environ, REPROLINT_CACHE_DIR=str(cache_dir))
    start = time.perf_counter()
    # A fresh measuring process per run, since RUSAGE_CHILDREN keeps the maximum of every child ever waited for.
    out = subprocess.run([sys.executable, "-c", MEASURE, str(tree)], env=env, check=True, capture_output=True,
                         text=True).stdout
    return time.perf_counter() - start, int(out.split()[-1]) / 1024


MEASURE = """
import os, resource, subprocess, sys
subprocess.run([sys.executable, "-m", "reprolint", sys.argv[1], "--format", "json", "--output", os.devnull])
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def count_sources(tree: Path) -> int:
    return sum(1 for p in tree.rglob("*") if p.suffix in (".py", ".ipynb"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--tree", type=Path, help="a real repository to analyze")
    group.add_argument("--generate", type=int, metavar="N", help="write N synthetic modules and analyze them")
    parser.add_argument("--copies", type=int, default=1, help="replicate --tree this many times")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        tree = scratch / "tree"
        if args.generate:
            generate(tree, args.generate)
        else:  # a copy even of one tree: the edited-file run must not touch the user's files
            replicate(args.tree, tree, args.copies)
        files = count_sources(tree)
        cache = scratch / "cache"
        cold, cold_peak = timed_run(tree, cache)
        warm, warm_peak = timed_run(tree, cache)
        edit_one_file(tree)
        edited, edited_peak = timed_run(tree, cache)
        ruff = ruff_time(tree)
    print(f"tree: {args.tree or 'generated'} x{args.copies}: {files} Python files and notebooks, {os.cpu_count()} cores")
    print(f"cold run:   {cold:6.2f} s  {files / cold:8.0f} files/s  peak RSS {cold_peak:6.0f} MiB")
    print(f"warm run:   {warm:6.2f} s  {files / warm:8.0f} files/s  peak RSS {warm_peak:6.0f} MiB")
    print(f"one edited: {edited:6.2f} s  {files / edited:8.0f} files/s  peak RSS {edited_peak:6.0f} MiB")
    if ruff is not None:
        print(f"ruff check --select ALL: {ruff:6.2f} s (cold run / ruff = {cold / ruff:.2f})")


def edit_one_file(tree: Path) -> None:
    """Append a line to one module in the middle of the tree, as an edit between two commits would."""
    sources = sorted(p for p in tree.rglob("*.py"))
    target = sources[len(sources) // 2]
    target.write_text(target.read_text(encoding="utf-8", errors="replace") + "\nEDITED = 1\n", encoding="utf-8")


def ruff_time(tree: Path):
    ruff = shutil.which("ruff")
    if ruff is None:
        return None
    start = time.perf_counter()
    subprocess.run([ruff, "check", "--select", "ALL", "--no-cache", "--exit-zero", "--quiet", str(tree)],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
