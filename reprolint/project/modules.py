"""Modules of the project model: which repository file an import names, and the import graph between them."""
from __future__ import annotations

import posixpath
from functools import cached_property
from typing import Iterator, Optional

from reprolint.discover import MANIFEST
from reprolint.facts import Import, member_of
from reprolint.knowledge.stdlib import is_stdlib
from reprolint.project.files import SourceFile


class Modules:
    """Module resolution from the repository's import roots (a script's folder, the root, src/)."""

    def resolve_module(self, from_rel: str, module: str) -> Optional[str]:
        """The repository file a module name refers to from a given file, or None for a third-party module.

        Absolute names are looked up beside the importing file (a script's folder is on sys.path), at the root, and
        under src/; relative names from the importing file's package.
        """
        key = (posixpath.dirname(from_rel), module)
        if key not in self._module_cache:
            self._module_cache[key] = self._resolve_module(from_rel, module)
        return self._module_cache[key]

    def _resolve_module(self, from_rel: str, module: str) -> Optional[str]:
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
        key = (posixpath.dirname(from_rel), top, "local")
        if key not in self._module_cache:
            self._module_cache[key] = bool(self.resolve_module(from_rel, top)) or any(
                (posixpath.join(base, top) if base else top) in self._dirs_with_python
                for base in (key[0], "", "src"))
        return self._module_cache[key]

    def import_targets(self, file: SourceFile, imp: Import) -> Optional[str]:
        """The repository file an import statement loads, if it is one of the repository's own."""
        if imp.name and imp.name != "*":
            found = self.resolve_module(file.rel, member_of(imp.module, imp.name))
            if found:
                return found
        return self.resolve_module(file.rel, imp.module)

    @cached_property
    def import_graph(self) -> dict[str, set[str]]:
        """File -> the repository files it imports directly (not under `if TYPE_CHECKING:`: those never run), among
        the files that parsed: a module with a syntax error is an RPL001 finding of its own, and what it would run
        is unknown."""
        return {f.rel: {t for imp in f.facts.python.imports if not imp.type_only
                        and (t := self.import_targets(f, imp)) and t != f.rel and self.files[t].facts.python}
                for f in self.python_files}

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
