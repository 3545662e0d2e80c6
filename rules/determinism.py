"""Determinism (RPL2xx): is the GPU told to pick the same kernels on every run?"""
from __future__ import annotations

import re

from reprolint.knowledge.checklist import CHECKPOINT_LOADS, CHECKPOINT_METHODS
from reprolint.knowledge.determinism import CUBLAS, CUBLAS_NOT_NEEDED_FROM, CUDNN_BENCHMARK
from reprolint.model import Hit, Severity, rule
from reprolint.project.calls import op_phase
from reprolint.project.runs import grouped_by_place, runs, shown, who
from reprolint.project.scopes import torch_specifiers
from reprolint.project.walk import Node
from reprolint.rules import autofixes


@rule(
    code="RPL201", name="cudnn-benchmark", area="Determinism", severity=Severity.WARNING,
    summary="`torch.backends.cudnn.benchmark = True` lets cuDNN pick different kernels on every run",
    why="""
        With benchmark mode on, cuDNN times several convolution algorithms on the first batches and keeps the
        fastest; the choice depends on timing noise, and the algorithms do not give bit-identical results. Two
        runs with the same seed then diverge.
    """,
    fix="""
        Set torch.backends.cudnn.benchmark = False and torch.backends.cudnn.deterministic = True for runs that
        must reproduce (or make benchmark mode a flag that is off by default).
    """,
    example="""
        import torch

        torch.manual_seed(0)
        torch.backends.cudnn.benchmark = True
        model = torch.nn.Conv2d(3, 16, kernel_size=3).cuda()
        images = torch.randn(8, 3, 32, 32).cuda()
        model(images).mean().backward()
    """,
    use_instead="""
        import torch

        torch.manual_seed(0)
        torch.backends.cudnn.benchmark = False
        torch.backends.cudnn.deterministic = True
        model = torch.nn.Conv2d(3, 16, kernel_size=3).cuda()
        images = torch.randn(8, 3, 32, 32).cuda()
        model(images).mean().backward()
    """,
)
def cudnn_benchmark(project):
    training_files = set().union(*(run.files for _, run in runs(project) if run.trains))
    for file in project.python_files:
        if file.rel not in training_files:  # inference and benchmarking scripts may pick the fastest kernels
            continue
        for assign in file.facts.python.assigns:
            if assign.target == CUDNN_BENCHMARK and assign.value is True:
                yield Hit(file.rel, assign.line, "cuDNN benchmark mode is switched on: convolution algorithms are "
                                                 "chosen by timing, differently from run to run", col=assign.col,
                          autofixes=(autofixes.cudnn_deterministic(project, file.rel, assign.line),))


@rule(
    code="RPL202", name="gpu-training-nondeterministic", area="Determinism", severity=Severity.WARNING,
    summary="An entrypoint trains on a GPU without asking PyTorch for deterministic algorithms",
    why="""
        Many CUDA kernels (atomic adds in backward passes, cuDNN's fastest convolutions) are nondeterministic:
        even with every generator seeded, two GPU runs drift apart. PyTorch only uses deterministic
        implementations when asked, and raises on the operations that have none.
    """,
    fix="""
        At the start of the run: torch.use_deterministic_algorithms(True) and torch.backends.cudnn.deterministic =
        True (with Lightning: Trainer(deterministic=True); with transformers: enable_full_determinism(seed)).
    """,
    example="""
        import torch

        torch.manual_seed(0)
        model = torch.nn.Linear(10, 2).cuda()
        batch = torch.randn(32, 10).cuda()
        model(batch).sum().backward()
    """,
    use_instead="""
        import os

        import torch

        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.use_deterministic_algorithms(True)
        torch.backends.cudnn.deterministic = True
        torch.manual_seed(0)
        model = torch.nn.Linear(10, 2).cuda()
        batch = torch.randn(32, 10).cuda()
        model(batch).sum().backward()
    """,
)
def gpu_training_nondeterministic(project):
    reports = [(entry.rel, *run.first_gpu, None) for entry, run in runs(project)
               if run.first_gpu and run.first_train and not run.deterministic]
    needs_cublas = _torch_needs_cublas_config(project)[0]
    for rel, call, _, entries in grouped_by_place(reports):
        fixes = tuple(f for e in entries if (f := autofixes.deterministic_algorithms(project, e, needs_cublas)))
        yield Hit(rel, call.line, f"{', '.join(entries)} train{'s' if len(entries) == 1 else ''} on the GPU "
                                  f"(`{shown(call.name)}`) but never ask{'s' if len(entries) == 1 else ''} for "
                                  f"deterministic algorithms", col=call.col, autofixes=fixes)


@rule(
    code="RPL203", name="cublas-workspace-config-missing", area="Determinism", severity=Severity.WARNING,
    summary="Deterministic algorithms requested without CUBLAS_WORKSPACE_CONFIG, which the pinned torch needs",
    why="""
        Before PyTorch 2.10, torch.use_deterministic_algorithms(True) with CUDA 10.2 or newer requires the
        environment variable CUBLAS_WORKSPACE_CONFIG=:4096:8 (or :16:8) to be set before CUDA initialises;
        without it every cuBLAS call raises a RuntimeError (or, with warn_only=True, stays nondeterministic).
        PyTorch 2.10 removed the requirement.
    """,
    fix="""
        Set os.environ["CUBLAS_WORKSPACE_CONFIG"] = ":4096:8" at the top of the entrypoint, before torch touches
        CUDA (or export it in the launch script), or require torch>=2.10.
    """,
    example={
        "requirements.txt": "torch==2.1.2\n",
        "train.py": """
            import torch

            torch.use_deterministic_algorithms(True)
            torch.manual_seed(0)
            model = torch.nn.Linear(10, 2).cuda()
            model(torch.randn(32, 10).cuda()).sum().backward()
        """,
    },
    use_instead={
        "requirements.txt": "torch==2.1.2\n",
        "train.py": """
            import os

            import torch

            os.environ["CUBLAS_WORKSPACE_CONFIG"] = ":4096:8"
            torch.use_deterministic_algorithms(True)
            torch.manual_seed(0)
            model = torch.nn.Linear(10, 2).cuda()
            model(torch.randn(32, 10).cuda()).sum().backward()
        """,
    },
)
def cublas_workspace_config_missing(project):
    needs, basis = _torch_needs_cublas_config(project)
    if not needs:
        return
    if project.text_mentions(CUBLAS):  # exported by a launch script, a Dockerfile, or the README's commands
        return
    for entry, run in runs(project):
        if run.deterministic_call and run.deterministic_call[1].name.startswith("torch.") and not run.cublas_set:
            rel, call = run.deterministic_call
            yield Hit(rel, call.line, f"deterministic algorithms are requested but {CUBLAS} is never set; "
                                      f"{basis} still needs it", col=call.col,
                      fix=f'set os.environ["{CUBLAS}"] = ":4096:8" before CUDA initialises, or require '
                          f"torch>={CUBLAS_NOT_NEEDED_FROM}")


def _torch_needs_cublas_config(project) -> tuple[bool, str]:
    """Whether the torch the repository pins predates 2.10, and the declaration the answer rests on."""
    from packaging.version import Version

    requirement = project.requirement("torch", "pytorch")
    if requirement is None or not requirement.specifier:
        where = f" ({requirement.rel}:{requirement.line})" if requirement else ""
        return True, f"torch is not pinned{where}, and every release before {CUBLAS_NOT_NEEDED_FROM}"
    specifiers = torch_specifiers(requirement.specifier)
    if specifiers is None:
        return True, f"torch {requirement.specifier.strip()} ({requirement.rel}:{requirement.line})"
    old_allowed = any(s.operator in ("==", "===", "<", "<=", "~=") and Version(s.version.rstrip(".*")) <
                      Version(CUBLAS_NOT_NEEDED_FROM) for s in specifiers) or not any(
        s.operator in (">=", ">", "==", "~=") for s in specifiers)
    basis = f"torch {requirement.specifier} ({requirement.rel}:{requirement.line})"
    return old_allowed, basis


@rule(
    code="RPL204", name="tensorflow-nondeterministic", area="Determinism", severity=Severity.WARNING,
    summary="TensorFlow training without op determinism",
    why="""
        TensorFlow's GPU kernels are nondeterministic by default; seeding alone does not make two training runs
        agree. tf.config.experimental.enable_op_determinism() (TensorFlow 2.8 and later), or TF_DETERMINISTIC_OPS=1
        on older versions, selects deterministic kernels and raises where none exists.
    """,
    fix="Call tf.config.experimental.enable_op_determinism() at the start of the run (with tf.keras.utils."
        "set_random_seed(seed)).",
    example="""
        import tensorflow as tf

        tf.keras.utils.set_random_seed(0)
        (x, y), _ = tf.keras.datasets.mnist.load_data()
        model = tf.keras.Sequential([tf.keras.layers.Flatten(), tf.keras.layers.Dense(10)])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(x / 255.0, y)
    """,
    use_instead="""
        import tensorflow as tf

        tf.keras.utils.set_random_seed(0)
        tf.config.experimental.enable_op_determinism()
        (x, y), _ = tf.keras.datasets.mnist.load_data()
        model = tf.keras.Sequential([tf.keras.layers.Flatten(), tf.keras.layers.Dense(10)])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(x / 255.0, y)
    """,
)
def tensorflow_nondeterministic(project):
    reports = [(entry.rel, *run.first_tf_train, None) for entry, run in runs(project)
               if run.first_tf_train and not run.tf_deterministic]
    for rel, call, _, entries in grouped_by_place(reports):
        yield Hit(rel, call.line, f"{who(entries)} train{'s' if len(entries) == 1 else ''} with TensorFlow "
                                  f"(`{shown(call.name)}`) without op determinism", col=call.col)


# Functions that load or adapt stored weights (`load_pretrained`, `interpolate_pos_embed`, `resize_state_dict`):
# what they compute is a one-off transform of a checkpoint's tensors, with no backward pass.
_WEIGHT_ADAPTATION = re.compile(r"(^|_)(load|loading|checkpoint|ckpt|pretrained|state_dict|pos_embed|convert|remap)"
                                r"(_|$)|^load", re.I)


def _adapts_weights(project, rel: str, scope: str) -> bool:
    """A function that loads a checkpoint (torch.load, load_state_dict) or is named for adapting stored weights."""
    if _WEIGHT_ADAPTATION.search(scope.rsplit(".", 1)[-1]):
        return True
    return any(c.name in CHECKPOINT_LOADS or c.name.rsplit(".", 1)[-1] in CHECKPOINT_METHODS
               for c in project.calls_at(Node(rel, scope)))


@rule(
    code="RPL205", name="nondeterministic-cuda-op", area="Determinism", severity=Severity.INFO,
    summary="An operation PyTorch documents as nondeterministic on CUDA, in a GPU run without deterministic mode",
    why="""
        Some operations have no deterministic CUDA implementation (scatter_add_, index_add_, bincount, adaptive
        pooling and interpolation backward passes, ctc_loss, ...): they accumulate with atomic adds in an order
        that changes between runs. In deterministic mode PyTorch raises on them, which at least makes the
        nondeterminism visible.
    """,
    fix="Enable torch.use_deterministic_algorithms(True) to find out which of these actually run on the GPU, "
        "and replace them (or accept and document the variance).",
    example="""
        import torch

        torch.manual_seed(0)
        features = torch.randn(1000, 64, device="cuda")
        labels = torch.randint(0, 10, (1000,), device="cuda")
        sums = torch.zeros(10, 64, device="cuda")
        sums.index_add_(0, labels, features)
    """,
    use_instead="""
        import os

        import torch

        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.use_deterministic_algorithms(True)
        torch.manual_seed(0)
        features = torch.randn(1000, 64, device="cuda")
        labels = torch.randint(0, 10, (1000,), device="cuda")
        sums = torch.zeros(10, 64, device="cuda")
        sums.index_add_(0, labels, features)
    """,
)
def nondeterministic_cuda_op(project):
    reported = set()
    for entry, run in runs(project):
        if not run.first_gpu or run.deterministic:
            continue
        for rel, call, op in run.ops:
            if op_phase(op) == "backward" and (not run.trains or _adapts_weights(project, rel, call.scope)):
                continue  # nondeterministic only in the backward pass: an inference run, or code that resizes
                # the tensors of a checkpoint while loading it, never takes it
            if (rel, call.line, call.col) not in reported:
                reported.add((rel, call.line, call.col))
                yield Hit(rel, call.line, f"`{op}` has no deterministic CUDA implementation, and {entry.rel} runs "
                                          f"on the GPU without deterministic mode", col=call.col)
