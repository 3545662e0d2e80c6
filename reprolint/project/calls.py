"""What the ML ecosystem's calls mean for a run: which draw from which random generator, which seed it, which put
work on a GPU, train, or ask for deterministic kernels, and which of their arguments are hyperparameters. Names are
qualified (see reprolint.facts); the tables these predicates read are in reprolint.knowledge."""
from __future__ import annotations

from typing import Optional

from reprolint.facts import Call, Ref
from reprolint.knowledge.determinism import (
    INTERPOLATE_NONDETERMINISTIC_MODES, LIGHTNING_TRAINERS, NONDETERMINISTIC_METHODS, NONDETERMINISTIC_OPS, TENSORFLOW,
    TF1_TRAINING, TRAINERS,
)
from reprolint.knowledge.randomness import (
    ALL_PYTORCH, ENTROPY_SOURCES, EXPORT_CALLS, INPLACE_DRAWS, KERAS_DRAWING_LAYERS, KERAS_LAYERS, NUMPY_NOT_DRAWS,
    RANDOM_NOT_DRAWS, SEED_EVERYTHING, SEED_TAKERS, SEEDERS, SKLEARN_RANDOM, SKLEARN_RANDOM_IF_SHUFFLED, TF1_DRAWS,
    TF_DATA_DRAWS, TF_DROPOUTS, TF_IMAGE_DRAWS, TF_INITIALIZER_MODULES, TF_NOT_DRAWS, TF_NOT_RANDOM_INITIALIZERS, TORCH_DRAWS, TORCH_INIT_LAYERS,
    TF_SHUFFLE_KEYWORDS, TORCH_INIT_NOT_DRAWS, TORCH_PRNG_UTILS,
)
from reprolint.knowledge.recipes import (
    ANY_PREFIX, AUGMENTATIONS, DROPOUTS, KERAS_OPTIMIZERS, OPTAX_SCHEDULES, OPTIMIZER_KWARGS, SCHEDULER_KWARGS,
    SCHEDULER_POSITIONS, TORCHVISION, TRAINER_KWARGS, TRAINING_ARGUMENTS,
)


def seeded_families(call: Call) -> frozenset:
    """The generator families a call seeds, whatever value it seeds them with."""
    families = SEEDERS.get(call.name)
    if families is None and call.name.rsplit(".", 1)[-1] == SEED_EVERYTHING:
        families = ALL_PYTORCH
    return frozenset(families or ())


def seed_argument(call: Call):
    """The value a seed-taking call receives, or None when it gets none."""
    if call.args:
        return call.args[0]
    for key in ("seed", "x", "a"):
        if key in call.kwargs:
            return call.kwargs[key]
    return None


def entropy_source(value) -> Optional[str]:
    """The clock or entropy call a value derives from (`int(time.time())` -> `time.time`), if any."""
    # `default_rng(0).integers(...)` draws from a seeded generator of its own: only global sources count.
    if isinstance(value, Ref) and value.kind == "call" and value.text.startswith(ENTROPY_SOURCES) \
            and "()" not in value.text:
        if value.text not in SEED_TAKERS and not value.text.endswith((".seed", ".manual_seed")):
            return value.text
    return None


def draw_family(call: Call) -> Optional[str]:
    """The global generator a call draws from, if it draws from one (not with its own `generator=`)."""
    name = call.name
    if "generator" in call.kwargs or "rng" in call.kwargs:
        return None
    head, _, last = name.rpartition(".")
    if head == "random" and last not in RANDOM_NOT_DRAWS:
        return "random"
    if head == "numpy.random" and last not in NUMPY_NOT_DRAWS:
        return "numpy"
    if name.startswith("torch."):
        if (head == "torch" and last in TORCH_DRAWS) or name.startswith(TORCH_PRNG_UTILS):
            return "torch"
        if head == "torch.nn.init" and last not in TORCH_INIT_NOT_DRAWS:
            return "torch"
        if head == "torch.nn" and last in TORCH_INIT_LAYERS or name.startswith("torch.nn.functional.dropout"):
            return "torch"
        if name == "torch.utils.data.DataLoader" and call.kwargs.get("shuffle") not in (None, False):
            return "torch"
    if name.startswith(("torchvision.transforms.Random", "torchvision.transforms.v2.Random")):
        return "torch"
    if name.startswith("torchvision.models.") and last[:1].islower() and call.kwargs.get("pretrained") is not True \
            and call.kwargs.get("weights") in (None,):
        return "torch"  # a model built with random weights
    if last in INPLACE_DRAWS and not name.startswith(("numpy.", "random.")):
        return "torch"
    if head in ("tensorflow.random", "tensorflow.compat.v1.random") and last not in TF_NOT_DRAWS:
        return "tensorflow"
    if _tensorflow_initialises(name, head, last) or (head in ("tensorflow", "tensorflow.compat.v1") and
                                                       last in TF1_DRAWS):
        return "tensorflow"
    if _keras_layer_draws(name, last):
        return "tensorflow"  # layers initialise their weights from TensorFlow's generator
    if "seed" not in call.kwargs and (name.startswith(TF_IMAGE_DRAWS + TF_DATA_DRAWS) or _dataset_shuffle(call)):
        return "tensorflow"  # an op without an op seed draws from the global one
    return None


def _dataset_shuffle(call: Call) -> bool:
    """`ds.shuffle(1000)`, `data.shuffle(buffer_size=n)`: tf.data's shuffle, told from a generator's
    `rng.shuffle(array)` by its buffer size (a number) or its own keywords."""
    if call.name.rsplit(".", 1)[-1] != "shuffle" or call.name.startswith(("random.", "numpy.")):
        return False
    first = call.args[0] if call.args else None
    return bool(TF_SHUFFLE_KEYWORDS & call.kwargs.keys()) or (type(first) is int and first > 1)


def _tensorflow_initialises(name: str, head: str, last: str) -> bool:
    """A random TensorFlow initializer (tf.truncated_normal_initializer, tf.keras.initializers.GlorotUniform) or
    dropout: draws that happen while a model is built or trained."""
    if last in TF_NOT_RANDOM_INITIALIZERS:
        return False
    return (head in ("tensorflow", "tensorflow.compat.v1") and last.endswith("_initializer")) or \
        head in TF_INITIALIZER_MODULES or name in TF_DROPOUTS


def only_in_training(call: Call) -> bool:
    """A draw that initialises a model (layers, nn.init, in-place `normal_`) or regularises its training
    (dropout, stochastic depth's `bernoulli_`): it matters to a run that trains, not to one that builds a model,
    loads its weights from a checkpoint and evaluates it."""
    name = call.name
    head, _, last = name.rpartition(".")
    return (head == "torch.nn" and last in TORCH_INIT_LAYERS) or head == "torch.nn.init" or \
        name.startswith(("torch.nn.functional.dropout", "torchvision.models.")) or last in INPLACE_DRAWS or \
        _keras_layer_draws(name, last) or _tensorflow_initialises(name, head, last)


def _keras_layer_draws(name: str, last: str) -> bool:
    return name.startswith(KERAS_LAYERS) and (last in KERAS_DRAWING_LAYERS or last.startswith("Random"))


def sklearn_needs_random_state(call: Call) -> bool:
    """A scikit-learn call that draws from NumPy's global generator because it was given no random_state."""
    if not call.name.startswith("sklearn.") or "random_state" in call.kwargs or "**" in call.kwargs:
        return False
    parts = call.name.split(".")
    short = f"{parts[1]}.{parts[-1]}" if len(parts) >= 3 else ""
    if short in SKLEARN_RANDOM_IF_SHUFFLED:
        return call.kwargs.get("shuffle") not in (None, False)
    return short in SKLEARN_RANDOM


def uses_gpu(call: Call) -> bool:
    name, last = call.name, call.name.rsplit(".", 1)[-1]
    if last == "cuda" and not name.startswith("torch.cuda"):
        return True  # model.cuda(), x.cuda()
    if last == "to" and any(_is_cuda(v) for v in (*call.args[:1], call.kwargs.get("device"))):
        return True
    if name == "torch.device" and call.args and _is_cuda(call.args[0]):
        return True
    if name in ("torch.nn.parallel.DistributedDataParallel", "torch.nn.DataParallel",
                "torch.nn.parallel.DataParallel", "torch.cuda.set_device", "torch.cuda.is_available"):
        return True  # is_available: `torch.device("cuda" if torch.cuda.is_available() else "cpu")`
    if name.startswith(LIGHTNING_TRAINERS) and (call.kwargs.get("accelerator") in ("gpu", "cuda") or
                                           call.kwargs.get("gpus") not in (None, 0)):
        return True
    return _is_cuda(call.kwargs.get("device")) or (
        name == "torch.distributed.init_process_group" and call.kwargs.get("backend") == "nccl")


def _is_cuda(value) -> bool:
    return isinstance(value, str) and value.startswith("cuda")


def trains_torch(call: Call) -> bool:
    name = call.name
    return (name.startswith("torch.optim.") and name.rsplit(".", 1)[-1][:1].isupper()) or \
        name.endswith(".backward") or name.startswith(TRAINERS)


def trains_tensorflow(project, rel: str, call: Call) -> bool:
    """Keras fit or a GradientTape; `model.fit(...)` counts in a file that uses TensorFlow, since `model` is a
    local variable whose type the facts do not know."""
    name, last = call.name, call.name.rsplit(".", 1)[-1]
    if name in ("tensorflow.GradientTape", "tensorflow.keras.Model.fit") or (
            last in ("fit", "apply_gradients") and name.startswith(TENSORFLOW)):
        return True
    if name.startswith(TF1_TRAINING) and last.endswith("Optimizer"):
        return True  # TensorFlow 1: tf.train.AdamOptimizer, CrossShardOptimizer (an Estimator may only predict)
    # a method on a local object (`model.fit`, `estimator.train`), not the repository's own `run_lib.train()`
    if "." not in name or project.is_local_module(rel, name.split(".", 1)[0]):
        return False
    return last in ("fit", "fit_generator", "train") and rel in project.shared(
        "tensorflow-files", lambda: {f.rel for f in project.python_files if any(
            i.module.split(".")[0] in ("tensorflow", "keras", "tf_keras") for i in f.facts.python.imports)})


def deterministic_helper(call: Call) -> bool:
    """Lightning's Trainer(deterministic=True) or transformers' enable_full_determinism: both also set
    CUBLAS_WORKSPACE_CONFIG themselves."""
    if call.name.startswith(LIGHTNING_TRAINERS):
        return call.kwargs.get("deterministic") not in (None, False)
    return call.name in ("transformers.enable_full_determinism", "transformers.trainer_utils.enable_full_determinism")


def requests_torch_determinism(call: Call) -> bool:
    """torch.use_deterministic_algorithms(True), its debug-mode twin, or a helper that does it."""
    name = call.name
    if name in ("torch.use_deterministic_algorithms", "torch.set_deterministic"):
        mode = call.args[0] if call.args else call.kwargs.get("mode", call.kwargs.get("d"))
        return mode is True or isinstance(mode, Ref)
    if name == "torch.set_deterministic_debug_mode":
        mode = call.args[0] if call.args else call.kwargs.get("debug_mode")
        return mode not in (0, "default")
    return deterministic_helper(call)


def environment_set(call: Call) -> set:
    """The environment variables a call sets: os.environ.setdefault, os.putenv, os.environ.update."""
    if call.name in ("os.environ.setdefault", "os.putenv"):
        return {call.args[0]} if call.args and isinstance(call.args[0], str) else set()
    if call.name == "os.environ.update":
        return set(call.kwargs) | {k for a in call.args if isinstance(a, dict) for k in a if isinstance(k, str)}
    return set()


def nondeterministic_op(call: Call) -> Optional[str]:
    """The op name when a call uses one with no deterministic CUDA implementation."""
    name, last = call.name, call.name.rsplit(".", 1)[-1]
    if name in NONDETERMINISTIC_OPS:
        return name
    if name in ("torch.nn.functional.interpolate", "torch.nn.Upsample"):
        mode = call.kwargs.get("mode")
        return name if mode in INTERPOLATE_NONDETERMINISTIC_MODES or isinstance(mode, Ref) else None
    if last in ("put_", "index_put_"):
        return f"Tensor.{last}" if call.kwargs.get("accumulate") not in (None, False) else None
    if last in NONDETERMINISTIC_METHODS and not name.startswith(("numpy.", "pandas.")) and (
            not name.startswith("torch.") or name.startswith("torch.Tensor.")):
        return f"Tensor.{last}"
    return None


def op_phase(op: str) -> str:
    """"backward" when an op is nondeterministic only in its backward pass, else "forward"."""
    if op.startswith("Tensor."):
        return NONDETERMINISTIC_METHODS.get(op[len("Tensor."):], "forward")
    return NONDETERMINISTIC_OPS.get(op, "backward" if op.endswith(("interpolate", "Upsample")) else "forward")


def matters(project, rel: str, call: Call) -> bool:
    """Whether a call means anything to the randomness or determinism rules: the walk keeps only these."""
    name = call.name
    return bool(name.startswith(("sklearn.", "os.environ", "os.putenv", "tensorflow.config")) or
                name.endswith(".add_argument") or name in SEED_TAKERS or draw_family(call) or
                seeded_families(call) or uses_gpu(call) or trains_torch(call) or
                trains_tensorflow(project, rel, call) or requests_torch_determinism(call) or
                nondeterministic_op(call) or exports_model(call))


def exports_model(call: Call) -> bool:
    """A call that exports, traces or profiles a model (knowledge/randomness.EXPORT_CALLS)."""
    return call.name.startswith(EXPORT_CALLS)


def hyperparameters(call: Call) -> dict:
    """{parameter: value} of the arguments of a call that govern training, as written (literal or Ref)."""
    name = call.name
    last = name.rsplit(".", 1)[-1]
    if not (name.startswith(ANY_PREFIX) or last in ("fit", "fit_generator")):
        return {}  # most calls: nothing to look up
    positions: tuple = ()
    judged: set = set()
    if name.startswith("torch.optim.lr_scheduler."):
        positions, judged = (("",) + SCHEDULER_POSITIONS.get(last, ())), SCHEDULER_KWARGS
    elif name.startswith("torch.optim.") and last[:1].isupper() or name.startswith(
            ("timm.optim.", "torch_optimizer.", "bitsandbytes.optim.", "apex.optimizers.")) and last[:1].isupper():
        positions, judged = ("", "lr"), OPTIMIZER_KWARGS
    elif name.startswith(KERAS_OPTIMIZERS) and ".schedules." not in name and last[:1].isupper():
        positions, judged = ("learning_rate",), OPTIMIZER_KWARGS
    elif name.startswith("optax.") and last in OPTAX_SCHEDULES:
        positions, judged = OPTAX_SCHEDULES[last], set(OPTAX_SCHEDULES[last]) | {"end_value"}
    elif name.startswith("optax.") and last in ("adam", "adamw", "sgd", "lamb", "lars", "rmsprop", "adagrad",
                                                  "adafactor", "lion", "adabelief", "nadam", "radam"):
        positions, judged = ("learning_rate",), OPTIMIZER_KWARGS
    elif name in ("transformers.TrainingArguments", "transformers.Seq2SeqTrainingArguments"):
        judged = TRAINING_ARGUMENTS
    elif name.startswith("transformers.get_") and name.endswith("_schedule_with_warmup"):
        positions, judged = ("", "num_warmup_steps", "num_training_steps"), {"num_warmup_steps",
                                                                              "num_training_steps"}
    elif name.startswith(("pytorch_lightning.Trainer", "lightning.Trainer", "lightning.pytorch.Trainer")):
        judged = TRAINER_KWARGS
    elif name == "torch.utils.data.DataLoader" and (call.kwargs.get("shuffle") is True or (
            call.kwargs.get("drop_last") is True and call.kwargs.get("shuffle") is not False)):
        positions, judged = ("", "batch_size"), {"batch_size"}  # a training loader: it shuffles (`shuffle=False`
        # says evaluation order, whatever drop_last says)
    elif last in ("fit", "fit_generator") and name != "fit":
        judged = {"batch_size", "epochs"}
    elif name in ("sklearn.model_selection.train_test_split",):
        judged = {"test_size", "train_size"}
    elif name.startswith(TORCHVISION) and last in AUGMENTATIONS:
        positions, judged = AUGMENTATIONS[last]
    elif name in DROPOUTS:
        positions, judged = (("rate",), {"rate"}) if "keras" in name else (("p",), {"p"})
    elif name in ("torch.nn.CrossEntropyLoss",):
        judged = {"label_smoothing"}
    elif name in ("torch.nn.utils.clip_grad_norm_", "torch.nn.utils.clip_grad_value_"):
        positions, judged = ("", "max_norm" if last == "clip_grad_norm_" else "clip_value"), {"max_norm",
                                                                                              "clip_value"}
    elif name in ("timm.utils.ModelEmaV2", "timm.utils.ModelEma", "timm.utils.ModelEmaV3",
                  "torch_ema.ExponentialMovingAverage"):
        positions, judged = ("", "decay"), {"decay"}
    found = {p: v for p, v in zip(positions, call.args) if p}
    found.update({k: v for k, v in call.kwargs.items() if k in judged})
    return found
