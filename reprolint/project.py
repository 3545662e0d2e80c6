"""The project model: per-file facts joined into what cross-file questions need.

Rules ask the model (which files are entrypoints, which module an import names, what the repository declares);
they never re-read or re-parse files.
"""
from __future__ import annotations

import configparser
import posixpath
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Iterator, NamedTuple, Optional

from reprolint.discover import MANIFEST, NOTEBOOK, PYTHON, README
from reprolint.facts import FileFacts, Import
from reprolint.stdlib import is_stdlib


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


class Entrypoint(NamedTuple):
    rel: str
    kind: str  # "script" (a main guard), "console-script", "notebook"
    line: int
    function: Optional[str]  # the function a console script calls; None runs the module's top level


_CONSOLE_SCRIPT = re.compile(r"^\s*([\w.-]+)\s*=\s*([\w.]+)\s*:\s*([\w.]+)")


class Project:
    def __init__(self, root: Path, files: dict[str, SourceFile], all_paths: set[str]):
        self.root = root
        self.files = files
        self.all_paths = all_paths
        self._dirs_with_python = {posixpath.dirname(r) for r, f in files.items() if f.kind in (PYTHON, MANIFEST)
                                  and r.endswith(".py")}

    # ---------------------------------------------------------------- files by kind

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

    def data(self, rel: str):
        """Parsed TOML/YAML/JSON of a manifest or config, or None when absent or broken."""
        file = self.files.get(rel)
        return file.facts.data if file else None

    # ---------------------------------------------------------------- modules and imports

    def resolve_module(self, from_rel: str, module: str) -> Optional[str]:
        """The repository file a module name refers to from a given file, or None for a third-party module.

        Absolute names are looked up beside the importing file (a script's folder is on sys.path), at the root, and
        under src/; relative names from the importing file's package.
        """
        if module.startswith("."):
            level = len(module) - len(module.lstrip("."))
            base = posixpath.dirname(from_rel)
            for _ in range(level - 1):
                base = posixpath.dirname(base)
            rest = module[level:].replace(".", "/")
            return self._module_file(posixpath.join(base, rest) if rest else base)
        path = module.replace(".", "/")
        for base in (posixpath.dirname(from_rel), "", "src"):
            found = self._module_file(posixpath.join(base, path) if base else path)
            if found:
                return found
        return None

    def _module_file(self, path: str) -> Optional[str]:
        for candidate in (path + ".py", posixpath.join(path, "__init__.py") if path else "__init__.py"):
            if candidate in self.files:
                return candidate
        return None

    def is_local_module(self, from_rel: str, top: str) -> bool:
        """Whether a top-level import name is the repository's own (a module, a package, a namespace package)."""
        if self.resolve_module(from_rel, top):
            return True
        return any((posixpath.join(base, top) if base else top) in self._dirs_with_python
                   for base in (posixpath.dirname(from_rel), "", "src"))

    def import_targets(self, file: SourceFile, imp: Import) -> Optional[str]:
        """The repository file an import statement loads, if it is one of the repository's own."""
        if imp.name and imp.name != "*":
            sub = imp.module + ("" if imp.module.endswith(".") else ".") + imp.name
            found = self.resolve_module(file.rel, sub)
            if found:
                return found
        return self.resolve_module(file.rel, imp.module)

    @cached_property
    def import_graph(self) -> dict[str, set[str]]:
        """File -> the repository files it imports directly."""
        graph: dict[str, set[str]] = {}
        for file in self.python_files:
            graph[file.rel] = {t for imp in file.facts.python.imports
                               if (t := self.import_targets(file, imp)) and t != file.rel}
        return graph

    def third_party_imports(self) -> Iterator[tuple[SourceFile, Import, str]]:
        """Every import of a module that is neither the standard library nor the repository's own, in the code:
        setup.py's imports are build requirements, not what the code needs to run."""
        for file in self.python_files:
            if file.kind == MANIFEST:
                continue
            for imp in file.facts.python.imports:
                if imp.module.startswith("."):
                    continue
                top = imp.module.split(".")[0]
                if top and not is_stdlib(top) and not self.is_local_module(file.rel, top):
                    yield file, imp, top

    # ---------------------------------------------------------------- entrypoints

    @cached_property
    def entrypoints(self) -> list[Entrypoint]:
        found = [Entrypoint(f.rel, "script", f.facts.python.main_guard, None)
                 for f in self.python_files if f.facts.python.main_guard and f.kind == PYTHON]
        found += [Entrypoint(f.rel, "notebook", 1, None) for f in self.python_files if f.kind == NOTEBOOK]
        for target in self._console_script_targets():
            module, _, function = target.partition(":")
            rel = self.resolve_module("", module)
            if rel and rel in self.files:
                line = (self.files[rel].facts.python.functions.get(function, (1,))[0]
                        if self.files[rel].facts.python else 1)
                found.append(Entrypoint(rel, "console-script", line, function))
        return sorted(set(found))

    def _console_script_targets(self) -> Iterator[str]:
        """`module:function` of each console script declared in pyproject.toml, setup.cfg or setup.py."""
        for file in self.manifests:
            if file.name == "pyproject.toml" and isinstance(file.facts.data, dict):
                data = file.facts.data
                tables = [data.get("project", {}).get("scripts", {}),
                          data.get("tool", {}).get("poetry", {}).get("scripts", {})]
                for table in tables:
                    if isinstance(table, dict):
                        yield from (v for v in table.values() if isinstance(v, str))
            elif file.name == "setup.cfg" and file.facts.text:
                parser = configparser.ConfigParser(interpolation=None)
                try:
                    parser.read_string(file.facts.text)
                    lines = parser.get("options.entry_points", "console_scripts", fallback="").splitlines()
                except configparser.Error:
                    continue
                yield from self._entry_point_specs(lines)
            elif file.name == "setup.py" and file.facts.python:
                for call in file.facts.python.calls:
                    points = call.kwargs.get("entry_points") if call.name.endswith("setup") else None
                    if isinstance(points, dict):
                        scripts = points.get("console_scripts", [])
                        yield from self._entry_point_specs(scripts if isinstance(scripts, list) else [scripts])

    @staticmethod
    def _entry_point_specs(lines: list) -> Iterator[str]:
        for line in lines:
            match = _CONSOLE_SCRIPT.match(str(line))
            if match:
                yield f"{match.group(2)}:{match.group(3)}"
