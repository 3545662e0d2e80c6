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

from reprolint.config import Config
from reprolint.discover import MANIFEST, NOTEBOOK, PYTHON, README, SCRIPT
from reprolint.manifests import Dependency, Manifests, read_manifests
from reprolint.facts import MAIN, Call, FileFacts, Import, Ref, member_of
from reprolint.knowledge.stdlib import is_stdlib


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
    # "script" (a main guard), "console-script", "notebook", "command" (run by a README or shell script),
    # "top-level" (a flat script that runs at import: not in a package, imported by no repository file)
    kind: str
    line: int
    function: Optional[str]  # the function a console script calls; None runs the module's top level


class Node(NamedTuple):
    """A unit of code that runs: a file's top level (""), its main guard (MAIN), or one of its functions."""

    rel: str
    scope: str


_CONSOLE_SCRIPT = re.compile(r"^\s*([\w.-]+)\s*=\s*([\w.]+)\s*:\s*([\w.]+)")
# Called without arguments, these run the calling module's main() (TensorFlow 1's flags convention).
_RUNS_MODULE_MAIN = {"tensorflow.app.run", "tensorflow.compat.v1.app.run"}
# Modules that tools import by name (torch.hub, Sphinx, nox, invoke, fabric, doit): not scripts someone runs.
_LOADED_BY_TOOLS = {"hubconf.py", "conf.py", "noxfile.py", "tasks.py", "fabfile.py", "dodo.py", "__main__.py"}
_TEST_DIRS = {"tests", "test", "testing", "unittests"}
_LAUNCHER = re.compile(r"\b(python[\d.]*|torchrun|accelerate\s+launch|deepspeed|srun|mpirun|horovodrun)\b")
_SCRIPT_ARGUMENT = re.compile(r"(?:^|\s)\.?/?([\w./-]+\.py)\b")
_MODULE_ARGUMENT = re.compile(r"\bpython[\d.]*\s+(?:-\w+\s+)*-m\s+([\w.]+)")


def is_test_file(rel: str) -> bool:
    """Test code: it does not produce the results a reproduction is after."""
    parts = rel.split("/")
    name = parts[-1]
    return (any(p in _TEST_DIRS for p in parts[:-1]) or name.startswith("test_") or name.endswith("_test.py")
            or name == "conftest.py")


class Project:
    def __init__(self, root: Path, files: dict[str, SourceFile], all_paths: set[str], config: Optional[Config] = None):
        self.root = root
        self.config = config or Config()
        self.files = files
        self.all_paths = all_paths
        self._steps_cache: dict = {}
        self._module_cache: dict = {}
        self._methods_cache: dict = {}
        self._shared: dict = {}
        self._dirs_with_python = {posixpath.dirname(r) for r, f in files.items() if f.kind in (PYTHON, MANIFEST)
                                  and r.endswith(".py")}

    def shared(self, key: str, compute):
        """A value several rules need, computed once per run on first use."""
        if key not in self._shared:
            self._shared[key] = compute()
        return self._shared[key]

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

    # ---------------------------------------------------------------- modules and imports

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
        """File -> the repository files it imports directly (not under `if TYPE_CHECKING:`: those never run)."""
        return {f.rel: {t for imp in f.facts.python.imports if not imp.type_only
                        and (t := self.import_targets(f, imp)) and t != f.rel}
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

    # ---------------------------------------------------------------- entrypoints

    @cached_property
    def entrypoints(self) -> list[Entrypoint]:
        found = [Entrypoint(f.rel, "script", f.facts.python.main_guard, None)
                 for f in self.python_files if f.facts.python.main_guard and f.kind == PYTHON]
        found += [Entrypoint(f.rel, "notebook", 1, None) for f in self.python_files if f.kind == NOTEBOOK]
        scripts = {e.rel for e in found}
        found += [Entrypoint(rel, "command", 1, None) for rel in sorted(self._commanded_scripts() - scripts)]
        scripts |= {e.rel for e in found}
        found += [Entrypoint(f.rel, "top-level", 1, None) for f in self._top_level_scripts() if f.rel not in scripts]
        for target in self.console_scripts.values():
            module, _, function = target.partition(":")
            rel = self.resolve_module("", module)
            if rel and rel in self.files:
                line = (self.files[rel].facts.python.functions.get(function, (1,))[0]
                        if self.files[rel].facts.python else 1)
                found.append(Entrypoint(rel, "console-script", line, function))
        return sorted(set(found))

    def _top_level_scripts(self) -> list[SourceFile]:
        """Flat research scripts without a main guard (`python bagging_random_forest.py`): a Python file outside
        any package, that no repository file imports, and that calls something at module level."""
        imported = set().union(*self.import_graph.values()) if self.import_graph else set()
        return [f for f in self.python_files
                if f.kind == PYTHON and f.name not in _LOADED_BY_TOOLS and f.rel not in imported and
                posixpath.join(f.directory, "__init__.py") not in self.files and
                any(c.scope == "" for c in f.facts.python.calls)]

    def _commanded_scripts(self) -> set[str]:
        """Python files a README or shell script runs (`python train.py`, `torchrun ... tools/train.py`,
        `python -m pkg.train`): entrypoints even without a main guard."""
        found = set()
        for file in self.files.values():
            if file.kind not in (README, SCRIPT) or not file.facts.text:
                continue
            base = "" if file.kind == README else file.directory
            for line in file.facts.text.splitlines():
                if not _LAUNCHER.search(line):
                    continue
                for path in _SCRIPT_ARGUMENT.findall(line):
                    for candidate in {posixpath.normpath(posixpath.join(base, path)), posixpath.normpath(path)}:
                        if candidate in self.files and self.files[candidate].facts.python:
                            found.add(candidate)
                for module in _MODULE_ARGUMENT.findall(line):
                    rel = self.resolve_module("", module)
                    if rel and self.files[rel].facts.python:
                        found.add(rel)
        return found

    @cached_property
    def console_scripts(self) -> dict[str, str]:
        """Command name -> `module:function`, for each console script the manifests declare."""
        return dict(self._console_scripts())

    def _console_scripts(self) -> Iterator[tuple[str, str]]:
        """(name, `module:function`) of each console script declared in pyproject.toml, setup.cfg or setup.py."""
        for file in self.manifests:
            if file.name == "pyproject.toml" and isinstance(file.facts.data, dict):
                data = file.facts.data
                tables = [data.get("project", {}).get("scripts", {}),
                          data.get("tool", {}).get("poetry", {}).get("scripts", {})]
                for table in tables:
                    if isinstance(table, dict):
                        yield from ((k, v) for k, v in table.items() if isinstance(v, str))
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
    def _entry_point_specs(lines: list) -> Iterator[tuple[str, str]]:
        for line in lines:
            match = _CONSOLE_SCRIPT.match(str(line))
            if match:
                yield match.group(1), f"{match.group(2)}:{match.group(3)}"

    # ---------------------------------------------------------------- declared requirements

    @cached_property
    def dependencies(self) -> Manifests:
        """Every manifest read into one model: dependencies with their file and line, indexes, Python versions,
        lock files."""
        return read_manifests(self)

    def requirement(self, *names: str) -> Optional[Dependency]:
        """The first declaration of any of these distributions, preferring one with a version."""
        matching = self.dependencies.declared(*names)
        return next((r for r in matching if r.specifier), matching[0] if matching else None)

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

    # ---------------------------------------------------------------- what runs

    @cached_property
    def _calls_by_node(self) -> dict[Node, list[Call]]:
        index: dict[Node, list[Call]] = {}
        for file in self.python_files:
            for call in file.facts.python.calls:
                index.setdefault(Node(file.rel, call.scope), []).append(call)
        return index

    def calls_at(self, node: Node) -> list[Call]:
        return self._calls_by_node.get(node, [])

    def walk(self, entry: Entrypoint, keep) -> Iterator[tuple[Node, Optional[Call]]]:
        """What an entrypoint runs, in execution order as far as it can be told statically: `(node, None)` on
        entering a node, then `(node, call)` for each call that `keep(project, rel, call)` accepts. A module's
        imports come first, then its calls in line order, descending into each repository function when it is
        called (once). Followed: the entrypoint's top level (and its main guard, or the function a console
        script names), the top level of every repository module it imports, and every repository function
        called on the way, through aliases, `self.`, class instantiation, and functions passed as callbacks
        (`mp.spawn(main_worker)`, `worker_init_fn=seed_worker`)."""
        start = [Node(entry.rel, "")]
        if entry.kind == "script":
            start.append(Node(entry.rel, MAIN))
        elif entry.function:
            start.append(Node(entry.rel, entry.function))
        seen = set()
        stack = [iter(start)]
        while stack:
            step = next(stack[-1], None)
            if step is None:
                stack.pop()
            elif isinstance(step, Node):
                if step not in seen:
                    seen.add(step)
                    yield step, None
                    stack.append(iter(self._steps(step, keep)))
            else:
                yield step

    def _steps(self, node: Node, keep) -> list:
        """What running a node does, in order: modules it imports and functions it calls (Nodes to enter), and
        the calls `keep` accepts. Computed once per node: every entrypoint that reaches the node reuses it."""
        key = (node, keep)
        steps = self._steps_cache.get(key)
        if steps is not None:
            return steps
        steps = []
        file = self.files.get(node.rel)
        if file is not None and file.facts.python is not None:
            if node.scope == "":
                steps += [Node(t, "") for t in sorted(self.import_graph.get(node.rel, ()))]
            for call in self.calls_at(node):
                if keep(self, node.rel, call):
                    steps.append((node, call))
                steps += self._call_targets(file, call.name, node.scope)
                for value in (*call.args, *call.kwargs.values()):  # callbacks: `mp.spawn(main_worker)`
                    if isinstance(value, Ref) and value.kind in ("name", "attr"):
                        steps += self._call_targets(file, value.text, node.scope)
            steps += self._closures(file, node.scope)
        self._steps_cache[key] = steps
        return steps

    def _closures(self, file: SourceFile, scope: str) -> list[Node]:
        """Functions defined directly inside a function: returned or passed on (`model_fn_builder` returns the
        `model_fn` an Estimator calls), so running the outer function may run them."""
        if scope in ("", MAIN) or scope not in file.facts.python.functions:
            return []
        return [n for n in self._methods(file).get(scope, [])]

    def _call_targets(self, file: SourceFile, name: str, scope: str) -> list[Node]:
        """The repository functions a call (or a reference to a function) may run."""
        if name in _RUNS_MODULE_MAIN:
            return self._function_or_class(file, "main")
        plain = name.replace("()", "")
        parts = plain.split(".")
        if parts[0] == "self" and "." in scope and len(parts) == 2:
            return self._function_or_class(file, scope.rsplit(".", 1)[0] + "." + parts[1])
        if len(parts) == 1:  # a nested function first, then one of the file's own
            for candidate in ((scope + "." + plain) if scope not in ("", MAIN) else None, plain):
                if candidate and (found := self._function_or_class(file, candidate)):
                    return found
            return []
        return self._qualified_targets(file, plain, 0)

    def _qualified_targets(self, file: SourceFile, name: str, depth: int) -> list[Node]:
        """`pkg.mod.func`, `mod.Class.method`, `.utils.seed_all`: the longest module prefix that is ours."""
        level = len(name) - len(name.lstrip("."))
        parts = name[level:].split(".")
        if not level:
            if parts[0] in file.facts.python.functions or parts[0] in self._methods(file):
                return self._function_or_class(file, ".".join(parts))  # a local class: `Trainer.fit`
            if not self.is_local_module(file.rel, parts[0]):
                return []  # `torch.nn.functional.relu`: not the repository's code
        # A relative name may end at the package itself: `from . import seed_all` is `.seed_all` in __init__.py.
        for cut in range(len(parts) - 1, -1 if level else 0, -1):
            module = "." * level + ".".join(parts[:cut])
            target = self.resolve_module(file.rel, module)
            if not target or target not in self.files or not self.files[target].facts.python:
                continue
            rest = ".".join(parts[cut:])
            found = self._function_or_class(self.files[target], rest)
            if not found and depth < 3:  # a name the module re-exports: `from .seed import seed_all`
                found = self._reexported(self.files[target], rest, depth)
            return found
        return []

    def _reexported(self, module: SourceFile, name: str, depth: int) -> list[Node]:
        head = name.split(".")[0]
        for imp in module.facts.python.imports:
            if imp.alias == head and imp.name:
                return self._qualified_targets(module, member_of(imp.module, imp.name) + name[len(head):], depth + 1)
        return []

    def _function_or_class(self, file: SourceFile, qualname: str) -> list[Node]:
        if qualname in file.facts.python.functions:
            return [Node(file.rel, qualname)]
        return self._methods(file).get(qualname, [])  # instantiating a class may run any of its methods

    def _methods(self, file: SourceFile) -> dict[str, list[Node]]:
        """Qualname of a class (or function) -> the functions defined directly in it, for one file (computed
        once)."""
        methods = self._methods_cache.get(file.rel)
        if methods is None:
            methods = {}
            for qualname in file.facts.python.functions:
                owner, dot, _ = qualname.rpartition(".")
                if dot:
                    methods.setdefault(owner, []).append(Node(file.rel, qualname))
            self._methods_cache[file.rel] = methods
        return methods


def _line_of(text: str, needle: str) -> int:
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else 1
