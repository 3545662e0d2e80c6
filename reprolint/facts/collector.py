"""The one pass over a Python module that collects its imports, functions, main guard, loops, calls and
assignments."""
from __future__ import annotations

import ast
from sys import intern
from typing import Any, Optional

from reprolint.facts.syntax import (
    CHILD_FIELDS, MAYBE_LITERAL, METHODS_OF_INTEREST, NO_KWARGS, NODE_KINDS, NOISE_BUILTINS, child_fields, dotted,
    is_availability_check, is_main_guard, is_type_checking, is_version_check, literal,
)
from reprolint.facts.types import MAIN, Assign, Call, Import, Loop, PyFacts, Ref, member_of


class _Aliases:
    """Imports and the aliases they bind, so that names resolve to what they import."""

    def _bind(self, alias: str, target: str, node: ast.AST, name: Optional[str], module: str, scope: str,
              guarded: bool) -> None:
        if name != "*":
            self.aliases.setdefault(alias, target)
        self.facts.imports.append(Import(module, name, alias, node.lineno, guarded, self._type_only > 0))

    def _is_imported(self, name: str) -> bool:
        head = name.split(".", 1)[0].split("[", 1)[0]
        return (head[:-2] if head.endswith("()") else head) in self.aliases

    def resolve(self, name: str) -> str:
        head, dot, rest = name.partition(".")
        paren = head.endswith("()")
        base = self.aliases.get(head[:-2] if paren else head)
        if base is None:
            return name
        return base + ("()" if paren else "") + dot + rest

    def _resolve_value(self, value: Any) -> Any:
        if isinstance(value, Ref) and value.kind != "expr":
            return Ref(value.kind, intern(self.resolve(value.text)))
        return value


class _Records(_Aliases):
    """Calls and assignments, kept when a rule can use them and resolved once aliases are known."""

    def _call(self, node: ast.Call, scope: str) -> None:
        # The arguments are read in _resolve, once it is known whether the call is worth keeping.
        name = dotted(node.func)
        if name is not None:
            self._raw_calls.append((name, node, scope))

    def _assign(self, node: ast.AST, scope: str) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if node.value is None:
            return
        value = literal(node.value) if type(node.value) in MAYBE_LITERAL else Ref("expr", "")
        for target in targets:
            if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant):
                base = dotted(target.value)
                text = f"{base}[{target.slice.value}]" if base else None
            else:
                text = dotted(target)
            if text is not None:
                self.facts.assigns.append(Assign(text, value, target.lineno, target.col_offset + 1, scope))

    def _resolve(self) -> None:
        resolve = self.resolve
        f = self.facts
        methods = {q.rsplit(".", 1)[-1] for q in f.functions if "." in q}
        value = self._resolve_value
        f.calls = [Call(intern(resolve(name)), node.lineno, node.col_offset + 1, scope,
                        tuple(value(literal(a)) for a in node.args),
                        {(k.arg if k.arg is not None else "**"): value(literal(k.value)) for k in node.keywords}
                        if node.keywords else NO_KWARGS)
                   for name, node, scope in self._raw_calls if self._worth_keeping(name, methods)]
        f.assigns = [r for a in f.assigns if (r := self._resolved_assign(a))]
        f.bases = {cls: [intern(resolve(b)) for b in bases] for cls, bases in f.bases.items()}
        f.calls.sort(key=lambda c: (c.line, c.col))  # the traversal stack pops in reverse
        f.assigns.sort(key=lambda a: (a.line, a.col))

    def _worth_keeping(self, name: str, methods: set) -> bool:
        head, dot, rest = name.partition(".")
        if not dot:
            return head not in NOISE_BUILTINS or head in self.aliases
        if self._is_imported(head):
            return True
        if head == "self" and rest in methods:
            return True
        return name.rsplit(".", 1)[-1] in METHODS_OF_INTEREST

    def _resolved_assign(self, assign: Assign) -> Optional[Assign]:
        """Keep what rules can use: literal values, and assignments to or from imported names (flags, seeds)."""
        imported = self._is_imported
        if isinstance(assign.value, Ref) and not imported(assign.target) and not (
                assign.value.kind != "expr" and imported(assign.value.text)):
            return None
        return assign._replace(target=self.resolve(assign.target), value=self._resolve_value(assign.value))


class Collector(_Records):
    """One pass over the tree, keeping the enclosing scope; names are resolved at the end, once aliases are known."""

    def __init__(self) -> None:
        self.facts = PyFacts()
        self.aliases: dict[str, str] = {}
        self._raw_calls: list = []  # (dotted name, node, scope)
        self._type_only = 0  # depth of `if TYPE_CHECKING:` blocks

    def run(self, body: list) -> PyFacts:
        """The facts of a module's (or a notebook's joined cells') statements."""
        self._visit_body(body, scope="", prefix="", guarded=False)
        self._resolve()
        return self.facts

    def _visit_body(self, body: list, scope: str, prefix: str, guarded: bool) -> None:
        for node in body:
            self._visit(node, scope, prefix, guarded)

    def _visit(self, node: ast.AST, scope: str, prefix: str, guarded: bool) -> None:
        # The hot loop of a cold run: an explicit stack, and one dict look-up per node to find what it needs.
        stack = [node]
        while stack:
            node = stack.pop()
            cls = type(node)
            kind = NODE_KINDS.get(cls)
            if kind is not None:
                if kind == "call":
                    self._call(node, scope)
                elif kind == "assign":
                    self._assign(node, scope)
                elif self._statement(kind, node, scope, prefix, guarded, stack):
                    continue
            fields = CHILD_FIELDS.get(cls)
            for name in fields if fields is not None else child_fields(cls):
                child = getattr(node, name, None)
                if type(child) is list:
                    stack.extend(child)
                elif child is not None:
                    stack.append(child)

    def _statement(self, kind: str, node: ast.AST, scope: str, prefix: str, guarded: bool, stack: list) -> bool:
        """Statements that open a scope or bind imports; True when their children need no generic visit."""
        if kind == "def":
            qualname = prefix + node.name
            params = [a.arg for a in node.args.posonlyargs + node.args.args + node.args.kwonlyargs]
            self.facts.functions[qualname] = (node.lineno, params)
            stack.extend(node.decorator_list)
            stack.extend(d for d in node.args.defaults + node.args.kw_defaults if d is not None)
            self._visit_body(node.body, qualname, qualname + ".", guarded)
        elif kind == "class":
            stack.extend(node.decorator_list)
            stack.extend(node.bases)
            names = [name for base in node.bases if (name := dotted(base))]
            if names:
                self.facts.bases[prefix + node.name] = names
            self._visit_body(node.body, scope, prefix + node.name + ".", guarded)
        elif kind == "if":
            if is_type_checking(node):
                self._type_only += 1
                self._visit_body(node.body, scope, prefix, guarded)
                self._type_only -= 1
                self._visit_body(node.orelse, scope, prefix, guarded)
                return True
            if is_version_check(node.test) or is_availability_check(node.test):  # `import tomllib` on 3.11 only
                stack.append(node.test)
                self._visit_body(node.body, scope, prefix, True)
                self._visit_body(node.orelse, scope, prefix, True)
                return True
            if scope != "" or not is_main_guard(node):
                return False
            self.facts.main_guard = node.lineno
            self._visit_body(node.body, MAIN, prefix, guarded)
            self._visit_body(node.orelse, scope, prefix, guarded)
        elif kind == "for":
            iterator = node.iter
            if isinstance(node.target, ast.Name) and isinstance(iterator, ast.Call) and \
                    isinstance(iterator.func, ast.Name) and iterator.func.id == "range" and iterator.args:
                bound = literal(iterator.args[1] if len(iterator.args) > 1 else iterator.args[0])
                self.facts.loops.append(Loop(node.target.id, bound, node.lineno, node.col_offset + 1, scope))
            return False
        elif kind == "try":
            self._visit_body(node.body, scope, prefix, True)
            for part in (node.handlers, node.orelse, node.finalbody):
                self._visit_body(part, scope, prefix, guarded)
        elif kind == "import":
            for a in node.names:
                alias = a.asname or a.name.split(".")[0]
                self._bind(alias, a.name if a.asname else alias, node, None, a.name, scope, guarded)
        elif kind == "from":
            module = "." * node.level + (node.module or "")
            for a in node.names:
                self._bind(a.asname or a.name, member_of(module, a.name), node, a.name, module, scope, guarded)
        return True
