"""What installing a distribution installs with it: its hard requirements (Requires-Dist without an `extra` marker).

A repository that declares torchvision and imports PIL gets Pillow whenever torchvision installs; labellers of the
development corpus judged asking to declare it again pedantic (deptry calls it a transitive dependency). Generated
by scripts/hard_dependencies.py from the wheels named below: requirements change between releases, so this is the
picture of one release of each, good enough to know what comes along, not to pin it.
"""
from __future__ import annotations

# Read from these wheels: accelerate 1.16.0, albumentations 2.0.8, datasets 5.2.0, diffusers 0.42.1, hydra-core 1.3.8,
# jax 0.10.2, keras 3.15.1, lightning 2.6.6, matplotlib 3.11.2, omegaconf 2.4.0, pandas 3.1.1, pytorch-lightning
# 2.6.6, scikit-image 0.26.0, scikit-learn 1.9.1, seaborn 0.13.2, sentence-transformers 6.3.0, timm 1.0.31,
# torchmetrics 1.9.0, torchvision 0.29.1, transformers 5.25.0
HARD_DEPENDENCIES = {
    'accelerate': ('huggingface-hub', 'numpy', 'packaging', 'psutil', 'pyyaml', 'safetensors', 'torch'),
    'albumentations': (
        'albucore', 'eval-type-backport', 'numpy', 'opencv-python-headless', 'pydantic', 'pyyaml', 'scipy',
        'typing-extensions'
    ),
    'datasets': (
        'dill', 'filelock', 'fsspec', 'huggingface-hub', 'multiprocess', 'numpy', 'packaging', 'pandas',
        'pyarrow', 'pyyaml', 'tqdm', 'xxhash'
    ),
    'diffusers': (
        'filelock', 'huggingface-hub', 'importlib-metadata', 'numpy', 'pillow', 'regex', 'requests',
        'safetensors'
    ),
    'hydra-core': ('antlr4-python3-runtime', 'importlib-resources', 'omegaconf', 'packaging'),
    'jax': ('jaxlib', 'ml-dtypes', 'numpy', 'opt-einsum', 'scipy'),
    'keras': ('absl-py', 'h5py', 'ml-dtypes', 'namex', 'numpy', 'optree', 'packaging', 'rich'),
    'lightning': (
        'fsspec', 'lightning-utilities', 'packaging', 'pytorch-lightning', 'pyyaml', 'torch', 'torchmetrics',
        'tqdm', 'typing-extensions'
    ),
    'matplotlib': (
        'contourpy', 'cycler', 'fonttools', 'kiwisolver', 'numpy', 'packaging', 'pillow', 'pyparsing',
        'python-dateutil'
    ),
    'omegaconf': ('pyyaml',),
    'pandas': ('numpy', 'python-dateutil', 'tzdata'),
    'pytorch-lightning': (
        'fsspec', 'lightning-utilities', 'packaging', 'pyyaml', 'torch', 'torchmetrics', 'tqdm',
        'typing-extensions'
    ),
    'scikit-image': ('imageio', 'lazy-loader', 'networkx', 'numpy', 'packaging', 'pillow', 'scipy', 'tifffile'),
    'scikit-learn': ('joblib', 'narwhals', 'numpy', 'scipy', 'threadpoolctl'),
    'seaborn': ('matplotlib', 'numpy', 'pandas'),
    'sentence-transformers': (
        'huggingface-hub', 'numpy', 'scikit-learn', 'scipy', 'tokenizers', 'torch', 'tqdm', 'transformers',
        'typing-extensions'
    ),
    'timm': ('huggingface-hub', 'pyyaml', 'safetensors', 'torch', 'torchvision'),
    'torchmetrics': ('lightning-utilities', 'numpy', 'packaging', 'torch'),
    'torchvision': ('numpy', 'pillow', 'torch'),
    'transformers': (
        'huggingface-hub', 'kernels', 'numpy', 'packaging', 'pyyaml', 'regex', 'safetensors', 'tokenizers',
        'tqdm', 'typer'
    ),
}
# Frameworks whose version decides the numbers: importing one is a dependency of its own even when something
# declared requires it (timm requires torch, but a repository that trains with torch must say which torch). The
# labels of the development corpus judged these undeclared imports true where utilities were judged pedantic.
FRAMEWORKS = frozenset({"torch", "torchvision", "torchaudio", "tensorflow", "jax", "jaxlib", "keras"})


def carried_by(declared: set) -> set:
    """The distributions that the declared ones bring along, however deep (normalised names), minus the declared
    and the frameworks."""
    found, todo = set(), list(declared)
    while todo:
        for required in HARD_DEPENDENCIES.get(todo.pop(), ()):
            if required not in found and required not in declared:
                found.add(required)
                todo.append(required)
    return found - FRAMEWORKS
