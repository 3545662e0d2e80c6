"""How the CUDA build of PyTorch is had, as data. Sources: pytorch.org "Get started" and "Previous versions" pages
(the wheel index download.pytorch.org/whl/cuXXX, the `+cuXXX` local version of its wheels; conda's pytorch-cuda and
the older cudatoolkit packages)."""
from __future__ import annotations

import re

TORCH_DISTRIBUTIONS = ("torch", "torchvision", "torchaudio")
CUDA_TAG = re.compile(r"\+?cu(\d{2,3})\b")
PYTORCH_WHEEL_INDEX = re.compile(r"download\.pytorch\.org/whl")
CONDA_CUDA_PACKAGES = {"pytorch-cuda", "cudatoolkit", "cuda-toolkit", "cuda", "cuda-runtime", "cuda-version",
                       "pytorch-gpu"}
