"""Walk the analyzed paths: honour .gitignore and excludes, skip what is never source, classify what is left."""
from __future__ import annotations

import fnmatch
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

import pathspec

from reprolint.knowledge.containers import CONTAINER_DEFINITION
from reprolint.knowledge.paths import DATA_FILE_SUFFIXES, LFS_POINTER_MAX_SIZE, LFS_POINTER_START

PYTHON, NOTEBOOK, MANIFEST, README, DOC, CONFIG, SCRIPT, OTHER = (
    "python", "notebook", "manifest", "readme", "doc", "config", "script", "other")
READ_KINDS = {PYTHON, NOTEBOOK, MANIFEST, README, DOC, CONFIG, SCRIPT}

# Folders that are never the project's own source: VCS data, environments, caches, build and run outputs.
SKIPPED_DIRS = {
    ".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "node_modules", "__pycache__", ".mypy_cache",
    ".pytest_cache", ".ruff_cache", ".ipynb_checkpoints", "site-packages", "build", "dist", ".eggs", "wandb",
    "mlruns", ".hydra", ".idea", ".vscode",
}
MANIFEST_NAMES = {
    "pyproject.toml", "setup.py", "setup.cfg", "pipfile", "pipfile.lock", "poetry.lock", "uv.lock", "pdm.lock",
    "conda-lock.yml", "conda-lock.yaml", "dockerfile", ".python-version", "runtime.txt",
    ".gitattributes",  # which files Git LFS stores
}
_REQUIREMENTS = re.compile(r"(.*requirements.*|.*constraints.*)\.(txt|in)$|^requirements/.*\.(txt|in)$")
_ENVIRONMENT = re.compile(r"^(.*[-_.])?(environment|env|conda)([-_.].*)?\.ya?ml$")
CONFIG_SUFFIXES = {".yaml", ".yml", ".json", ".toml", ".cfg", ".ini"}


@dataclass
class Discovered:
    files: dict[str, str] = field(default_factory=dict)  # relative posix path -> kind, for files to read
    stats: dict[str, tuple] = field(default_factory=dict)  # relative path -> (size, mtime_ns) of files to read
    all_paths: set[str] = field(default_factory=set)  # every file seen, read or not, for existence checks
    blobs: dict[str, tuple] = field(default_factory=dict)  # data and weight files: path -> (size, is an LFS pointer)
    notes: list[str] = field(default_factory=list)  # what was skipped and why
    errors: list[str] = field(default_factory=list)  # paths that could not be walked at all


def is_requirements_file(rel: str) -> bool:
    """requirements*.txt, *constraints*.in, requirements/base.txt: pip's format, whatever else the name says."""
    return bool(_REQUIREMENTS.match(rel.lower()))


def classify(rel: str) -> str:
    name = rel.rsplit("/", 1)[-1].lower()
    suffix = os.path.splitext(name)[1]
    if suffix == ".py":
        return MANIFEST if name == "setup.py" else PYTHON
    if suffix == ".ipynb":
        return NOTEBOOK
    if name in MANIFEST_NAMES or name.startswith("dockerfile") or is_requirements_file(rel) or \
            CONTAINER_DEFINITION.search(name):
        return MANIFEST
    if _ENVIRONMENT.match(name):
        return MANIFEST
    if name.startswith("readme") and suffix in {"", ".md", ".rst", ".txt", ".markdown"}:
        return README
    if suffix in {".md", ".rst", ".markdown"}:
        return DOC  # GETTING_STARTED.md, docs/train.md: a README often sends the reader there
    if suffix in CONFIG_SUFFIXES:
        return CONFIG
    if suffix in (".sh", ".bash", ".zsh") or name == "makefile":
        return SCRIPT  # the commands that run the code, and the environment they set
    return OTHER


class _Gitignore:
    """One .gitignore. Most paths match none of its patterns: one combined regex answers that in C, and pathspec
    (which tries pattern after pattern in Python, 5x slower) is asked only to settle the rest, negations included."""

    def __init__(self, lines: list[str]):
        self._spec = pathspec.GitIgnoreSpec.from_lines(lines)
        regexes = [re.sub(r"\(\?P<\w+>", "(?:", p.regex.pattern) for p in self._spec.patterns
                   if p.include is not None and p.regex is not None]
        self._any = re.compile("|".join(f"(?:{r})" for r in regexes)) if regexes else None

    def check_file(self, path: str) -> Optional[bool]:
        """True ignored, False re-included by a negation, None when no pattern speaks of the path."""
        if self._any is None or not self._any.match(path):
            return None
        return self._spec.check_file(path).include


class _IgnoreStack:
    """The .gitignore files met on the way down; the deepest one that has an opinion on a path decides."""

    def __init__(self, root_spec: Optional[_Gitignore]):
        self._specs: list[tuple[str, _Gitignore]] = [("", root_spec)] if root_spec else []

    def push(self, rel_dir: str, spec: _Gitignore) -> None:
        self._specs.append((rel_dir, spec))

    def pop_to(self, depth: int) -> None:
        del self._specs[depth:]

    def __len__(self) -> int:
        return len(self._specs)

    def ignored(self, rel: str, is_dir: bool) -> bool:
        for base, spec in reversed(self._specs):
            sub = rel[len(base) + 1:] if base else rel
            verdict = spec.check_file(sub + "/" if is_dir else sub)
            if verdict is not None:
                return verdict
        return False


def _read_gitignore(path: Path) -> Optional[_Gitignore]:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return _Gitignore(lines)


def discover(root: Path, targets: Iterable[Path], excludes: list[str], respect_gitignore: bool = True,
             max_file_size: int = 10 * 1024 * 1024) -> Discovered:
    """Find the files under each target; paths in the result are relative to root."""
    out = Discovered()
    exclude_spec = _Gitignore(excludes) if excludes else None
    for target in targets:
        rel = _relative(root, target)
        if target.is_dir():
            stack = _IgnoreStack(exclude_spec)
            if respect_gitignore:
                for parent in _ancestors_within(root, target):
                    spec = _read_gitignore(root / parent / ".gitignore")
                    if spec:
                        stack.push(parent, spec)
            _walk(target, rel, stack, respect_gitignore, max_file_size, out, os.path.realpath(root))
        elif target.exists():
            _add_file(target, rel, max_file_size, out)
        else:
            out.errors.append(f"{target}: no such file or directory")
    return out


def _relative(root: Path, path: Path) -> str:
    rel = os.path.relpath(path, root).replace(os.sep, "/")
    return "" if rel == "." else rel


def _ancestors_within(root: Path, target: Path) -> list[str]:
    """Relative paths of root and each folder between it and target, the target excluded (it reads its own)."""
    rel = _relative(root, target)
    parts = rel.split("/") if rel else []
    return ["/".join(parts[:i]) for i in range(len(parts))]


def _walk(directory: Path, rel_dir: str, stack: _IgnoreStack, respect_gitignore: bool, max_file_size: int,
          out: Discovered, real_root: str) -> None:
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        out.errors.append(f"{rel_dir or '.'}: cannot read directory ({exc.strerror})")
        return
    depth = len(stack)
    if respect_gitignore and any(e.name == ".gitignore" for e in entries):
        spec = _read_gitignore(directory / ".gitignore")
        if spec:
            stack.push(rel_dir, spec)
    prefix = rel_dir + "/" if rel_dir else ""
    for entry in entries:
        rel = prefix + entry.name
        if entry.is_symlink() and not _link_kept(entry, rel, real_root, out):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            if entry.name in SKIPPED_DIRS or entry.name.endswith(".egg-info") or stack.ignored(rel, True):
                continue
            if os.path.exists(os.path.join(entry.path, "pyvenv.cfg")):
                out.notes.append(f"{rel}: virtual environment skipped")
                continue
            _walk(Path(entry.path), rel, stack, respect_gitignore, max_file_size, out, real_root)
        elif not stack.ignored(rel, False):
            _add_file(Path(entry.path), rel, max_file_size, out)
    stack.pop_to(depth)


def _link_kept(entry: os.DirEntry, rel: str, real_root: str, out: Discovered) -> bool:
    """A symbolic link is read only when it is a file inside the analyzed folder. A link that leads outside is
    never followed (a repository could point at ~/.ssh or /); a link to a folder inside is not walked either: its
    target is analyzed at its own path, so link chains and loops cost nothing."""
    real = os.path.realpath(entry.path)
    if not is_within(real_root, real):
        out.notes.append(f"{rel}: symbolic link to outside the analyzed folder skipped")
        return False
    if os.path.isdir(real):
        target = os.path.relpath(real, real_root).replace(os.sep, "/")
        out.notes.append(f"{rel}: symbolic link to the folder {target}, analyzed at its own path")
        return False
    return True


def is_within(real_root: str, path: str) -> bool:
    """Whether a path (already resolved with os.path.realpath) is the root or lies under it."""
    return path == real_root or path.startswith(real_root.rstrip(os.sep) + os.sep)


def _add_file(path: Path, rel: str, max_file_size: int, out: Discovered) -> None:
    try:
        info = path.stat()
    except OSError:
        out.notes.append(f"{rel}: broken symbolic link skipped")
        return
    if not stat.S_ISREG(info.st_mode):
        return
    out.all_paths.add(rel)
    if rel.lower().endswith(DATA_FILE_SUFFIXES):
        out.blobs[rel] = (info.st_size, info.st_size <= LFS_POINTER_MAX_SIZE and _starts_with(path, LFS_POINTER_START))
    kind = classify(rel)
    if kind not in READ_KINDS:
        return
    if info.st_size > max_file_size:
        out.notes.append(f"{rel}: skipped, {info.st_size // 1024} KiB is over the {max_file_size // 1024} KiB limit")
        return
    out.files[rel] = kind
    out.stats[rel] = (info.st_size, info.st_mtime_ns)


def _starts_with(path: Path, prefix: bytes) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(prefix)) == prefix
    except OSError:
        return False


def matches_glob(rel: str, pattern: str) -> bool:
    """A per-file-ignores pattern: a glob against the relative path, or against the file name when it has no '/'."""
    return fnmatch.fnmatch(rel, pattern) or ("/" not in pattern and fnmatch.fnmatch(rel.rsplit("/", 1)[-1], pattern))
