"""The edits behind --fix, on Python source as text.

Whole statements are inserted as lines at places found with the standard library's ast (after the imports, at
the start of the entrypoint's main path), so nothing else of the file changes; an edit inside an expression (a
keyword added to a call that may span lines) is a libcst codemod, which keeps comments and formatting. Every edit
first checks whether its result is already there, so a second --fix changes nothing.
"""
from __future__ import annotations

import ast
from typing import Optional

from reprolint.facts.syntax import safe_for_libcst

SEED_CONSTANT = "SEED"


def module_alias(text: str, module: str) -> Optional[str]:
    """The name a module is bound to at the top of the file (`np` for `import numpy as np`), if it is."""
    for node in ast.parse(text).body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == module:
                    return alias.asname or module
    return None


def ensure_import(text: str, module: str) -> tuple[str, str]:
    """The text with `import module` (unless the module is imported already), and the name to use for it."""
    name = module_alias(text, module)
    if name is not None:
        return text, name
    lines = text.split("\n")
    at = _after_imports(ast.parse(text))
    lines.insert(at, f"import {module}")
    return "\n".join(lines), module


def ensure_from_import(text: str, module: str, name: str) -> str:
    """`from module import name` after the imports, unless the name is imported so already."""
    tree = ast.parse(text)
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == module and any(a.name == name for a in node.names):
            return text
    lines = text.split("\n")
    lines.insert(_after_imports(tree), f"from {module} import {name}")
    return "\n".join(lines)


def occurrence(text: str, line: int, pattern: str) -> int:
    """Which match of the pattern a line is (0 for the first): stable however many lines fixes add above."""
    import re

    return sum(1 for text_line in text.split("\n")[:line - 1] if re.search(pattern, text_line))


def nth_line(text: str, index: int, pattern: str) -> Optional[int]:
    """The line of the index-th match of the pattern, or None."""
    import re

    matches = [n for n, text_line in enumerate(text.split("\n"), 1) if re.search(pattern, text_line)]
    return matches[index] if index < len(matches) else None


def ensure_constant(text: str, name: str, value: str) -> str:
    """A module-level `NAME = value` after the imports, unless the name is assigned at module level already."""
    tree = ast.parse(text)
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return text
    lines = text.split("\n")
    at = _after_imports(tree)
    lines[at:at] = ["", f"{name} = {value}  # the seed of every run; change it here, or make it an option"]
    return "\n".join(lines)


def _after_imports(tree: ast.Module) -> int:
    """The 0-based line after the module's top-level imports (after its docstring and `__future__` at least)."""
    end = 0
    for index, node in enumerate(tree.body):
        docstring = index == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and \
            isinstance(node.value.value, str)
        if docstring or isinstance(node, (ast.Import, ast.ImportFrom)):
            end = node.end_lineno
        elif end or index > 0:
            break
    return end


def _after_definitions(tree: ast.Module, statements: list) -> int:
    """The 0-based line after the module's imports and after every top-level assignment of a name the statements
    use (`SEED = 0` must come before `random.seed(SEED)`)."""
    used = {n.id for s in statements for n in ast.walk(ast.parse(s)) if isinstance(n, ast.Name)}
    at = _after_imports(tree)
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, (ast.AnnAssign, ast.AugAssign)) else []
        if any(isinstance(t, ast.Name) and t.id in used for t in targets):
            at = max(at, node.end_lineno)
    return at


class MainPath:
    """Where an entrypoint's run starts: the function its main guard calls, else the guard, else (a flat script or
    a notebook) the module's top level after its imports."""

    def __init__(self, text: str):
        self.tree = ast.parse(text)
        self.body, self.function = self._find()

    def _find(self) -> tuple:
        guard = next((n for n in self.tree.body if isinstance(n, ast.If) and _is_main_guard(n.test)), None)
        if guard is None:
            return None, None
        functions = {n.name: n for n in self.tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        for statement in guard.body:
            for node in ast.walk(statement):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in functions:
                    function = functions[node.func.id]
                    return function.body, function
        return guard.body, None

    def parsed_arguments(self) -> Optional[ast.stmt]:
        """`args = parser.parse_args()` at the top of the main path: a seed read from it goes after it."""
        for statement in self.body or ():
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and \
                    isinstance(statement.targets[0], ast.Name) and isinstance(statement.value, ast.Call) and \
                    isinstance(statement.value.func, ast.Attribute) and \
                    statement.value.func.attr in ("parse_args", "parse_known_args"):
                return statement
        return None

    def parameter(self, names: tuple) -> Optional[str]:
        """A parameter of the main function among `names` (`cfg` of a Hydra app)."""
        if self.function is None:
            return None
        return next((a.arg for a in self.function.args.args if a.arg in names), None)


def _is_main_guard(test: ast.expr) -> bool:
    return isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == "__name__" and \
        len(test.comparators) == 1 and isinstance(test.comparators[0], ast.Constant) and \
        test.comparators[0].value == "__main__"


def insert_on_main_path(text: str, statements: list, after: Optional[ast.stmt] = None) -> str:
    """Statements at the start of the main path (after its docstring), or right after `after`; the ones already
    there are left out."""
    path = MainPath(text)
    lines = text.split("\n")
    if path.body is None:  # no main guard: after the module's imports and what the statements use
        at, indent = _after_definitions(path.tree, statements), ""
        existing = "\n".join(lines)
    else:
        first = path.body[0]
        if after is None and isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and \
                isinstance(first.value.value, str) and len(path.body) > 1:
            first = path.body[1]  # keep a docstring first
        anchor = after or first
        at = anchor.end_lineno if after is not None else anchor.lineno - 1
        first_line = lines[path.body[0].lineno - 1]
        indent = first_line[:len(first_line) - len(first_line.lstrip())]  # tabs stay tabs
        existing = "\n".join(lines[path.body[0].lineno - 1:path.body[-1].end_lineno])
    missing = [s for s in statements if s not in existing]
    lines[at:at] = [indent + s for s in missing]
    return "\n".join(lines)


def add_keywords(text: str, line: int, callee_suffix: str, keywords: dict) -> str:
    """`Call(..., key=value)` for each missing keyword, on the call at `line` whose callee ends with the suffix."""
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    class AddKeywords(cst.CSTTransformer):
        METADATA_DEPENDENCIES = (PositionProvider,)

        def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
            if self.get_metadata(PositionProvider, original).start.line != line:
                return updated
            callee = cst.Module([]).code_for_node(original.func)
            if not callee.endswith(callee_suffix):
                return updated
            present = {a.keyword.value for a in updated.args if a.keyword is not None}
            added = [cst.Arg(keyword=cst.Name(k), value=cst.parse_expression(v),
                             equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""),
                                                   whitespace_after=cst.SimpleWhitespace("")))
                     for k, v in keywords.items() if k not in present]
            if not added:
                return updated
            return updated.with_changes(args=_appended(list(updated.args), added))

    if not safe_for_libcst(text):
        return text  # no edit rather than a crash
    module = MetadataWrapper(cst.parse_module(text))
    return module.visit(AddKeywords()).code


def _appended(args: list, added: list) -> list:
    """Arguments added after the last, in the call's own layout: one per line, with its trailing comma and the
    closing parenthesis where they were, when the call is written over several lines."""
    import libcst as cst

    inline = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    separator = next((a.comma for a in args if isinstance(a.comma, cst.Comma) and
                      isinstance(a.comma.whitespace_after, cst.ParenthesizedWhitespace)), None)
    if not args:
        return [a.with_changes(comma=inline) for a in added[:-1]] + added[-1:]
    last = args[-1]
    if separator is None:  # on one line
        args[-1] = last.with_changes(comma=inline)
        return args + [a.with_changes(comma=inline) for a in added[:-1]] + added[-1:]
    trailing, closing = last.comma, last.whitespace_after_arg
    args[-1] = last.with_changes(comma=separator, whitespace_after_arg=cst.SimpleWhitespace(""))
    for index, arg in enumerate(added):
        final = index == len(added) - 1
        args.append(arg.with_changes(comma=trailing if final else separator,
                                     whitespace_after_arg=closing if final else cst.SimpleWhitespace("")))
    return args


def ensure_function(text: str, name: str, source: str) -> str:
    """A module-level function, after the imports and constants, unless one of that name exists."""
    tree = ast.parse(text)
    if any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == name for n in tree.body):
        return text
    lines = text.split("\n")
    at = _after_imports(tree)
    for node in tree.body:  # after module-level constants too (`SEED = 0`), which it may use
        if node.lineno > at and isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) and t.id.isupper()
                                                                    for t in node.targets):
            at = node.end_lineno
        elif node.lineno > at:
            break
    tail = [] if at < len(lines) and not lines[at].strip() else [""]
    lines[at:at] = ["", ""] + source.rstrip("\n").split("\n") + tail
    return "\n".join(lines)
