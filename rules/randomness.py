"""Randomness (RPL1xx): is every random generator an entrypoint draws from seeded, and seeded with a constant?"""
from __future__ import annotations

from reprolint.facts import Ref
from reprolint.model import Hit, Severity, rule
from reprolint.project import is_test_file
from reprolint.rules.ecosystem import (
    ENTROPY_WHEN_EMPTY, FAMILIES, SEED_CALL, SEED_TAKERS, draw_family, entropy_source, seed_argument,
    seeded_families)


def entrypoints_to_check(project):
    """Entrypoints whose runs produce results: test files are not among them."""
    return [e for e in project.entrypoints if not is_test_file(e.rel)]


def reached_calls(project, entry):
    """(node, call) for every call the entrypoint runs, in execution order (see Project.walk)."""
    return project.walk(entry)


def shown(name: str) -> str:
    """A call as a reader would write it: `resnet18().cuda` rather than `cifar.model.resnet18().cuda`."""
    head, paren, rest = name.partition("()")
    return head.rsplit(".", 1)[-1] + paren + rest if paren else name


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
)
def unseeded_random_generator(project):
    reports: dict = {}  # (path, line, family) -> entrypoints, so that a helper shared by scripts is reported once
    for entry in entrypoints_to_check(project):
        seeded, first_draw = set(), {}
        for node, call in reached_calls(project, entry):
            seeded |= seeded_families(call)
            family = draw_family(call)
            if family and family not in first_draw:
                first_draw[family] = (node.rel, call)
        for family, (rel, call) in first_draw.items():
            if family not in seeded:
                reports.setdefault((rel, call.line, call.col, family, call.name), []).append(entry.rel)
    for (rel, line, col, family, name), entries in sorted(reports.items()):
        who = entries[0] if len(entries) == 1 else f"{len(entries)} entrypoints ({', '.join(entries)})"
        where = "" if rel in entries else f" (reached from {who})"
        yield Hit(rel, line,
                  f"{who if not where else 'this call'} draws from {FAMILIES[family]} through `{shown(name)}`{where}, "
                  f"and nothing on the way seeds it",
                  col=col, fix=f"seed it once at the start of the run: `{SEED_CALL[family]}`, with SEED from "
                               f"the command line or the config")


@rule(
    code="RPL102", name="seed-from-entropy", area="Randomness", severity=Severity.ERROR,
    summary="A seed taken from the clock or from entropy, or a generator created without a seed",
    why="""
        A seed computed from time.time(), os.urandom(), a random draw, or a generator made without a seed
        (np.random.default_rng(), random.seed()) is different on every run: it looks like seeding, but the run
        cannot be repeated unless the value happens to be logged and fed back.
    """,
    fix="Seed with a constant, or a value from the command line or config (`--seed 0`), and log it.",
)
def seed_from_entropy(project):
    for file in project.python_files:
        if is_test_file(file.rel):
            continue
        entropy_names = {a.target: source for a in file.facts.python.assigns
                         if "." not in a.target and (source := entropy_source(a.value))}
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
            elif value is None and (call.name in ENTROPY_WHEN_EMPTY or call.name.endswith(".seed_everything")):
                yield Hit(file.rel, call.line, f"`{call.name}()` without a seed takes one from the operating "
                                               f"system's entropy, different on every run", col=call.col,
                          fix=f"pass a seed: `{call.name.rsplit('.', 1)[-1]}(seed)`")


DATALOADERS = ("torch.utils.data.DataLoader", "torch.utils.data.dataloader.DataLoader")


@rule(
    code="RPL103", name="dataloader-workers-unseeded", area="Randomness", severity=Severity.WARNING,
    summary="A shuffling DataLoader with worker processes, but no seeded generator and no worker_init_fn",
    why="""
        With num_workers > 0 every worker is a process with its own copy of the random state: NumPy and `random`
        draws in the dataset (augmentations) repeat across workers or change between runs, and the shuffle order
        follows whatever state the global generator is in. PyTorch's reproducibility notes prescribe a seeded
        torch.Generator passed as generator= and a worker_init_fn that seeds NumPy and random per worker.
    """,
    fix="""
        g = torch.Generator(); g.manual_seed(seed); DataLoader(..., generator=g, worker_init_fn=seed_worker),
        with seed_worker setting np.random.seed and random.seed from torch.initial_seed() % 2**32.
    """,
)
def dataloader_workers_unseeded(project):
    for file in project.python_files:
        if is_test_file(file.rel):
            continue
        for call in file.facts.python.calls:
            if call.name not in DATALOADERS or "**" in call.kwargs:
                continue
            shuffles = call.kwargs.get("shuffle") not in (None, False) or call.kwargs.get("sampler") is not None \
                or call.kwargs.get("batch_sampler") is not None or (len(call.args) > 2 and call.args[2] is not False)
            workers = call.kwargs.get("num_workers", call.args[5] if len(call.args) > 5 else 0)
            if shuffles and workers not in (0, None) and "generator" not in call.kwargs \
                    and "worker_init_fn" not in call.kwargs:
                shown = workers if not isinstance(workers, Ref) else workers.text
                yield Hit(file.rel, call.line, f"DataLoader shuffles with num_workers={shown} but sets neither a "
                                               f"seeded `generator=` nor a `worker_init_fn`", col=call.col)


# scikit-learn callables whose result depends on random_state by default (None: NumPy's global generator).
SKLEARN_RANDOM = {
    "model_selection.train_test_split", "model_selection.ShuffleSplit", "model_selection.StratifiedShuffleSplit",
    "model_selection.GroupShuffleSplit", "model_selection.RepeatedKFold", "model_selection.RepeatedStratifiedKFold",
    "model_selection.RandomizedSearchCV", "ensemble.RandomForestClassifier", "ensemble.RandomForestRegressor",
    "ensemble.ExtraTreesClassifier", "ensemble.ExtraTreesRegressor", "ensemble.GradientBoostingClassifier",
    "ensemble.GradientBoostingRegressor", "ensemble.HistGradientBoostingClassifier",
    "ensemble.HistGradientBoostingRegressor", "ensemble.AdaBoostClassifier", "ensemble.AdaBoostRegressor",
    "ensemble.BaggingClassifier", "ensemble.BaggingRegressor", "ensemble.IsolationForest",
    "ensemble.RandomTreesEmbedding", "tree.DecisionTreeClassifier", "tree.DecisionTreeRegressor",
    "cluster.KMeans", "cluster.MiniBatchKMeans", "cluster.SpectralClustering", "mixture.GaussianMixture",
    "mixture.BayesianGaussianMixture", "decomposition.TruncatedSVD", "decomposition.NMF", "decomposition.FastICA",
    "decomposition.LatentDirichletAllocation", "manifold.TSNE", "manifold.SpectralEmbedding",
    "neural_network.MLPClassifier", "neural_network.MLPRegressor", "linear_model.SGDClassifier",
    "linear_model.SGDRegressor", "linear_model.Perceptron", "linear_model.PassiveAggressiveClassifier",
    "svm.LinearSVC", "utils.shuffle", "utils.resample", "inspection.permutation_importance",
    "datasets.make_classification", "datasets.make_regression", "datasets.make_blobs", "datasets.make_moons",
    "datasets.make_circles",
}
# Splitters that draw only when asked to shuffle.
SKLEARN_RANDOM_IF_SHUFFLED = {"model_selection.KFold", "model_selection.StratifiedKFold",
                              "model_selection.GroupKFold"}


def _sklearn_needs_random_state(call) -> bool:
    if not call.name.startswith("sklearn.") or "random_state" in call.kwargs or "**" in call.kwargs:
        return False
    parts = call.name.split(".")
    short = f"{parts[1]}.{parts[-1]}" if len(parts) >= 3 else ""
    if short in SKLEARN_RANDOM_IF_SHUFFLED:
        return call.kwargs.get("shuffle") not in (None, False)
    return short in SKLEARN_RANDOM


@rule(
    code="RPL104", name="sklearn-random-state", area="Randomness", severity=Severity.WARNING,
    summary="A scikit-learn splitter or estimator with no random_state, in a run that does not seed NumPy",
    why="""
        scikit-learn draws from NumPy's global generator when random_state is None: a train/test split, a fold
        assignment or a forest changes on every run, and so does the score reported from it.
    """,
    fix="Pass random_state=SEED (from the command line or config), or seed NumPy at the start of the run.",
)
def sklearn_random_state(project):
    flagged = set()
    for entry in entrypoints_to_check(project):
        seeded, pending = set(), []
        for node, call in reached_calls(project, entry):
            seeded |= seeded_families(call)
            if _sklearn_needs_random_state(call):
                pending.append((node.rel, call))
        if "numpy" in seeded:
            continue
        for rel, call in pending:
            if (rel, call.line, call.col) not in flagged:
                flagged.add((rel, call.line, call.col))
                yield Hit(rel, call.line, f"`{call.name.rsplit('.', 1)[-1]}` has no random_state and NumPy's "
                                          f"global generator is not seeded on the way from {entry.rel}",
                          col=call.col, fix="pass random_state=SEED")
