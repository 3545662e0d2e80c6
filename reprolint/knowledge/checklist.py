"""What the ML Code Completeness Checklist's items look like in a repository, as data.

Sources: the checklist (github.com/paperswithcode/releasing-research-code, README and template, 2020) and the
Papers with Code blog post that introduced it (2020-04-08): items are judged "based on the scripts and artefacts
that have been provided" in the repository: a requirements file or a README listing the packages, training code,
an evaluation script, free access to the weights, a results table with the means to reproduce it.
"""
from __future__ import annotations

# Packages and runtimes a README names when it lists the requirements in prose ("Tested with Python 3.6,
# TensorFlow 1.14 and NumPy"). The most-installed names of the scientific Python stack on PyPI and conda-forge,
# spelled as READMEs spell them (compared case-insensitively, on word boundaries). Runtimes alone (Python, CUDA,
# MATLAB) name no package: "tested with Python 3.6" is not a list of dependencies.
PROSE_PACKAGES = (
    "pytorch", "torch", "torchvision", "torchaudio", "tensorflow", "tensorflow-gpu", "keras", "jax",
    "jaxlib", "flax", "haiku", "optax", "numpy", "scipy", "scikit-learn", "sklearn", "pandas", "matplotlib",
    "seaborn", "opencv", "opencv-python", "cv2", "pillow", "tqdm", "gym", "mujoco", "mujoco-py",
    "tensorboard", "tensorboardx", "h5py", "networkx", "cython", "chainer", "cupy", "mxnet", "theano", "pyro",
    "gpytorch", "numba", "sympy", "cvxpy", "transformers", "spacy", "nltk", "gensim", "dgl", "torch-geometric",
    "pytorch-geometric", "pyyaml", "pytorch-lightning", "lightning", "hydra", "wandb", "autograd", "edward",
    "tensorflow-probability", "dm-sonnet", "sonnet", "gpflow",
    "pymc3", "pystan", "statsmodels", "joblib", "ray", "baselines", "stable-baselines", "atari-py", "imageio",
    "scikit-image", "skimage", "librosa", "apex", "horovod", "protobuf",
)

# Headings of the README sections where requirements are listed.
REQUIREMENT_HEADINGS = r"requirement|dependenc|prerequisite|install|environment|setup|set up|getting started|" \
                       r"software|packages|libraries"

# Words of a line that introduces a list of requirements outside such a section.
REQUIREMENT_WORDS = r"requir|depend|prerequisite|tested (with|on|under)|(is|was) (built|implemented|written) " \
                    r"(with|in|using)|needs?\b|uses\b|works with|compatible with"

# Calls that restore trained weights: a script that restores weights and does not train evaluates them.
# `numpy.load` is left out: it loads arrays of data as often as weights.
CHECKPOINT_LOADS = (
    "torch.load", "torch.jit.load", "safetensors.torch.load_file", "tensorflow.keras.models.load_model",
    "keras.models.load_model", "tensorflow.saved_model.load", "tensorflow.train.Checkpoint",
    "tensorflow.compat.v1.train.Saver", "tensorflow.train.Saver",
)
CHECKPOINT_METHODS = ("load_state_dict", "load_weights", "restore", "from_pretrained", "load_from_checkpoint")

# A script's options that put it in evaluation mode (`main.py --evaluate --resume w.pth`).
EVALUATION_FLAGS = r"--?(eval|evaluate|evaluation|do[-_]eval|do[-_]predict|do[-_]test|test|test[-_]only|" \
                   r"only[-_]test|eval[-_]only|inference|predict|validate|val[-_]only)$"

# Names of scripts and notebooks that evaluate, run the experiments or regenerate the results.
# Scripts that plot or analyse results regenerate them ("run the experiments"); data preparation does not.
EVALUATION_NAMES = r"eval|test|infer|predict|valid|(^|_)val(_|$)|benchmark|demo|sampl|score|metric|reproduc|" \
                   r"experiment|attack|certif|verif|plot|figure|analy[sz]|visuali[sz]|results?"
# Of those, the names of scripts that measure results (not demos, sampling, plots or inference).
SCORING_NAMES = r"eval|test|valid|(^|_)val(_|$)|benchmark|score|metric|reproduc"
NOT_EVALUATION_NAMES = r"dataset|preprocess|prepar|download|convert|extract|create|generat|make_data|split|" \
                       r"compile|build|install|setup"

# Models fitted outside the deep-learning frameworks also train ("a way to train/fit the model(s)"): the
# estimators of these libraries fit with `.fit`/`.partial_fit` (scikit-learn's estimator API, which xgboost,
# lightgbm, catboost and statsmodels follow; GPy/GPflow optimise), and these calls fit parameters directly.
FITTING_LIBRARIES = ("sklearn", "xgboost", "lightgbm", "catboost", "statsmodels", "GPy", "gpflow", "hmmlearn",
                     "pomegranate", "sklearn_crfsuite")
FITTING_METHODS = ("fit", "partial_fit", "optimize", "optimize_restarts")
FITTING_CALLS = ("scipy.optimize.minimize", "scipy.optimize.least_squares", "scipy.optimize.curve_fit",
                 "scipy.optimize.fmin_l_bfgs_b", "scipy.optimize.fmin", "pyro.infer.SVI", "numpyro.infer.MCMC",
                 "numpyro.infer.SVI", "pymc3.sample", "pymc.sample", "cvxpy.Problem")

# Names of scripts and notebooks that train.
TRAINING_NAMES = r"train(?!ed)|finetun|fine[-_]tun|(^|_)fit(_|$)|distill"
# Names that say so from their start (`train.py`, `finetune_lm.py`): enough for a finding that the README shows no
# training command. A name that ends in `_train` may name the split it works on (`hungarian_match_train.py`).
LEADING_TRAINING_NAMES = r"(pre[-_]?)?train|fine[-_]?tun|distill"

# The table of URLs that torchvision's model files (resnet.py, vgg.py, ...) load ImageNet weights from: copied
# into a repository, it fetches the backbone's weights, not the weights the repository trained.
BACKBONE_URL_TABLES = ("model_urls",)

# Committed files that hold trained weights (an item of the checklist when the README links or loads them).
WEIGHT_EXTENSIONS = (".pt", ".pth", ".ckpt", ".h5", ".hdf5", ".safetensors", ".pth.tar", ".pb", ".tflite",
                     ".onnx", ".params", ".caffemodel", ".weights", ".t7", ".npz", ".pkl", ".joblib")

# Results a README reports other than in a table: a figure whose file or alt text, or whose section, is about
# results ("a table or plot of the main results"). A sentence saying that the code reproduces the paper's results
# is no such table: the checklist's labels do not count it.
RESULT_IMAGE_WORDS = r"result|plot|curve|compar|accurac|perform|perf[_-]|benchmark|eval|error|loss|score|table|" \
                     r"chart|ablation|fig[_-]?res|sota|leaderboard"
RESULT_HEADINGS = r"result|experiment|performance|benchmark|evaluation|comparison|quantitative|accuracy|ablation"

# Calls by which a training script tests what it trained, at its top level (pygcn's train.py ends with `test()`):
# a function named so (`test()`, `evaluate(model, loader)`, `run_eval()`), or the evaluation entry of a trainer
# or Keras model (`trainer.test`, `model.evaluate`). `model.eval()` only switches a module's mode.
EVALUATION_CALLS = r"^(test|evaluate|evaluation|test_\w+|evaluate_\w+|run_eval\w*|run_test\w*)$"
EVALUATION_METHODS = ("test", "evaluate")

# Calls that fetch a public dataset by name, so that no manual data step is needed (the data item of the
# checklist's README template asks where to get the data). Sources: torchvision.datasets (`download=True`),
# torchaudio.datasets, Hugging Face `datasets.load_dataset`, tensorflow_datasets, keras.datasets (`load_data`),
# sklearn.datasets (`fetch_*`, `load_*`), torch_geometric.datasets, torchtext.datasets, ogb's dataset classes.
DATASET_DOWNLOADS = ("datasets.load_dataset", "tensorflow_datasets.load", "tensorflow_datasets.builder",
                     "tensorflow.keras.datasets.", "keras.datasets.", "sklearn.datasets.fetch_",
                     "sklearn.datasets.load_", "torch_geometric.datasets.", "torchtext.datasets.", "ogb.",
                     "openml.datasets.get_dataset", "gym.make", "gymnasium.make",
                     "tensorflow.examples.tutorials.mnist.input_data.read_data_sets")
DATASET_DOWNLOADS_WITH_FLAG = ("torchvision.datasets.", "torchaudio.datasets.")
# Calls that download any file: data when the file that makes them is about data (datasets.py, data/download.py).
FILE_DOWNLOADS = ("urllib.request.urlretrieve", "urllib.urlretrieve", "wget.download", "gdown.download",
                  "torchvision.datasets.utils.download_url", "torchvision.datasets.utils.download_and_extract_archive",
                  "torch.hub.download_url_to_file", "tensorflow.keras.utils.get_file", "keras.utils.get_file")
DATA_FILE_NAMES = r"data|download|loader|corpus"

# Folders that hold a committed dataset (pygcn's data/cora): files under them other than code and documents.
DATA_FOLDERS = r"(^|/)(data|datasets?|corpus|corpora)(/|$)"
NOT_DATA_EXTENSIONS = (".py", ".ipynb", ".md", ".rst", ".txt", ".sh", ".yaml", ".yml", ".cfg", ".toml", ".in")

# Hardware a README states: an accelerator by model ("A100", "RTX 3090", "TPU v3-8"), or a counted one
# ("4 GPUs", "8x V100"). The examples of issue #17: "8x A100s", "8xV100", "a single RTX 3090", "TPU v3-8",
# "on 4 GPUs for 2 days". A bare "GPU" ("requires a GPU") states no hardware.
ACCELERATOR_MODELS = r"[VAHPK]\d{2,3}|T4|L4|L40S?|A\d{4}|(RTX|GTX)\s?(Titan|A?\d{3,4}(\s?Ti)?)|Titan\s?(X[p]?|V|RTX)|" \
                     r"TPU[-\s]?v\d[\w-]*|MI\d{3}X?|Apple M\d|Gaudi\d?|Jetson"
COUNTED_HARDWARE = r"(\d+|one|two|four|eight|sixteen|single)\s*(x\s*)?(\w+\s)?(GPUs?|TPUs?|TPU cores|" \
                   r"CPU cores|nodes)\b"

# The license names a README's License section may state when the repository has no LICENSE file
# (SPDX short identifiers and the names they are written out as).
LICENSE_NAMES = r"\b(MIT|Apache|BSD|GPL|LGPL|AGPL|MPL|Mozilla Public|Creative Commons|CC[- ]BY|CC0|Unlicense|ISC|" \
                r"Eclipse Public|Artistic)\b"

# Papers with Code was shut down in July 2025 (its pages now redirect to Hugging Face Papers; issue #17): a link
# to it leads no reader to a paper, a leaderboard or results any more.
DEFUNCT_HOSTS = r"(^|//|\.)paperswithcode\.com"
