"""Randomness in the ecosystem, as data: the generator families, the calls that seed them (the libraries' own seeding
helpers included), the calls that draw from them, and scikit-learn's estimators that take a random_state.
Sources: the API references of Python's random, NumPy (numpy.random legacy and Generator APIs), PyTorch (torch.random,
torch.nn.init, torch.utils.data), TensorFlow 1 and 2 (tf.random, tf.compat.v1), Keras, scikit-learn, and the seeding
helpers' documentation (Lightning seed_everything, transformers set_seed/enable_full_determinism, accelerate set_seed,
detectron2, mmengine, ignite, timm, PyG, stable-baselines3, fairseq)."""
from __future__ import annotations

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

ALL_PYTORCH = frozenset({"random", "numpy", "torch"})

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
    "accelerate.utils.set_seed": ALL_PYTORCH,
    "accelerate.utils.random.set_seed": ALL_PYTORCH,
    "detectron2.utils.env.seed_all_rng": ALL_PYTORCH,
    "mmengine.runner.set_random_seed": ALL_PYTORCH,
    "mmcv.runner.set_random_seed": ALL_PYTORCH,
    "mmdet.apis.set_random_seed": ALL_PYTORCH,
    "ignite.utils.manual_seed": ALL_PYTORCH,
    "timm.utils.random_seed": ALL_PYTORCH,
    "torch_geometric.seed_everything": ALL_PYTORCH,
    "stable_baselines3.common.utils.set_random_seed": ALL_PYTORCH,
    "fairseq.utils.set_torch_seed": {"torch"},
}

# Lightning's seed_everything, under any of its import paths, and Fabric's `fabric.seed_everything(...)`.
SEED_EVERYTHING = "seed_everything"

# Calls that take a seed, and make a generator from entropy when given none (`random.seed()` reseeds from the OS).
SEED_TAKERS = set(SEEDERS) | {
    "numpy.random.default_rng", "numpy.random.RandomState", "numpy.random.SeedSequence", "random.Random",
    "jax.random.PRNGKey", "jax.random.key", "torch.Generator().manual_seed",
}

ENTROPY_WHEN_EMPTY = {"random.seed", "numpy.random.seed", "numpy.random.default_rng", "numpy.random.RandomState",
                      "random.Random", "numpy.random.SeedSequence"}

ENTROPY_SOURCES = ("time.", "datetime.", "os.urandom", "os.getpid", "secrets.", "uuid.", "torch.seed",
                    "random.", "numpy.random.", "torch.randint", "torch.rand", "jax.random.")

NUMPY_NOT_DRAWS = {"seed", "default_rng", "RandomState", "Generator", "SeedSequence", "PCG64", "PCG64DXSM",
                    "MT19937", "Philox", "SFC64", "BitGenerator", "get_state", "set_state", "bit_generator"}

RANDOM_NOT_DRAWS = {"seed", "Random", "SystemRandom", "getstate", "setstate"}

TORCH_DRAWS = {"rand", "randn", "randint", "randperm", "rand_like", "randn_like", "randint_like", "normal",
                "bernoulli", "multinomial", "poisson"}

TORCH_PRNG_UTILS = ("torch.utils.data.random_split", "torch.utils.data.RandomSampler",
                     "torch.utils.data.SubsetRandomSampler", "torch.utils.data.WeightedRandomSampler")

# Modules whose construction initialises weights from torch's generator.
TORCH_INIT_LAYERS = {"Linear", "Bilinear", "LazyLinear", "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d",
                      "ConvTranspose2d", "ConvTranspose3d", "Embedding", "EmbeddingBag", "LSTM", "GRU", "RNN",
                      "LSTMCell", "GRUCell", "MultiheadAttention", "Transformer", "TransformerEncoderLayer",
                      "TransformerDecoderLayer", "Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout"}

TORCH_INIT_NOT_DRAWS = {"calculate_gain", "constant_", "zeros_", "ones_", "eye_", "dirac_"}

INPLACE_DRAWS = ("normal_", "uniform_", "bernoulli_", "random_", "exponential_", "cauchy_", "geometric_",
                  "log_normal_")

KERAS_LAYERS = ("tensorflow.keras.layers.", "keras.layers.", "tf_keras.layers.")

# Keras layers that draw: those whose weights start from a random initializer (kernel_initializer="glorot_uniform"
# by default, per the layer reference at keras.io/api/layers), the dropout and noise layers, and the random
# preprocessing layers (every `Random*`: RandomFlip, RandomCrop, ...). Softmax, Flatten, BatchNormalization (ones and
# zeros), pooling and reshaping layers draw nothing.
KERAS_DRAWING_LAYERS = {
    "Dense", "EinsumDense", "Embedding", "Conv1D", "Conv2D", "Conv3D", "Convolution1D", "Convolution2D",
    "Convolution3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose", "Convolution2DTranspose",
    "Convolution3DTranspose", "SeparableConv1D", "SeparableConv2D", "SeparableConvolution1D",
    "SeparableConvolution2D", "DepthwiseConv1D", "DepthwiseConv2D", "SimpleRNN", "LSTM", "GRU", "SimpleRNNCell",
    "LSTMCell", "GRUCell", "CuDNNLSTM", "CuDNNGRU", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D", "Bidirectional",
    "MultiHeadAttention", "LocallyConnected1D", "LocallyConnected2D", "Dropout", "SpatialDropout1D",
    "SpatialDropout2D", "SpatialDropout3D", "GaussianDropout", "GaussianNoise", "AlphaDropout",
}

# Calls that export, trace or profile a model: they need example inputs, which scripts draw at random
# (`torch.onnx.export(model, torch.randn(1, 3, 224, 224), ...)`). The output is the model's graph or its cost,
# which those values do not change (torch.onnx.export and torch.jit.trace record operations, not values).
EXPORT_CALLS = ("torch.onnx.export", "torch.onnx.dynamo_export", "torch.jit.trace", "torch.export.export",
                "thop.profile", "fvcore.nn.FlopCountAnalysis", "ptflops.get_model_complexity_info",
                "torchinfo.summary", "torchsummary.summary", "coremltools.convert", "tf2onnx.convert",
                "tensorflow.saved_model.save", "tensorflow.lite.TFLiteConverter", "openvino.convert_model")

# TensorFlow 1's names for draws (tf.random_normal, tf.truncated_normal_initializer, ...), also under compat.v1.
TF1_DRAWS = {"random_normal", "random_uniform", "truncated_normal", "random_shuffle", "random_crop", "multinomial",
              "random_gamma", "random_poisson"}

TF_NOT_RANDOM_INITIALIZERS = {"zeros_initializer", "ones_initializer", "constant_initializer", "Zeros", "Ones",
                               "Constant", "Identity", "identity_initializer"}

TF_INITIALIZER_MODULES = ("tensorflow.keras.initializers", "tensorflow.initializers", "keras.initializers",
                           "tensorflow.compat.v1.keras.initializers")

TF_DROPOUTS = ("tensorflow.nn.dropout", "tensorflow.layers.dropout", "tensorflow.compat.v1.nn.dropout",
                "tensorflow.compat.v1.layers.dropout")

# TensorFlow ops that draw from the global generator unless given an op seed (`seed=`): the random image
# augmentations (tf.image.random_*, sample_distorted_bounding_box) and dataset mixing (tf.data documentation).
TF_IMAGE_DRAWS = ("tensorflow.image.random_", "tensorflow.image.sample_distorted_bounding_box",
                  "tensorflow.compat.v1.image.random_", "tensorflow.compat.v1.image.sample_distorted_bounding_box")
TF_DATA_DRAWS = ("tensorflow.data.Dataset.sample_from_datasets", "tensorflow.data.experimental.sample_from_datasets",
                 "tensorflow.data.Dataset.choose_from_datasets")
# Keywords only tf.data's `Dataset.shuffle(buffer_size, seed=None, reshuffle_each_iteration=None)` takes: a
# `.shuffle` given one is a dataset's, whatever the object's name.
TF_SHUFFLE_KEYWORDS = {"buffer_size", "reshuffle_each_iteration"}

TF_NOT_DRAWS = {"set_seed", "Generator", "experimental", "get_global_generator", "set_global_generator",
                 "create_rng_state", "stateless_uniform", "stateless_normal"}

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

# Since PyTorch 1.9 every DataLoader worker seeds `random`, `torch` and NumPy itself from a base seed drawn from the
# loader's generator or the global torch generator (torch/utils/data/_utils/worker.py; PyTorch 1.9 release notes,
# "DataLoader: seed NumPy in workers"): a run that seeds torch gets the same worker streams every time.
WORKERS_SEEDED_FROM_TORCH_SINCE = "1.9"
