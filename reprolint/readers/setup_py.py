"""What a setup.py declares, read with libcst and never executed (a setup.py can do anything when run).

The `setup(...)` keywords are evaluated as far as literals go: strings, lists, tuples, dicts, `+` of lists, and
names bound to those at module level. Where the value is computed from a file (`open("requirements.txt")
.read().splitlines()`, a `parse_requirements("requirements.txt")` helper), the file is named for the caller to read.
"""
from __future__ import annotations

import re
from typing import Any, Optional

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from reprolint.facts.syntax import safe_for_libcst

_UNKNOWN = object()
_REQUIREMENTS_FILE = re.compile(r"^[\w./-]*requirements[\w.-]*\.(txt|in)$|^[\w./-]+\.(txt|in)$")
_KEYWORDS = ("install_requires", "extras_require", "python_requires", "setup_requires", "tests_require")


class _Located(str):
    """A string literal that remembers its line, so a dependency points at the line that declares it."""

    line = 0


class _Reader(cst.CSTVisitor):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self) -> None:
        self.bindings: dict[str, cst.BaseExpression] = {}  # last assignment of each simple name, any scope
        self.setup_calls: list[cst.Call] = []
        self.file_literals: list[tuple[str, int]] = []  # strings that name a requirements file, anywhere

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self.bindings[target.target.value] = node.value

    def visit_With(self, node: cst.With) -> None:
        # `with open("requirements.txt") as f: reqs = f.read().splitlines()`: the file is the value's source.
        for item in node.items:
            if item.asname is not None and isinstance(item.asname.name, cst.Name):
                self.bindings.setdefault(item.asname.name.value, item.item)

    def visit_Call(self, node: cst.Call) -> None:
        name = _callee(node.func)
        if name in ("setup", "setuptools.setup", "distutils.core.setup"):
            self.setup_calls.append(node)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        value = node.evaluated_value
        if isinstance(value, str) and _REQUIREMENTS_FILE.match(value):
            self.file_literals.append((value, self._line(node)))

    def _line(self, node: cst.CSTNode) -> int:
        return self.get_metadata(PositionProvider, node).start.line


def _callee(func: cst.BaseExpression) -> Optional[str]:
    if isinstance(func, cst.Name):
        return func.value
    if isinstance(func, cst.Attribute):
        base = _callee(func.value)
        return f"{base}.{func.attr.value}" if base else None
    return None


def read_setup_py(text: str) -> Optional[dict]:
    """The declarations of the first `setup()` call, or None when the file has none (or does not parse)."""
    if not safe_for_libcst(text):
        return None
    try:
        wrapper = MetadataWrapper(cst.parse_module(text))
    except (cst.ParserSyntaxError, RecursionError, ValueError):
        return None
    reader = _Reader()
    wrapper.visit(reader)
    if not reader.setup_calls:
        return None
    positions = wrapper.resolve(PositionProvider)
    call = reader.setup_calls[0]
    found: dict[str, Any] = {"line": positions[call].start.line, "requirement_files": []}
    for arg in call.args:
        if arg.keyword is None or arg.keyword.value not in _KEYWORDS:
            continue
        line = positions[arg].start.line
        value = _evaluate(arg.value, reader.bindings, set(), positions)
        found[arg.keyword.value] = _with_lines(value, line)
        if value is _UNKNOWN:
            found["requirement_files"] += _files_behind(arg.value, reader, positions)
    return found


def _with_lines(value: Any, line: int) -> Any:
    """Specs keep the line of their keyword: a list as [[spec, line], ...], a dict of those, a string as is."""
    if value is _UNKNOWN:
        return None
    if isinstance(value, list):
        return [[str(spec), getattr(spec, "line", 0) or line] for spec in value if isinstance(spec, str)]
    if isinstance(value, dict):
        return {str(k): _with_lines(v if isinstance(v, list) else [v], line) for k, v in value.items()}
    return [str(value), line] if isinstance(value, str) else None


def _evaluate(node: cst.BaseExpression, bindings: dict, seen: set, positions) -> Any:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        if not isinstance(value, str):
            return _UNKNOWN
        located = _Located(value)
        located.line = positions[node].start.line
        return located
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        items = [_evaluate(e.value, bindings, seen, positions) for e in node.elements]
        return _UNKNOWN if _UNKNOWN in items else [i for item in items
                                                    for i in (item if isinstance(item, list) else [item])]
    if isinstance(node, cst.Dict):
        result = {}
        for element in node.elements:
            if not isinstance(element, cst.DictElement):
                return _UNKNOWN
            key, value = _evaluate(element.key, bindings, seen, positions), _evaluate(element.value, bindings, seen, positions)
            if key is _UNKNOWN or value is _UNKNOWN:
                return _UNKNOWN
            result[str(key)] = value
        return result
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        left, right = _evaluate(node.left, bindings, seen, positions), _evaluate(node.right, bindings, seen, positions)
        if isinstance(left, list) and isinstance(right, list):
            return left + right
        return _UNKNOWN
    if isinstance(node, cst.Name) and node.value in bindings and node.value not in seen:
        return _evaluate(bindings[node.value], bindings, seen | {node.value}, positions)
    return _UNKNOWN


def _files_behind(node: cst.BaseExpression, reader: _Reader, positions) -> list:
    """The requirements files a computed value reads: literals in the expression, in what its names are bound
    to, and, failing those, any requirements file the setup.py names (a helper's default argument)."""
    found: list = []
    seen: set = set()
    pending = [node]
    while pending:
        current = pending.pop()
        for string in _strings_in(current):
            value = string.evaluated_value
            if isinstance(value, str) and _REQUIREMENTS_FILE.match(value):
                found.append([value, positions[string].start.line])
        for name in _names_in(current):
            if name in reader.bindings and name not in seen:
                seen.add(name)
                pending.append(reader.bindings[name])
    return found or [list(pair) for pair in reader.file_literals if "requirements" in pair[0]]


def _strings_in(node: cst.CSTNode) -> list:
    strings: list = []

    class _Strings(cst.CSTVisitor):
        def visit_SimpleString(self, string: cst.SimpleString) -> None:
            strings.append(string)

    node.visit(_Strings())
    return strings


def _names_in(node: cst.CSTNode) -> list:
    names: list = []

    class _Names(cst.CSTVisitor):
        def visit_Name(self, name: cst.Name) -> None:
            names.append(name.value)

    node.visit(_Names())
    return names
