"""Randomness (RPL1xx): is every random generator an entrypoint draws from seeded, and seeded with a constant?"""
from __future__ import annotations

from reprolint.facts import Ref
from reprolint.knowledge.randomness import (
    ENTROPY_WHEN_EMPTY, FAMILIES, SEED_CALL, SEED_TAKERS, WORKERS_SEEDED_FROM_TORCH_SINCE,
)
from reprolint.model import Hit, Severity, rule
from reprolint.project.calls import (
    draw_family, entropy_source, exports_model, only_in_training, seed_argument, seeded_families,
    sklearn_needs_random_state, trains_tensorflow, trains_torch,
)
from reprolint.project import Node
from reprolint.project.runs import (
    entrypoints_reaching, entrypoints_to_check, grouped_by_place, production_python, reached_calls, seeded_by, shown,
    who,
)
from reprolint.project.scopes import torch_only_before
from reprolint.rules import autofixes


@rule(
    code="RPL101", name="unseeded-random-generator", area="Randomness", severity=Severity.ERROR,
    summary="An entrypoint draws from a random generator that nothing on its path seeds",
    why="""
        Weight initialisation, data shuffling, augmentation and dropout all draw from global random generators.
        Unless each generator the run uses is seeded, two runs of the same command give different numbers, and
        nobody can tell a real improvement from noise. reprolint follows the entrypoint into the repository's own
        modules and helpers, and knows the ecosystem's seeding helpers (Lightning's seed_everything, transformers'
        set_seed, accelerate's set_seed, keras.utils.set_random_seed, ...), so a seed set anywhere on the way
        counts.
    """,
    fix="""
        Seed every generator the entrypoint uses, from a seed the user can set (a --seed argument or a config
        value), before anything is drawn: random.seed, np.random.seed and torch.manual_seed, or one helper that
        seeds them all, such as lightning's seed_everything(seed, workers=True) or transformers' set_seed(seed).
    """,
    example="""
        import torch

        model = torch.nn.Linear(10, 2)
        batch = torch.randn(32, 10)
        model(batch).sum().backward()
    """,
    use_instead="""
        import argparse

        import torch

        parser = argparse.ArgumentParser()
        parser.add_argument("--seed", type=int, default=0)
        args = parser.parse_args()
        torch.manual_seed(args.seed)
        model = torch.nn.Linear(10, 2)
        batch = torch.randn(32, 10)
        model(batch).sum().backward()
    """,
)
def unseeded_random_generator(project):
    reports = [(entry, rel, call, family) for entry, (first_draw, seeded) in draws_by_run(project).items()
               for family, (rel, call) in first_draw.items() if family not in seeded]
    unseeded: dict = {}
    for entry_rel, _, _, family in reports:
        unseeded.setdefault(entry_rel, set()).add(family)
    for rel, call, family, entries in grouped_by_place(reports):
        where = "" if rel in entries else f" (reached from {who(entries)})"
        fixes = tuple(f for e in entries if (f := autofixes.seeding(project, e, unseeded[e])))
        yield Hit(rel, call.line,
                  f"{who(entries) if not where else 'this call'} draws from {FAMILIES[family]} through "
                  f"`{shown(call.name)}`{where}, and nothing on the way seeds it",
                  col=call.col, fix=f"seed it once at the start of the run: `{SEED_CALL[family]}`, with SEED from "
                                    f"the command line or the config", autofixes=fixes)


def draws_by_run(project) -> dict:
    """Entrypoint -> ({generator family: (file, call) of the run's first draw from it}, the families the run
    seeds), for each run whose draws matter: not an export run, and initialisation only where the run trains."""
    return project.shared("draws-by-run", lambda: dict(_draws_by_run(project)))


def _draws_by_run(project):
    for entry in entrypoints_to_check(project):
        seeded, draws, trains, exports = set(), [], False, False
        for node, call in reached_calls(project, entry):
            seeded |= seeded_families(call)
            trains = trains or trains_torch(call) or trains_tensorflow(project, node.rel, call)
            exports = exports or exports_model(call)
            family = draw_family(call)
            if family:
                draws.append((family, node.rel, call))
        if exports and not trains:
            continue  # an export or profiling run: its draws are example inputs, which change nothing it writes
        first_draw = {}
        for family, rel, call in draws:
            if family not in first_draw and (trains or not only_in_training(call)):
                first_draw[family] = (rel, call)
        yield entry.rel, (first_draw, seeded)


@rule(
    code="RPL102", name="seed-from-entropy", area="Randomness", severity=Severity.ERROR,
    summary="A seed taken from the clock or from entropy, or a generator created without a seed",
    why="""
        A seed computed from time.time(), os.urandom(), a random draw, or a generator made without a seed
        (np.random.default_rng(), random.seed()) is different on every run: it looks like seeding, but the run
        cannot be repeated unless the value happens to be logged and fed back.
    """,
    fix="Seed with a constant, or a value from the command line or config (`--seed 0`), and log it.",
    per_file=True,
    example="""
        import time

        import numpy as np

        seed = int(time.time())
        np.random.seed(seed)
        indices = np.random.permutation(50_000)
    """,
    use_instead="""
        import numpy as np

        seed = 0
        print(f"seed: {seed}")
        np.random.seed(seed)
        indices = np.random.permutation(50_000)
    """,
)
def seed_from_entropy(file, project):
    if production_python(file):
        entropy_names = {a.target: source for a in file.facts.python.assigns
                         if "." not in a.target and (source := entropy_source(a.value))}
        reseeded = _placeholders_seeded_later(file.facts.python)
        for call in file.facts.python.calls:
            if call.name not in SEED_TAKERS and not seeded_families(call):
                continue
            value = seed_argument(call)
            source = entropy_source(value)
            if source is None and isinstance(value, Ref) and value.kind == "name":
                source = entropy_names.get(value.text)
            if source:
                yield Hit(file.rel, call.line, f"`{call.name}` is seeded from `{source}()`, which differs on "
                                               f"every run", col=call.col)
            elif value is None and call.line not in reseeded and (
                    call.name in ENTROPY_WHEN_EMPTY or call.name.endswith(".seed_everything")):
                yield Hit(file.rel, call.line, f"`{call.name}()` without a seed takes one from the operating "
                                               f"system's entropy, different on every run", col=call.col,
                          fix=f"pass a seed: `{call.name.rsplit('.', 1)[-1]}(seed)`")


def _placeholders_seeded_later(facts) -> set:
    """Lines of `self.rng = random.Random()` whose target is seeded before use: by `self.rng.seed(x)`, or by a
    later `self.rng = random.Random(x)` with a seed."""
    seeded_at = {c.line for c in facts.calls if c.name in SEED_TAKERS and seed_argument(c) is not None}
    seed_calls = {c.name for c in facts.calls}
    lines = set()
    for assign in facts.assigns:
        if not isinstance(assign.value, Ref) or assign.value.text not in SEED_TAKERS:
            continue
        if {assign.target + ".seed", assign.target + ".manual_seed"} & seed_calls or any(
                other.target == assign.target and other.line in seeded_at for other in facts.assigns):
            lines.add(assign.line)
    return lines


DATALOADERS = ("torch.utils.data.DataLoader", "torch.utils.data.dataloader.DataLoader")


@rule(
    code="RPL103", name="dataloader-workers-unseeded", area="Randomness", severity=Severity.WARNING,
    summary="A shuffling DataLoader with worker processes in a run that leaves them unseeded",
    why="""
        With num_workers > 0 every worker is a process with its own random state. Since PyTorch 1.9 each worker
        seeds `random`, torch and NumPy from a base seed drawn from the loader's generator or the global torch
        generator, so a run that seeds torch gets the same shuffle and the same augmentations every time. A run
        that never seeds torch, or runs a torch older than 1.9 (whose workers inherit NumPy's state) without
        seeding NumPy, does not: the order and the augmentations change from run to run. PyTorch's
        reproducibility notes prescribe a seeded torch.Generator passed as generator= and a worker_init_fn that
        seeds NumPy and random per worker.
    """,
    fix="""
        Seed torch at the start of the run (torch.manual_seed(seed), or a helper that does), and on torch older
        than 1.9 pass g = torch.Generator(); g.manual_seed(seed); DataLoader(..., generator=g,
        worker_init_fn=seed_worker), with seed_worker setting np.random.seed and random.seed from
        torch.initial_seed() % 2**32.
    """,
    example="""
        import torch
        from torch.utils.data import DataLoader, TensorDataset

        if __name__ == "__main__":
            data = TensorDataset(torch.arange(1000.0).reshape(100, 10), torch.zeros(100))
            loader = DataLoader(data, batch_size=32, shuffle=True, num_workers=4)
            for batch in loader:
                pass
    """,
    use_instead="""
        import torch
        from torch.utils.data import DataLoader, TensorDataset

        if __name__ == "__main__":
            torch.manual_seed(0)  # since PyTorch 1.9 the workers seed themselves from it
            data = TensorDataset(torch.arange(1000.0).reshape(100, 10), torch.zeros(100))
            loader = DataLoader(data, batch_size=32, shuffle=True, num_workers=4)
            for batch in loader:
                pass
    """,
)
def dataloader_workers_unseeded(project):
    old_torch = torch_only_before(project, WORKERS_SEEDED_FROM_TORCH_SINCE)
    for file in project.python_files:
        if not production_python(file):
            continue
        for call in file.facts.python.calls:
            workers = _unseeded_workers(file, call)
            if workers is None:
                continue
            entries = entrypoints_reaching(project, Node(file.rel, call.scope))
            unseeded = [e.rel for e in entries if "torch" not in seeded_by(project, e)]
            # Before 1.9 workers seed torch and `random` but inherit NumPy's state: reproducible when it is seeded.
            numpy_unseeded = old_torch and any("numpy" not in seeded_by(project, e) for e in entries)
            if not entries or not (unseeded or numpy_unseeded):
                continue  # library code (its callers are judged), or workers seeded from the run's seeds
            why = (f"in a run that never seeds torch ({who(sorted(set(unseeded)))})" if unseeded else
                   f"and {old_torch} predates PyTorch {WORKERS_SEEDED_FROM_TORCH_SINCE}: its workers inherit "
                   f"NumPy's state, which the run never seeds")
            fix = autofixes.dataloader_seeding(project, file.rel, call.line)
            yield Hit(file.rel, call.line, f"DataLoader shuffles with num_workers={workers} {why}, and sets "
                                           f"neither a seeded `generator=` nor a `worker_init_fn`", col=call.col,
                      autofixes=(fix,) if fix else ())


def _unseeded_workers(file, call):
    """The worker count (as written) of a shuffling DataLoader with workers and no generator or worker_init_fn."""
    if call.name not in DATALOADERS or "**" in call.kwargs:
        return None
    shuffles = call.kwargs.get("shuffle") not in (None, False) or _random_sampler(
        file, call.kwargs.get("sampler")) or call.kwargs.get("batch_sampler") is not None or (
        len(call.args) > 2 and call.args[2] is not False)
    workers = call.kwargs.get("num_workers", call.args[5] if len(call.args) > 5 else 0)
    if not shuffles or workers in (0, None) or "generator" in call.kwargs or "worker_init_fn" in call.kwargs:
        return None
    return workers.text if isinstance(workers, Ref) else workers


def _random_sampler(file, sampler) -> bool:
    """A sampler that may shuffle: anything but a SequentialSampler, given directly or through a name that the
    file only ever binds to one."""
    if sampler is None:
        return False
    if isinstance(sampler, Ref) and sampler.kind == "name":
        bound = [a.value for a in file.facts.python.assigns if a.target == sampler.text]
        return not bound or not all(_sequential(v) for v in bound)
    return not _sequential(sampler)


def _sequential(value) -> bool:
    return isinstance(value, Ref) and value.kind == "call" and value.text.endswith("SequentialSampler")


@rule(
    code="RPL104", name="sklearn-random-state", area="Randomness", severity=Severity.WARNING,
    summary="A scikit-learn splitter or estimator with no random_state, in a run that does not seed NumPy",
    why="""
        scikit-learn draws from NumPy's global generator when random_state is None: a train/test split, a fold
        assignment or a forest changes on every run, and so does the score reported from it.
    """,
    fix="Pass random_state=SEED (from the command line or config), or seed NumPy at the start of the run.",
    example="""
        from sklearn.datasets import load_iris
        from sklearn.model_selection import train_test_split

        X, y = load_iris(return_X_y=True)
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)
    """,
    use_instead="""
        from sklearn.datasets import load_iris
        from sklearn.model_selection import train_test_split

        SEED = 0
        X, y = load_iris(return_X_y=True)
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=SEED)
    """,
)
def sklearn_random_state(project):
    flagged = set()
    for entry in entrypoints_to_check(project):
        seeded, pending = set(), []
        for node, call in reached_calls(project, entry):
            seeded |= seeded_families(call)
            if sklearn_needs_random_state(call):
                pending.append((node.rel, call))
        if "numpy" in seeded:
            continue
        for rel, call in pending:
            if (rel, call.line, call.col) not in flagged:
                flagged.add((rel, call.line, call.col))
                yield Hit(rel, call.line, f"`{call.name.rsplit('.', 1)[-1]}` has no random_state and NumPy's "
                                          f"global generator is not seeded on the way from {entry.rel}",
                          col=call.col, fix="pass random_state=SEED")


SEED_FLAGS = {"--seed", "--random-seed", "--random_seed", "--manual-seed", "--manual_seed", "--manualSeed", "--rng-seed"}


def _seed_flag_without_default(call) -> bool:
    return call.name.endswith(".add_argument") and bool(call.args) and call.args[0] in SEED_FLAGS and \
        call.kwargs.get("default") is None and call.kwargs.get("required") is not True


@rule(
    code="RPL105", name="seed-optional", area="Randomness", severity=Severity.WARNING,
    summary="The run is seeded only when --seed is given, and --seed has no default",
    why="""
        `if args.seed is not None: torch.manual_seed(args.seed)` with `--seed` defaulting to None (the pattern
        of the PyTorch ImageNet example) means the command in the README, run as written, is not seeded at all.
        The results it produces cannot be repeated, although the code looks seeded.
    """,
    fix="Give the seed argument a default (`default=0`) so that every run is seeded, and log the value used.",
    example="""
        import argparse

        import torch

        parser = argparse.ArgumentParser()
        parser.add_argument("--seed", type=int)
        args = parser.parse_args()
        if args.seed is not None:
            torch.manual_seed(args.seed)
        weights = torch.randn(10, 2)
    """,
    use_instead="""
        import argparse

        import torch

        parser = argparse.ArgumentParser()
        parser.add_argument("--seed", type=int, default=0)
        args = parser.parse_args()
        print(f"seed: {args.seed}")
        torch.manual_seed(args.seed)
        weights = torch.randn(10, 2)
    """,
)
def seed_optional(project):
    reported = set()
    for entry in entrypoints_to_check(project):
        flag, seeds_from_flag = None, False
        for node, call in reached_calls(project, entry):
            if flag is None and _seed_flag_without_default(call):
                flag = (node.rel, call)
            value = seed_argument(call) if seeded_families(call) else None
            if isinstance(value, Ref) and value.kind == "attr" and value.text.rsplit(".", 1)[-1].lower() in (
                    "seed", "random_seed", "manual_seed", "manualseed", "rng_seed"):
                seeds_from_flag = True
        if flag and seeds_from_flag and (flag[0], flag[1].line) not in reported:
            rel, call = flag
            reported.add((rel, call.line))
            yield Hit(rel, call.line, f"`{call.args[0]}` defaults to None, so {entry.rel} is seeded only when "
                                      f"the flag is given", col=call.col, fix=f"add `default=0` to `{call.args[0]}`")
