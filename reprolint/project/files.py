"""The files of the project model: each analyzed file with its facts, by kind, and where a line is."""
from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Optional

from reprolint.config import Config
from reprolint.discover import MANIFEST, PYTHON, README, SCRIPT
from reprolint.facts import FileFacts


@dataclass
class SourceFile:
    rel: str
    kind: str
    facts: FileFacts

    @property
    def name(self) -> str:
        return self.rel.rsplit("/", 1)[-1]

    @property
    def directory(self) -> str:
        return posixpath.dirname(self.rel)


_TEST_DIRS = {"tests", "test", "testing", "unittests"}


def is_test_file(rel: str) -> bool:
    """Test code: it does not produce the results a reproduction is after."""
    parts = rel.split("/")
    name = parts[-1]
    return (any(p in _TEST_DIRS for p in parts[:-1]) or name.startswith("test_") or name.endswith("_test.py")
            or name == "conftest.py")


def _comparable(name: str) -> str:
    """A name as distributions compare them: `denoising-diffusion-pytorch` is `denoising_diffusion_pytorch`."""
    return name.lower().replace("-", "").replace("_", "").replace(".", "")


def _sets_version(python) -> bool:
    return any(a.target == "__version__" for a in python.assigns) or \
        any(i.alias == "__version__" for i in python.imports)


class Files:
    """The analyzed files and the values computed once per run from them."""

    def __init__(self, root: Path, files: dict[str, SourceFile], all_paths: set[str], config: Optional[Config] = None,
                 blobs: Optional[dict] = None):
        self.root = root
        self.config = config or Config()
        self.files = files
        self.all_paths = all_paths
        self.blobs = blobs or {}  # data and weight files: path -> (size, is a Git LFS pointer)
        self._steps_cache: dict = {}
        self._module_cache: dict = {}
        self._methods_cache: dict = {}
        self._inheriting = 0  # depth of base classes being followed by the walk
        self._shared: dict = {}
        self._dirs_with_python = {posixpath.dirname(r) for r, f in files.items() if f.kind in (PYTHON, MANIFEST)
                                  and r.endswith(".py")}

    def shared(self, key: str, compute):
        """A value several rules need, computed once per run on first use."""
        if key not in self._shared:
            self._shared[key] = compute()
        return self._shared[key]

    @cached_property
    def python_files(self) -> list[SourceFile]:
        """Python sources and notebooks that parsed (in part, for notebooks)."""
        return [f for f in self.files.values() if f.facts.python is not None]

    @cached_property
    def readme(self) -> Optional[SourceFile]:
        """The README at the root, preferring Markdown, then the shallowest one anywhere."""
        readmes = [f for f in self.files.values() if f.kind == README]
        order = {".md": 0, ".markdown": 0, ".rst": 1, ".txt": 2}
        readmes.sort(key=lambda f: (f.rel.count("/"), order.get(posixpath.splitext(f.name)[1].lower(), 3), f.rel))
        return readmes[0] if readmes else None

    @cached_property
    def manifests(self) -> list[SourceFile]:
        return [f for f in self.files.values() if f.kind == MANIFEST]

    @cached_property
    def vendored_folders(self) -> frozenset:
        """Folders that hold a copy of a released package: a package whose `__init__.py` (or a module beside it)
        sets or imports `__version__`, nested in the repository or, at its top, named otherwise than the
        repository when the repository publishes no package of its own (petridishnn's copy of tensorpack; a copy
        of pretrainedmodels under mister_ed/imagenet)."""
        found = set()
        root_name = _comparable(self.root.name)
        publishes = any(name in self.files for name in ("setup.py", "pyproject.toml", "setup.cfg"))
        for rel, file in self.files.items():
            python = file.facts.python
            if python is None or not _sets_version(python):
                continue
            folder = posixpath.dirname(rel)
            if not folder or posixpath.join(folder, "__init__.py") not in self.files:
                continue
            top = folder.removeprefix("src/")  # a src layout's package is at the top
            if "/" in top or not publishes and _comparable(top) not in root_name:
                found.add(folder)
        return frozenset(found)

    def is_vendored(self, rel: str) -> bool:
        folders = self.vendored_folders
        return bool(folders) and any(rel.startswith(folder + "/") for folder in folders)

    def cell_of(self, rel: str, line: int) -> Optional[tuple]:
        """(cell, line in the cell) of a line of a notebook's joined source, or None for other files."""
        file = self.files.get(rel)
        cells = file.facts.cells if file else None
        return cells[line - 1] if cells and 0 < line <= len(cells) else None

    def place(self, rel: str, line: int) -> str:
        """`path:line`, or `notebook.ipynb cell N:M`, as a message names a place."""
        cell = self.cell_of(rel, line)
        return f"{rel} cell {cell[0]}:{cell[1]}" if cell else f"{rel}:{line}"

    def text_mentions(self, needle: str) -> Optional[tuple[str, int]]:
        """The first shell script, Dockerfile or README line that mentions a string (an environment variable)."""
        for file in self.files.values():
            if file.kind in (SCRIPT, MANIFEST, README) and file.facts.text and needle in file.facts.text:
                return file.rel, _line_of(file.facts.text, needle)
        return None


def _line_of(text: str, needle: str) -> int:
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else 1
