"""What the ML ecosystem's calls mean for reproducibility: which draw from which random generator, which seed it,
which put work on a GPU, which ask for deterministic kernels. Names are qualified (see reprolint.facts)."""
from __future__ import annotations

from typing import Optional

from reprolint.facts import Call, Ref

FAMILIES = {
    "random": "Python's `random`",
    "numpy": "NumPy's global generator",
    "torch": "PyTorch's generator",
    "tensorflow": "TensorFlow's global generator",
}
SEED_CALL = {
    "random": "random.seed(SEED)",
    "numpy": "np.random.seed(SEED)",
    "torch": "torch.manual_seed(SEED)",
    "tensorflow": "tf.random.set_seed(SEED)",
}

# ---------------------------------------------------------------- seeding

_ALL_PYTORCH = frozenset({"random", "numpy", "torch"})
SEEDERS = {
    "random.seed": {"random"},
    "numpy.random.seed": {"numpy"},
    "torch.manual_seed": {"torch"},
    "torch.random.manual_seed": {"torch"},
    "tensorflow.random.set_seed": {"tensorflow"},
    "tensorflow.set_random_seed": {"tensorflow"},
    "tensorflow.compat.v1.set_random_seed": {"tensorflow"},
    "tensorflow.compat.v1.random.set_random_seed": {"tensorflow"},
    "tensorflow.random.set_random_seed": {"tensorflow"},
    "tensorflow.keras.utils.set_random_seed": {"random", "numpy", "tensorflow"},
    "keras.utils.set_random_seed": {"random", "numpy", "tensorflow"},
    "tf_keras.utils.set_random_seed": {"random", "numpy", "tensorflow"},
    "transformers.set_seed": {"random", "numpy", "torch", "tensorflow"},
    "transformers.trainer_utils.set_seed": {"random", "numpy", "torch", "tensorflow"},
    "transformers.enable_full_determinism": {"random", "numpy", "torch", "tensorflow"},
    "transformers.trainer_utils.enable_full_determinism": {"random", "numpy", "torch", "tensorflow"},
    "accelerate.utils.set_seed": _ALL_PYTORCH,
    "accelerate.utils.random.set_seed": _ALL_PYTORCH,
    "detectron2.utils.env.seed_all_rng": _ALL_PYTORCH,
    "mmengine.runner.set_random_seed": _ALL_PYTORCH,
    "mmcv.runner.set_random_seed": _ALL_PYTORCH,
    "mmdet.apis.set_random_seed": _ALL_PYTORCH,
    "ignite.utils.manual_seed": _ALL_PYTORCH,
    "timm.utils.random_seed": _ALL_PYTORCH,
    "torch_geometric.seed_everything": _ALL_PYTORCH,
    "stable_baselines3.common.utils.set_random_seed": _ALL_PYTORCH,
    "fairseq.utils.set_torch_seed": {"torch"},
}
# Lightning's seed_everything, under any of its import paths, and Fabric's `fabric.seed_everything(...)`.
_SEED_EVERYTHING = "seed_everything"


def seeded_families(call: Call) -> frozenset:
    """The generator families a call seeds, whatever value it seeds them with."""
    families = SEEDERS.get(call.name)
    if families is None and call.name.rsplit(".", 1)[-1] == _SEED_EVERYTHING:
        families = _ALL_PYTORCH
    return frozenset(families or ())


# Calls that take a seed, and make a generator from entropy when given none (`random.seed()` reseeds from the OS).
SEED_TAKERS = set(SEEDERS) | {
    "numpy.random.default_rng", "numpy.random.RandomState", "numpy.random.SeedSequence", "random.Random",
    "jax.random.PRNGKey", "jax.random.key", "torch.Generator().manual_seed",
}
ENTROPY_WHEN_EMPTY = {"random.seed", "numpy.random.seed", "numpy.random.default_rng", "numpy.random.RandomState",
                      "random.Random", "numpy.random.SeedSequence"}
_ENTROPY_SOURCES = ("time.", "datetime.", "os.urandom", "os.getpid", "secrets.", "uuid.", "torch.seed",
                    "random.", "numpy.random.", "torch.randint", "torch.rand", "jax.random.")


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
    if isinstance(value, Ref) and value.kind == "call" and value.text.startswith(_ENTROPY_SOURCES) \
            and "()" not in value.text:
        if value.text not in SEED_TAKERS and not value.text.endswith((".seed", ".manual_seed")):
            return value.text
    return None


# ---------------------------------------------------------------- draws from global generators

_NUMPY_NOT_DRAWS = {"seed", "default_rng", "RandomState", "Generator", "SeedSequence", "PCG64", "PCG64DXSM",
                    "MT19937", "Philox", "SFC64", "BitGenerator", "get_state", "set_state", "bit_generator"}
_RANDOM_NOT_DRAWS = {"seed", "Random", "SystemRandom", "getstate", "setstate"}
_TORCH_DRAWS = {"rand", "randn", "randint", "randperm", "rand_like", "randn_like", "randint_like", "normal",
                "bernoulli", "multinomial", "poisson"}
_TORCH_PRNG_UTILS = ("torch.utils.data.random_split", "torch.utils.data.RandomSampler",
                     "torch.utils.data.SubsetRandomSampler", "torch.utils.data.WeightedRandomSampler")
# Modules whose construction initialises weights from torch's generator.
_TORCH_INIT_LAYERS = {"Linear", "Bilinear", "LazyLinear", "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d",
                      "ConvTranspose2d", "ConvTranspose3d", "Embedding", "EmbeddingBag", "LSTM", "GRU", "RNN",
                      "LSTMCell", "GRUCell", "MultiheadAttention", "Transformer", "TransformerEncoderLayer",
                      "TransformerDecoderLayer", "Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout"}
_TORCH_INIT_NOT_DRAWS = {"calculate_gain", "constant_", "zeros_", "ones_", "eye_", "dirac_"}
_INPLACE_DRAWS = ("normal_", "uniform_", "bernoulli_", "random_", "exponential_", "cauchy_", "geometric_",
                  "log_normal_")
_KERAS_LAYERS = ("tensorflow.keras.layers.", "keras.layers.", "tf_keras.layers.")
# TensorFlow 1's names for draws (tf.random_normal, tf.truncated_normal_initializer, ...), also under compat.v1.
_TF1_DRAWS = {"random_normal", "random_uniform", "truncated_normal", "random_shuffle", "random_crop", "multinomial",
              "random_gamma", "random_poisson"}
_TF_NOT_RANDOM_INITIALIZERS = {"zeros_initializer", "ones_initializer", "constant_initializer", "Zeros", "Ones",
                               "Constant", "Identity", "identity_initializer"}
_TF_INITIALIZER_MODULES = ("tensorflow.keras.initializers", "tensorflow.initializers", "keras.initializers",
                           "tensorflow.compat.v1.keras.initializers")
_TF_DROPOUTS = ("tensorflow.nn.dropout", "tensorflow.layers.dropout", "tensorflow.compat.v1.nn.dropout",
                "tensorflow.compat.v1.layers.dropout")
_TF_NOT_DRAWS = {"set_seed", "Generator", "experimental", "get_global_generator", "set_global_generator",
                 "create_rng_state", "stateless_uniform", "stateless_normal"}


def draw_family(call: Call) -> Optional[str]:
    """The global generator a call draws from, if it draws from one (not with its own `generator=`)."""
    name = call.name
    if "generator" in call.kwargs or "rng" in call.kwargs:
        return None
    head, _, last = name.rpartition(".")
    if head == "random" and last not in _RANDOM_NOT_DRAWS:
        return "random"
    if head == "numpy.random" and last not in _NUMPY_NOT_DRAWS:
        return "numpy"
    if name.startswith("torch."):
        if (head == "torch" and last in _TORCH_DRAWS) or name.startswith(_TORCH_PRNG_UTILS):
            return "torch"
        if head == "torch.nn.init" and last not in _TORCH_INIT_NOT_DRAWS:
            return "torch"
        if head == "torch.nn" and last in _TORCH_INIT_LAYERS or name.startswith("torch.nn.functional.dropout"):
            return "torch"
        if name == "torch.utils.data.DataLoader" and call.kwargs.get("shuffle") not in (None, False):
            return "torch"
    if name.startswith(("torchvision.transforms.Random", "torchvision.transforms.v2.Random")):
        return "torch"
    if name.startswith("torchvision.models.") and last[:1].islower() and call.kwargs.get("pretrained") is not True \
            and call.kwargs.get("weights") in (None,):
        return "torch"  # a model built with random weights
    if last in _INPLACE_DRAWS and not name.startswith(("numpy.", "random.")):
        return "torch"
    if head in ("tensorflow.random", "tensorflow.compat.v1.random") and last not in _TF_NOT_DRAWS:
        return "tensorflow"
    if _tensorflow_initialises(name, head, last) or (head in ("tensorflow", "tensorflow.compat.v1") and
                                                       last in _TF1_DRAWS):
        return "tensorflow"
    if name.startswith(_KERAS_LAYERS) and last[:1].isupper():
        return "tensorflow"  # layers initialise their weights from TensorFlow's generator
    return None


def _tensorflow_initialises(name: str, head: str, last: str) -> bool:
    """A random TensorFlow initializer (tf.truncated_normal_initializer, tf.keras.initializers.GlorotUniform) or
    dropout: draws that happen while a model is built or trained."""
    if last in _TF_NOT_RANDOM_INITIALIZERS:
        return False
    return (head in ("tensorflow", "tensorflow.compat.v1") and last.endswith("_initializer")) or \
        head in _TF_INITIALIZER_MODULES or name in _TF_DROPOUTS


def only_in_training(call: Call) -> bool:
    """A draw that initialises a model (layers, nn.init, in-place `normal_`) or regularises its training
    (dropout, stochastic depth's `bernoulli_`): it matters to a run that trains, not to one that builds a model,
    loads its weights from a checkpoint and evaluates it."""
    name = call.name
    head, _, last = name.rpartition(".")
    return (head == "torch.nn" and last in _TORCH_INIT_LAYERS) or head == "torch.nn.init" or \
        name.startswith(("torch.nn.functional.dropout", "torchvision.models.")) or last in _INPLACE_DRAWS or \
        (name.startswith(_KERAS_LAYERS) and last[:1].isupper()) or _tensorflow_initialises(name, head, last)


# ---------------------------------------------------------------- scikit-learn

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


def sklearn_needs_random_state(call: Call) -> bool:
    """A scikit-learn call that draws from NumPy's global generator because it was given no random_state."""
    if not call.name.startswith("sklearn.") or "random_state" in call.kwargs or "**" in call.kwargs:
        return False
    parts = call.name.split(".")
    short = f"{parts[1]}.{parts[-1]}" if len(parts) >= 3 else ""
    if short in SKLEARN_RANDOM_IF_SHUFFLED:
        return call.kwargs.get("shuffle") not in (None, False)
    return short in SKLEARN_RANDOM


# ---------------------------------------------------------------- GPU, training, determinism

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
    if name.startswith(_LIGHTNING_TRAINERS) and (call.kwargs.get("accelerator") in ("gpu", "cuda") or
                                           call.kwargs.get("gpus") not in (None, 0)):
        return True
    return _is_cuda(call.kwargs.get("device")) or (
        name == "torch.distributed.init_process_group" and call.kwargs.get("backend") == "nccl")


def _is_cuda(value) -> bool:
    return isinstance(value, str) and value.startswith("cuda")


_LIGHTNING_TRAINERS = ("pytorch_lightning.Trainer", "lightning.Trainer", "lightning.pytorch.Trainer")
_TRAINERS = _LIGHTNING_TRAINERS + ("transformers.Trainer", "transformers.Seq2SeqTrainer", "trl.SFTTrainer")


def trains_torch(call: Call) -> bool:
    name = call.name
    return (name.startswith("torch.optim.") and name.rsplit(".", 1)[-1][:1].isupper()) or \
        name.endswith(".backward") or name.startswith(_TRAINERS)


def trains_tensorflow(project, rel: str, call: Call) -> bool:
    """Keras fit or a GradientTape; `model.fit(...)` counts in a file that uses TensorFlow, since `model` is a
    local variable whose type the facts do not know."""
    name, last = call.name, call.name.rsplit(".", 1)[-1]
    if name in ("tensorflow.GradientTape", "tensorflow.keras.Model.fit") or (
            last in ("fit", "apply_gradients") and name.startswith(_TENSORFLOW)):
        return True
    if name.startswith(_TF1_TRAINING) and last.endswith("Optimizer"):
        return True  # TensorFlow 1: tf.train.AdamOptimizer, CrossShardOptimizer (an Estimator may only predict)
    # a method on a local object (`model.fit`, `estimator.train`), not the repository's own `run_lib.train()`
    if "." not in name or project.is_local_module(rel, name.split(".", 1)[0]):
        return False
    return last in ("fit", "fit_generator", "train") and rel in project.shared(
        "tensorflow-files", lambda: {f.rel for f in project.python_files if any(
            i.module.split(".")[0] in ("tensorflow", "keras", "tf_keras") for i in f.facts.python.imports)})


_TENSORFLOW = ("tensorflow.", "keras.", "tf_keras.")
_TF1_TRAINING = ("tensorflow.estimator.", "tensorflow.contrib.tpu.", "tensorflow.train.",
                 "tensorflow.compat.v1.estimator.", "tensorflow.compat.v1.train.")


def deterministic_helper(call: Call) -> bool:
    """Lightning's Trainer(deterministic=True) or transformers' enable_full_determinism: both also set
    CUBLAS_WORKSPACE_CONFIG themselves."""
    if call.name.startswith(_LIGHTNING_TRAINERS):
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


# Operations PyTorch documents as raising under use_deterministic_algorithms(True) on CUDA: they have no
# deterministic implementation (torch.use_deterministic_algorithms, PyTorch 2.x documentation).
NONDETERMINISTIC_OPS = {
    "torch.nn.AvgPool3d": "backward", "torch.nn.AdaptiveAvgPool2d": "backward",
    "torch.nn.AdaptiveAvgPool3d": "backward", "torch.nn.MaxPool3d": "backward",
    "torch.nn.AdaptiveMaxPool2d": "backward", "torch.nn.FractionalMaxPool2d": "backward",
    "torch.nn.FractionalMaxPool3d": "backward", "torch.nn.MaxUnpool1d": "forward",
    "torch.nn.MaxUnpool2d": "forward", "torch.nn.MaxUnpool3d": "forward",
    "torch.nn.ReflectionPad1d": "backward", "torch.nn.ReflectionPad2d": "backward",
    "torch.nn.ReflectionPad3d": "backward", "torch.nn.ReplicationPad3d": "backward",
    "torch.nn.NLLLoss": "forward", "torch.nn.CTCLoss": "backward", "torch.nn.functional.ctc_loss": "backward",
    "torch.nn.functional.grid_sample": "backward", "torch.nn.functional.adaptive_avg_pool2d": "backward",
    "torch.nn.functional.adaptive_avg_pool3d": "backward", "torch.nn.functional.adaptive_max_pool2d": "backward",
    "torch.nn.functional.embedding_bag": "backward", "torch.nn.EmbeddingBag": "backward",
    "torch.bincount": "forward", "torch.histc": "forward", "torch.kthvalue": "forward", "torch.median": "forward",
}
NONDETERMINISTIC_METHODS = {"index_add_": "forward", "scatter_add_": "forward", "scatter_reduce": "forward",
                            "scatter_reduce_": "forward", "index_copy": "forward", "index_copy_": "forward",
                            "bincount": "forward", "histc": "forward", "put_": "forward", "index_put_": "forward"}
_INTERPOLATE_NONDETERMINISTIC_MODES = {"linear", "bilinear", "bicubic", "trilinear"}


def nondeterministic_op(call: Call) -> Optional[str]:
    """The op name when a call uses one with no deterministic CUDA implementation."""
    name, last = call.name, call.name.rsplit(".", 1)[-1]
    if name in NONDETERMINISTIC_OPS:
        return name
    if name in ("torch.nn.functional.interpolate", "torch.nn.Upsample"):
        mode = call.kwargs.get("mode")
        return name if mode in _INTERPOLATE_NONDETERMINISTIC_MODES or isinstance(mode, Ref) else None
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
                nondeterministic_op(call))
