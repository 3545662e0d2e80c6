"""Paths that exist only on the machine a repository was written on, as data.

Source: Pimentel et al., "A Large-scale Study about Quality and Reproducibility of Jupyter Notebooks" (MSR 2019):
12.6 % of the notebooks that fail to re-run fail on a missing file, mostly an absolute path of the author's machine.
The prefixes are the places such paths start: home folders (Linux, macOS, Windows), a mounted Google Drive in Colab,
the shared file systems of university and company clusters (scratch, GPFS, Lustre, NFS exports, FAIR's
/private/home, /checkpoint and /datasets01), and a workstation's own disks (/ssd1t, /hdd, /data2, /disk1). System
paths (/usr, /etc, /tmp, /dev, /proc, /opt) are not machine specific, nor are the conventional container mounts
/data and /workspace, which a Dockerfile or a command creates.
"""
from __future__ import annotations

import re

# The shared file systems of clusters, each a folder at the root (`/gpfs/...`); `/scratch1` and numbered disks
# are in the pattern below.
CLUSTER_ROOTS = ("gpfs", "lustre", "nfs", "export", "checkpoint", "datasets01", "raid", "cluster", "ceph", "fsx",
                 "weka", "nas")

# The start of a machine-specific path: a user's folder (the user name is part of the match), or a cluster mount.
MACHINE_PATH = re.compile(
    r"(?:/home/[^/\s\"'$]+/[^\s\"']"
    r"|/Users/[^/\s\"'$]+/[^\s\"']"
    r"|[A-Za-z]:(?:\\\\?|/)(?:Users|Documents and Settings)(?:\\\\?|/)[^\\/\s\"']+"
    r"|[A-Za-z]:(?:\\\\?|/)[^\\/\s\"'*?<>|:]+(?:\\\\?|/)"
    r"|/content/drive/[^\s\"']"
    r"|/(?:scratch\d*|" + "|".join(CLUSTER_ROOTS) + r")/[^\s\"']"
    r"|/(?:ssd|hdd|nvme)\w*/[^\s\"']|/(?:data|disk)\d+\w*/[^\s\"']"
    r"|/private/home/[^/\s\"']+"
    r"|/(?:mnt|media|net)/[^/\s\"'$]+/[^\s\"'])"
)

# The literal starts of MACHINE_PATH's alternatives, and its drive letter: a text with none of them has no machine
# path, which a substring test tells far faster than the pattern (most files have none).
PATH_MARKERS = ("/home/", "/Users/", "/content/drive/", "/scratch", "/private/home/", "/mnt/", "/media/", "/net/",
                "/ssd", "/hdd", "/nvme", "/data", "/disk") + tuple(f"/{root}/" for root in CLUSTER_ROOTS)
DRIVE_LETTER = re.compile(r"[A-Za-z]:[\\/][^\\/]")  # no look-behind: four times faster, and IN_TEXT decides


def may_hold_machine_paths(text: str) -> bool:
    return any(marker in text for marker in PATH_MARKERS) or bool(DRIVE_LETTER.search(text))


# An absolute path is a string that starts with one of the prefixes: the path of a URL (`https://x/home/a/`) or a
# path inside a sentence is something else.
WHOLE_VALUE = re.compile(r"^(?:" + MACHINE_PATH.pattern + r")")

# In a config file or a shell script, a value that starts after a separator: `root: /export/share/x`, `"/home/a/b"`,
# `--data=/scratch/x`.
IN_TEXT = re.compile(r"(?:^|(?<=[\s\"'=:,\[(]))(?:" + MACHINE_PATH.pattern + r")")


# A segment that marks a path as a template for the reader to edit (`/home/user/...`, `/path/to/data`).
PLACEHOLDER = re.compile(r"/(user|username|user_?name|your[\w-]*|<[^>/]*>|x{3,}|path|path/to|changeme|name)(/|$)", re.I)
# Config keys, keywords and options whose path is inside a container or job: where a volume is mounted.
MOUNT_KEY = re.compile(r"^(mount_?path|mount_?point|mount|target|destination|dst|container_?path|bind)$", re.I)
MOUNT_OPTION = re.compile(r"(?:^|\s)(--[\w-]+[=\s]+|-[vB]\s+)\S*:$|[\w.)}-]:$")  # `src:/dst`: a volume
# Options and keys that name where a run writes: a folder it creates, not a file it needs.
OUTPUT_KEY = re.compile(r"(^|[-_])(output|out|save|saving|log|logs|logging|cache|dest|destination|local[-_]dir|"
                        r"checkpoint[-_]state|ckpt[-_]state|results?)([-_]|$)", re.I)


def machine_path(value: str) -> bool:
    """A string value that is a path on the author's machine (its start is enough: an f-string's first part), not
    a template to edit."""
    return len(value) < 1000 and "\n" not in value and bool(WHOLE_VALUE.match(value)) and \
        not PLACEHOLDER.search(value)


# Data and weights, by suffix: the files that Git LFS or DVC is for.
DATA_FILE_SUFFIXES = (".pt", ".pth", ".ckpt", ".h5", ".hdf5", ".safetensors", ".pb", ".tflite", ".onnx", ".params",
                      ".caffemodel", ".weights", ".t7", ".npz", ".npy", ".pkl", ".pickle", ".joblib", ".bin", ".mat",
                      ".csv", ".tsv", ".parquet", ".feather", ".arrow", ".tfrecord", ".tfrecords", ".lmdb", ".zip",
                      ".tar", ".tgz", ".gz", ".bz2", ".xz", ".7z", ".hdf", ".nc", ".zarr", ".msgpack", ".gguf")
# GitHub warns on a pushed file over 50 MiB and refuses one over 100 MiB ("About large files on GitHub"); Git LFS
# or DVC is the documented way to version such files.
LARGE_FILE_LIMIT = 50 * 1024 * 1024
# The first line of a Git LFS pointer file (git-lfs specification, docs/spec.md).
LFS_POINTER_START = b"version https://git-lfs.github.com/spec/v1"
LFS_POINTER_MAX_SIZE = 1024  # pointers are about 130 bytes; the specification caps them at 1024
