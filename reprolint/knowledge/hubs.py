"""Models and datasets fetched from hubs by name, as data: the loading calls, where each takes the name, and what
pins the version fetched.

Sources: the documentation of transformers / diffusers / peft `from_pretrained(..., revision=)` and `pipeline(...,
revision=)`, huggingface_hub `hf_hub_download` and `snapshot_download` (`revision=`, a branch, tag or commit hash),
datasets `load_dataset(..., revision=)`, sentence-transformers `SentenceTransformer(..., revision=)`, torch.hub
(`load("owner/repo:ref", ...)`; without a ref, the default branch) and TensorFlow Datasets (`load("name:1.2.0")`;
without a version, the latest the installed library knows).
"""
from __future__ import annotations

import re

# Call -> (position of the name, keywords that may carry it, the keyword that pins a revision or None when the
# name itself carries it)
HUB_CALLS = {
    "transformers.pipeline": (None, ("model",), "revision"),
    "huggingface_hub.hf_hub_download": (0, ("repo_id",), "revision"),
    "huggingface_hub.snapshot_download": (0, ("repo_id",), "revision"),
    "datasets.load_dataset": (0, ("path",), "revision"),
    "sentence_transformers.SentenceTransformer": (0, ("model_name_or_path",), "revision"),
    "torch.hub.load": (0, ("repo_or_dir",), None),
    "tensorflow_datasets.load": (0, ("name",), None),
    "tensorflow_datasets.builder": (0, ("name",), None),
}
# Methods that load by name whatever class they are called on (a repository's subclass of a transformers model
# inherits from_pretrained), with where the name is.
HUB_METHODS = {"from_pretrained": (0, ("pretrained_model_name_or_path", "model_id"), "revision")}
PEFT_LOADS = ("peft.PeftModel.from_pretrained", "peft.AutoPeftModelForCausalLM.from_pretrained")  # name second

# A name on a hub: `owner/name`, with an optional `:ref` (torch.hub) or `:version` (TFDS).
HUB_NAME = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+(:[\w.-]+)?$")
DATASET_NAME = re.compile(r"^[A-Za-z][\w-]*$")  # `glue`: a file would have a suffix, a folder a separator
# The Hugging Face Hub's canonical ids without an owner, from before models moved under organisations
# (bert-base-uncased is now google-bert/bert-base-uncased); the Hub still redirects them.
CANONICAL_NAME = re.compile(
    r"^(bert|roberta|distilbert|distilroberta|gpt2|distilgpt2|openai-gpt|t5|xlnet|xlm|albert|bart|electra|ctrl|"
    r"camembert|flaubert|longformer|deberta|transfo-xl)(-[\w.-]+)?$")
# Names of folders a training run writes or a reader downloads into: `checkpoints/best` is a local path.
LOCAL_ROOTS = frozenset({"checkpoints", "checkpoint", "ckpt", "ckpts", "output", "outputs", "out", "runs", "logs",
                         "save", "saved", "saved_models", "weights", "pretrained", "exp", "exps", "experiments",
                         "results", "cache", "data", "tmp", "models", "model", "local"})
# datasets' own builders, named like a dataset but reading local files (`load_dataset("json", data_files=...)`):
# any other name without an owner is a dataset of the Hub (`glue`, `squad`).
PACKAGED_BUILDERS = frozenset({"json", "csv", "parquet", "text", "arrow", "pandas", "sql", "generator", "imagefolder",
                               "audiofolder", "videofolder", "webdataset", "xml", "spark", "cache"})
# Revisions that move: a branch.
MOVING_REVISIONS = frozenset({"main", "master", "HEAD", "latest", "dev", "develop"})
# TensorFlow Datasets names whose version is pinned: `name:1.0.0`, `name/config:1.0.0`.
TFDS_PINNED = re.compile(r":\d+(\.(\d+|\*))*$")

# Where huggingface_hub keeps what it downloaded, and the commit each branch pointed at when it did ("Understand
# caching" in the huggingface_hub documentation): $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub;
# a repository's folder is `models--owner--name` (`datasets--` for datasets), its `refs/main` the commit hash.
HF_CACHE_VARIABLES = ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE")
HF_HOME_VARIABLE, HF_DEFAULT_HOME = "HF_HOME", "~/.cache/huggingface"
COMMIT_HASH = re.compile(r"^[0-9a-f]{40}$")
