"""Which modules a distribution provides: `import cv2` is declared as `opencv-python-headless`, `import yaml` as
`pyyaml`. Decided statically, with no environment installed: a curated table for the names that differ, a few
naming patterns, and the rule that the rest import under their own name (`-` read as `_`).
"""
from __future__ import annotations

import re
from typing import Iterable

# Normalised distribution name (PEP 503) -> the top-level modules it provides, where they differ from its name.
# Dotted entries are namespace packages: `protobuf` provides `google.protobuf`, not all of `google`.
# Conda package names are included (`pytorch`, `py-opencv`): environment.yml declares those.
# Repositories installed from Git without a name (`git+https://github.com/google/CommonLoopUtils`): the distribution
# their setup.py names, where it is not the repository's name (google/CommonLoopUtils: clu; cocodataset/cocoapi's
# PythonAPI: pycocotools).
REPOSITORY_DISTRIBUTIONS = {"commonlooputils": "clu", "cocoapi": "pycocotools"}

_MODULES: dict[str, tuple[str, ...]] = {
    # imaging and vision
    "pillow": ("PIL",), "pillow-simd": ("PIL",),
    "opencv-python": ("cv2",), "opencv-python-headless": ("cv2",), "opencv-contrib-python": ("cv2",),
    "opencv-contrib-python-headless": ("cv2",), "opencv": ("cv2",), "py-opencv": ("cv2",), "libopencv": ("cv2",),
    "scikit-image": ("skimage",), "scikit-video": ("skvideo",), "pywavelets": ("pywt",),
    "openslide-python": ("openslide",), "pyopengl": ("OpenGL",), "pyopengl-accelerate": ("OpenGL_accelerate",),
    "pycairo": ("cairo",), "box2d-py": ("Box2D",), "box2d": ("Box2D",), "gdal": ("osgeo",), "pygdal": ("osgeo",),
    "ffmpeg-python": ("ffmpeg",), "python-ffmpeg": ("ffmpeg",), "pyav": ("av",), "invisible-watermark": ("imwatermark",),
    "mmcv-full": ("mmcv",), "mmcv-lite": ("mmcv",), "mmsegmentation": ("mmseg",), "mmdetection3d": ("mmdet3d",),
    "mmaction2": ("mmaction",), "mmediting": ("mmedit",), "mmdetection": ("mmdet",),
    "openai-clip": ("clip",), "clip-anytorch": ("clip",), "open-clip-torch": ("open_clip",),
    "taming-transformers": ("taming",), "taming-transformers-rom1504": ("taming",), "clean-fid": ("cleanfid",),
    "pytorch-ignite": ("ignite",), "lightning-bolts": ("pl_bolts",), "pyg": ("torch_geometric",), "grad-cam": ("pytorch_grad_cam",),
    "segment-anything-py": ("segment_anything",), "nvidia-dali": ("nvidia.dali",),
    # deep learning frameworks
    "pytorch": ("torch",), "pytorch-cpu": ("torch",), "pytorch-gpu": ("torch",), "torch-cpu": ("torch",),
    "tensorflow-gpu": ("tensorflow",), "tensorflow-cpu": ("tensorflow",), "tensorflow-macos": ("tensorflow",),
    "tensorflow-intel": ("tensorflow",), "tensorflow-aarch64": ("tensorflow",), "tensorflow-rocm": ("tensorflow",),
    "intel-tensorflow": ("tensorflow",), "tf-nightly": ("tensorflow",), "tf-nightly-gpu": ("tensorflow",),
    "tensorflow-gpu-macosx": ("tensorflow",), "tf-models-official": ("official", "orbit"),
    "tf-models-nightly": ("official", "orbit"), "tb-nightly": ("tensorboard",), "keras-nightly": ("keras",),
    "tfds-nightly": ("tensorflow_datasets",), "ultralytics-thop": ("thop",),
    "keras-tuner": ("keras_tuner", "kerastuner"), "tensorboardx": ("tensorboardX",),
    "dm-haiku": ("haiku",), "dm-tree": ("tree",), "dm-sonnet": ("sonnet",), "dm-reverb": ("reverb",),
    "dm-acme": ("acme",), "orbax-checkpoint": ("orbax.checkpoint",), "orbax-export": ("orbax.export",),
    "jax-cuda12-plugin": (),
    "mxnet-cu112": ("mxnet",), "mxnet-cu110": ("mxnet",), "mxnet-cu102": ("mxnet",), "mxnet-mkl": ("mxnet",),
    "paddlepaddle": ("paddle",), "paddlepaddle-gpu": ("paddle",), "mindspore-gpu": ("mindspore",),
    "onnxruntime-gpu": ("onnxruntime",), "onnxruntime-silicon": ("onnxruntime",),
    "onnxruntime-directml": ("onnxruntime",), "onnxruntime-training": ("onnxruntime",), "onnx-simplifier": ("onnxsim",),
    "openvino-dev": ("openvino",), "nvidia-tensorrt": ("tensorrt",), "tensorrt-cu12": ("tensorrt",),
    "faiss-cpu": ("faiss",), "faiss-gpu": ("faiss",), "faiss-gpu-cu11": ("faiss",), "faiss-gpu-cu12": ("faiss",),
    "py-xgboost": ("xgboost",), "py-xgboost-gpu": ("xgboost",), "xgboost-cpu": ("xgboost",),
    "nvidia-ml-py": ("pynvml",), "nvidia-ml-py3": ("pynvml",), "py-cpuinfo": ("cpuinfo",),
    "mkl-service": ("mkl",), "nemo-toolkit": ("nemo",), "openai-whisper": ("whisper",), "pyro-ppl": ("pyro",),
    "pot": ("ot",), "ax-platform": ("ax",), "bayesian-optimization": ("bayes_opt",), "hydra-core": ("hydra",),
    "gin-config": ("gin",), "absl-py": ("absl",),
    "jsonnet": ("_jsonnet",), "antlr4-python3-runtime": ("antlr4",), "python-box": ("box",),
    "neptune-client": ("neptune",), "fasttext-wheel": ("fasttext",),
    "pycocotools-windows": ("pycocotools",), "lightning-thunder": ("thunder",),
    # classic ML and science
    "scikit-learn": ("sklearn",), "scikit-optimize": ("skopt",),
    "scikit-multilearn": ("skmultilearn",), "scikit-fuzzy": ("skfuzzy",), "scikit-plot": ("scikitplot",),
    "scikit-build": ("skbuild",), "imbalanced-learn": ("imblearn",),
    "umap-learn": ("umap",), "python-crfsuite": ("pycrfsuite",), "ta-lib": ("talib",), "biopython": ("Bio",),
    "rdkit-pypi": ("rdkit",), "openmm": ("openmm", "simtk"), "python-louvain": ("community",),
    "python-igraph": ("igraph",), "matplotlib": ("matplotlib", "mpl_toolkits", "pylab"),
    "matplotlib-base": ("matplotlib", "mpl_toolkits", "pylab"), "basemap": ("mpl_toolkits.basemap",),
    "python-mnist": ("mnist",), "netcdf4": ("netCDF4", "cftime"),
    # text and speech
    "beautifulsoup4": ("bs4",), "python-levenshtein": ("Levenshtein",),
    "levenshtein": ("Levenshtein",), "pyspellchecker": ("spellchecker",), "praat-parselmouth": ("parselmouth",),
    "pysoundfile": ("soundfile",), "webrtcvad-wheels": ("webrtcvad",), "pdfminer-six": ("pdfminer",),
    "pymupdf": ("fitz", "pymupdf"), "python-docx": ("docx",), "python-pptx": ("pptx",), "docopt-ng": ("docopt",),
    "python-slugify": ("slugify",),
    # data formats, storage, services
    "pyyaml": ("yaml",), "pyyaml-ft": ("yaml_ft",), "ruamel-yaml": ("ruamel.yaml",), "ruamel-yaml-clib": (), "protobuf": ("google.protobuf",),
    "grpcio": ("grpc",), "grpcio-tools": ("grpc_tools",), "grpcio-status": ("grpc_status",),
    "googleapis-common-protos": ("google.api", "google.rpc", "google.type", "google.longrunning", "google.logging"),
    "google-api-python-client": ("googleapiclient", "apiclient"), "google-auth": ("google.auth", "google.oauth2"),
    "google-api-core": ("google.api_core",), "google-generativeai": ("google.generativeai",),
    "google-genai": ("google.genai",), "google-colab": ("google.colab",), "msgpack-python": ("msgpack",),
    "python-snappy": ("snappy",), "mysqlclient": ("MySQLdb",), "mysql-connector-python": ("mysql.connector",),
    "psycopg2-binary": ("psycopg2",), "psycopg-binary": ("psycopg",), "pymongo": ("pymongo", "bson", "gridfs"),
    "kafka-python": ("kafka",), "apache-airflow": ("airflow",), "python-ldap": ("ldap",),
    "websocket-client": ("websocket",), "slackclient": ("slack",), "discord-py": ("discord",),
    "python-telegram-bot": ("telegram",), "pyjwt": ("jwt",), "pycryptodome": ("Crypto",),
    "pycryptodomex": ("Cryptodome",), "pyopenssl": ("OpenSSL",), "dnspython": ("dns",), "pysocks": ("socks",),
    "pyserial": ("serial",), "pyusb": ("usb",), "pyzmq": ("zmq",), "python-magic": ("magic",),
    "python-dotenv": ("dotenv",), "python-multipart": ("multipart",), "python-json-logger": ("pythonjsonlogger",),
    "python-dateutil": ("dateutil",), "attrs": ("attr", "attrs"), "setuptools": ("setuptools", "pkg_resources",
                                                                                  "distutils", "_distutils_hack"),
    "pygobject": ("gi",), "wxpython": ("wx",), "pywin32": ("win32api", "win32con", "win32com", "win32gui",
                                                           "pythoncom", "pywintypes", "win32file", "win32process"),
    "pyobjc": ("objc", "Foundation", "AppKit", "Quartz"), "future": ("future", "past", "libfuturize"),
    "enum34": ("enum",),
    "ipython": ("IPython",),
    "pytest": ("pytest", "_pytest"), "cython": ("Cython", "pyximport"),
    "azure-storage-blob": ("azure.storage.blob",), "azure-identity": ("azure.identity",),
    "markdown-it-py": ("markdown_it",), "rpds-py": ("rpds",), "gitpython": ("git",), "pygithub": ("github",),
    "google-pasta": ("pasta",), "libclang": ("clang",), "docker-pycreds": ("dockerpycreds",),
    "argon2-cffi": ("argon2",), "python-lsp-server": ("pylsp",), "proto-plus": ("proto",),
    "google-resumable-media": ("google.resumable_media",), "grpc-google-iam-v1": ("google.iam",),
    "pyhamcrest": ("hamcrest",), "scikit-learn-intelex": ("sklearnex",),
    "googledrivedownloader": ("google_drive_downloader",), "pyqt5-sip": ("PyQt5.sip",),
    # research domains: RL, 3D, NLP, retrieval, biology, earth science, audio
    "scikit-surprise": ("surprise",), "dopamine-rl": ("dopamine",), "mujoco-python-viewer": ("mujoco_viewer",),
    "gym-retro": ("retro",), "nuscenes-devkit": ("nuscenes",), "mecab-python3": ("MeCab",),
    "opencc-python-reimplemented": ("opencc",), "indic-nlp-library": ("indicnlp",),
    "wikipedia-api": ("wikipediaapi",), "newspaper3k": ("newspaper",), "python-twitter": ("twitter",),
    "google-search-results": ("serpapi",), "pinecone-client": ("pinecone",), "weaviate-client": ("weaviate",),
    "llama-cpp-python": ("llama_cpp",), "megatron-core": ("megatron.core",), "mauve-text": ("mauve",),
    "python-terrier": ("pyterrier",), "auto-sklearn": ("autosklearn",), "u8darts": ("darts",),
    "scvi-tools": ("scvi",), "fair-esm": ("esm",), "pyradiomics": ("radiomics",), "earthengine-api": ("ee",),
    "wrf-python": ("wrf",), "python-vlc": ("vlc",), "speechrecognition": ("speech_recognition",),
    "pyannote-audio": ("pyannote.audio",), "python-graphviz": ("graphviz",),
    "openbabel-wheel": ("openbabel",), "openmim": ("mim",), "neural-renderer-pytorch": ("neural_renderer",),
    "libigl": ("igl",), "pymcubes": ("mcubes",), "scikit-fmm": ("skfmm",), "python-geohash": ("geohash",),
    "polygon3": ("Polygon",),
}

# Naming patterns for families too large to list: the module is derived from the distribution name.
_PATTERNS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"^google-cloud-(.+)$"), "google.cloud.{}"),
    (re.compile(r"^azure-(.+)$"), "azure.{}"),
    (re.compile(r"^backports-(.+)$"), "backports.{}"),
    (re.compile(r"^jaraco-(.+)$"), "jaraco.{}"),
    (re.compile(r"^zope-(.+)$"), "zope.{}"),
    (re.compile(r"^opencv-(.+)$"), "cv2"),
    (re.compile(r"^cupy-(cuda|rocm).*$"), "cupy"),
    (re.compile(r"^dgl-cu.*$"), "dgl"),
    (re.compile(r"^nvidia-dali-.*$"), "nvidia.dali"),
    (re.compile(r"^mxnet-.*$"), "mxnet"),
    (re.compile(r"^(tensorflow|tf)-(gpu|cpu)-.*$"), "tensorflow"),
    (re.compile(r"^spconv-cu.*$"), "spconv"),
    (re.compile(r"^waymo-open-dataset-.*$"), "waymo_open_dataset"),
    (re.compile(r"^paddlepaddle-.*$"), "paddle"),
]

# Distributions that no run of the code uses: they test, format or lint it, or build its documentation. Their
# versions cannot change a result, so no pin is asked of them (they are still judged for being declared and
# used). Each one's documentation states its role.
DEVELOPMENT_TOOLS = frozenset({
    "pytest", "pytest-cov", "pytest-xdist", "pytest-mock", "pytest-timeout", "coverage", "pre-commit", "black",
    "ruff", "flake8", "isort", "mypy", "pylint", "yapf", "autopep8", "codespell", "tox", "nox", "sphinx",
    "sphinx-rtd-theme", "mkdocs", "mkdocs-material", "twine",
})


# Distributions that a repository needs without importing them: command-line tools run from a shell or README,
# plugins a framework loads by name, engines a library picks up when present, runtimes and build tools.
USED_WITHOUT_IMPORT = frozenset({
    # tools run from the command line
    "tensorboard", "tb-nightly", "jupyter", "jupyterlab", "notebook", "nbclassic", "voila", "ipykernel",
    "ipywidgets", "widgetsnbextension", "nbconvert", "jupytext", "papermill", "gdown", "wget", "awscli", "dvc",
    "gsutil", "kaggle", "huggingface-hub", "wandb", "mlflow", "gunicorn", "uvicorn", "streamlit", "gradio",
    "torch-tb-profiler", "tensorboard-plugin-profile", "tensorboard-plugin-wit", "snakeviz", "nvitop", "gpustat",
    "pudb", "ipdb", "debugpy", "imageio-ffmpeg", "uvloop",
    # build, packaging and quality tools
    "pip", "setuptools", "wheel", "build", "twine", "setuptools-scm", "pip-tools", "poetry", "hatchling", "flit",
    "cython", "ninja", "cmake", "pybind11", "meson", "meson-python", "scikit-build", "scikit-build-core",
    "black", "isort", "flake8", "pylint", "mypy", "ruff", "autopep8", "yapf", "pre-commit", "pyright",
    "pytest", "coverage", "tox", "nox", "codecov", "bandit", "pydocstyle", "pycodestyle", "pyflakes",
    "sphinx", "sphinx-rtd-theme", "furo", "pydata-sphinx-theme", "mkdocs", "mkdocs-material", "myst-parser",
    "nbsphinx", "recommonmark", "docutils",
    # engines and back ends a library loads when installed
    "pyarrow", "fastparquet", "openpyxl", "xlrd", "xlsxwriter", "odfpy", "tables", "lxml", "html5lib",
    "sentencepiece", "tiktoken", "protobuf", "accelerate", "safetensors", "hf-transfer", "hf-xet", "tokenizers",
    "kaleido", "psycopg2", "psycopg2-binary", "pymysql", "triton", "jaxlib", "tensorflow-io-gcs-filesystem",
    "tensorflow-estimator", "keras-preprocessing", "h5py", "pillow", "pillow-simd", "scipy", "soundfile",
    "torchvision", "torchaudio", "cudatoolkit", "pytorch-cuda", "mkl", "mkl-include", "intel-openmp",
    "hydra-colorlog", "hydra-submitit-launcher", "hydra-optuna-sweeper", "hydra-joblib-launcher", "tzdata",
    "typing-extensions", "importlib-metadata", "packaging", "six", "ruamel-yaml-clib", "python",
})
_TOOL_PATTERNS = re.compile(r"^(types-.+|.+-stubs|pytest-.+|flake8-.+|sphinx-.+|sphinxcontrib-.+|mkdocs-.+|"
                            r"jupyter-.+|jupyterlab-.+|nvidia-.+-cu\d+|nvidia-.+|jax-cuda.+|hydra-.+-(launcher|sweeper)|"
                            r"tensorboard-.+|pylint-.+|mypy-.+)$")


# Modules whose own name is their usual distribution, although variants also provide them (torch-cpu, tf-nightly).
_IDENTITY = {"torch", "tensorflow", "xgboost", "mxnet", "onnxruntime", "tensorboard", "keras", "matplotlib",
             "soundfile", "mmcv", "pynvml", "pytest"}
_PREFERRED = {"cv2": ("opencv-python", "opencv-python-headless"), "faiss": ("faiss-cpu", "faiss-gpu"),
              "distutils": ("setuptools",), "pkg_resources": ("setuptools",), "sklearn": ("scikit-learn",),
              "clip": ("openai-clip",), "Levenshtein": ("levenshtein",), "tree": ("dm-tree",), "paddle": ("paddlepaddle",)}


def distributions_for(module: str) -> tuple[str, ...]:
    """The distributions to suggest for an imported module (dotted), most usual first."""
    top = module.split(".")[0]
    if top in _PREFERRED:
        return _PREFERRED[top]
    if top in _IDENTITY:
        return (normalise(top),)
    parts = module.split(".")
    for length in range(len(parts), 0, -1):
        prefix = ".".join(parts[:length])
        found = _PROVIDERS.get(prefix)
        if found:
            return found[:2]
    return (normalise(top),)


# Conda packages whose pip distribution has another name: one name for both, so that a conda pin counts for
# a pip declaration of the same package.
CONDA_TO_PIP = {"pytorch": "torch", "pytorch-cpu": "torch", "pytorch-gpu": "torch", "py-opencv": "opencv-python",
                "py-xgboost": "xgboost", "matplotlib-base": "matplotlib", "pyg": "torch-geometric",
                "msgpack-python": "msgpack", "pytables": "tables"}


def normalise(name: str) -> str:
    """A distribution name as PEP 503 compares it: lower case, runs of `-_.` as one `-`."""
    return re.sub(r"[-_.]+", "-", name).lower()


def conda_to_pip(name: str) -> str:
    """The PyPI distribution a conda package name stands for."""
    return CONDA_TO_PIP.get(normalise(name), normalise(name))


def modules_of(distribution: str, extra: dict | None = None) -> tuple[str, ...]:
    """The modules a distribution provides, dotted for namespace packages; `extra` is the user's table."""
    name = normalise(distribution)
    if extra and name in extra:
        return tuple(extra[name])
    if name in _MODULES:
        return _MODULES[name]
    for pattern, template in _PATTERNS:
        match = pattern.match(name)
        if match:
            return (template.format(*(g.replace("-", "_") for g in match.groups())),)
    return (name.replace("-", "_"),)


def installed_modules() -> dict[str, tuple[str, ...]]:
    """Distribution -> top-level modules, from the metadata of the environment reprolint runs in: its
    top_level.txt, else the top-level names in its RECORD (importlib.metadata.packages_distributions, which
    Python 3.9 lacks)."""
    from importlib.metadata import distributions

    found: dict = {}
    for dist in distributions():
        name = dist.metadata["Name"]
        if not name:
            continue
        tops = (dist.read_text("top_level.txt") or "").split() or {
            str(path).split("/")[0].removesuffix(".py") for path in dist.files or ()
            if not str(path).startswith("..") and (str(path).endswith(".py") or "/" in str(path))
            and ".dist-info" not in str(path).split("/")[0] and ".egg-info" not in str(path).split("/")[0]}
        found[normalise(name)] = found.get(normalise(name), ()) + tuple(sorted(t for t in tops if t.isidentifier()))
    return found


def used_without_import(distribution: str, extra: Iterable[str] = ()) -> bool:
    name = normalise(distribution)
    return name in USED_WITHOUT_IMPORT or bool(_TOOL_PATTERNS.match(name)) or name in {normalise(e) for e in extra}


class ModuleIndex:
    """Dotted module names, asked whether one of them is, contains or lies inside another name (`google.protobuf`
    and `google`, `torch` and `torch.nn`), in time independent of how many there are: a repository with thousands
    of imports and thousands of declarations made the pairwise test quadratic."""

    def __init__(self, modules: Iterable[str]) -> None:
        self.names = {m.lower() for m in modules}
        self.parents = {parent for name in self.names for parent in _parents(name)}

    def relates(self, name: str) -> bool:
        low = name.lower()
        return low in self.names or low in self.parents or any(p in self.names for p in _parents(low))


def _parents(name: str) -> list:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def _providers() -> dict:
    found: dict = {}
    for distribution, modules in _MODULES.items():
        for module in modules:
            found.setdefault(module, ())
            found[module] += (distribution,)
    return found


_PROVIDERS = _providers()


# Modules a notebook's runtime provides, not the notebook's dependencies: IPython is the Jupyter kernel itself
# (ipykernel depends on it), and google.colab exists only inside Colab (it is not on PyPI). Source: the ipykernel
# and Colab documentation.
NOTEBOOK_RUNTIME_MODULES = frozenset({"IPython", "ipykernel", "google.colab"})


def provided_by_notebook_runtime(module: str) -> bool:
    return any(module == m or module.startswith(m + ".") for m in NOTEBOOK_RUNTIME_MODULES)
