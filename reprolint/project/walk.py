"""The call walk of the project model: what an entrypoint runs, in execution order, through the repository's own
modules and functions."""
from __future__ import annotations

from functools import cached_property
from typing import Iterator, NamedTuple, Optional

from reprolint.facts import MAIN, Call, Ref, member_of
from reprolint.project.entrypoints import Entrypoint
from reprolint.project.files import SourceFile


class Node(NamedTuple):
    """A unit of code that runs: a file's top level (""), its main guard (MAIN), or one of its functions."""

    rel: str
    scope: str


# Called without arguments, these run the calling module's main() (TensorFlow 1's flags convention).
_RUNS_MODULE_MAIN = {"tensorflow.app.run", "tensorflow.compat.v1.app.run"}


class Walk:
    """Execution order of a run, as far as it can be told statically."""

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

    _INHERITANCE_DEPTH = 3  # base classes followed, through files; also what ends a cycle of aliases

    def _function_or_class(self, file: SourceFile, qualname: str) -> list[Node]:
        if qualname in file.facts.python.functions:
            return [Node(file.rel, qualname)]
        methods = self._methods(file).get(qualname, [])  # instantiating a class may run any of its methods,
        bases = file.facts.python.bases.get(qualname, ())
        if bases and self._inheriting < self._INHERITANCE_DEPTH:  # and those it inherits from the repository's
            self._inheriting += 1  # own base classes (an `__init__` that seeds)
            own = {n.scope.rsplit(".", 1)[-1] for n in methods}  # what the class overrides is not inherited
            try:
                for base in bases:
                    found = self._function_or_class(file, base) if "." not in base else \
                        self._qualified_targets(file, base, 0)
                    methods = [n for n in found if "." in n.scope and n.scope.rsplit(".", 1)[-1] not in own] + \
                        methods
            finally:
                self._inheriting -= 1
        return methods

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
