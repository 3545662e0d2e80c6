"""A notebook as saved state: in which order its cells ran, and which names a cell uses that only a later cell
defines (the saved outputs then came from a kernel whose state the notebook, run top to bottom, does not rebuild)."""
from __future__ import annotations

import ast
import builtins
import re

# Names a Jupyter kernel defines without any cell doing so.
_KERNEL_NAMES = frozenset(dir(builtins)) | {"get_ipython", "display", "In", "Out", "exit", "quit", "_", "__", "___",
                                            "__file__", "__name__", "__builtins__"}
# Magics that define names no cell shows: after one of them, what a cell uses may come from it.
_DEFINING_MAGIC = re.compile(r"^\s*%(run|load|store|load_ext|env)\b|^\s*%%capture\b", re.M)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def execution_count(cell: dict):
    """The cell's saved execution count (nbformat 4 `execution_count`, nbformat 3 `prompt_number`), or None for a
    cell that did not run (Colab saves 0 for those)."""
    count = cell.get("execution_count", cell.get("prompt_number"))
    return count if isinstance(count, int) and not isinstance(count, bool) and count > 0 else None


def has_outputs(cell: dict) -> bool:
    outputs = cell.get("outputs")
    return isinstance(outputs, list) and len(outputs) > 0


def bound_and_used(tree: ast.Module) -> tuple[set, list]:
    """The names a cell binds anywhere at its own level (assignments, imports, definitions, loop and `with`
    targets, comprehension variables), and [name, line] of each name it reads at its own level, in order. The
    bodies of functions and classes run later, when called: what they read is not read by the cell."""
    bound: set = set()
    used: list = []
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
            stack.extend(node.decorator_list)  # decorators and defaults run now, the body later
            if not isinstance(node, ast.ClassDef):
                stack.extend(node.args.defaults + [d for d in node.args.kw_defaults if d is not None])
            continue
        if isinstance(node, ast.Lambda):
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
            continue
        if isinstance(node, ast.Name):
            (used.append([node.id, node.lineno]) if isinstance(node.ctx, ast.Load) else bound.add(node.id))
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.update(node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            bound.add(node.name)
        stack.extend(ast.iter_child_nodes(node))
    used.sort(key=lambda item: item[1])
    return bound, used


def names_defined_later(cells: list) -> list:
    """[name, line, cell, defining cell] for each name a cell reads that no cell above it (nor itself) binds and
    a cell below it does. `cells` holds (cell number, source, tree or None) in notebook order; a cell that does
    not parse, a star import or a magic that defines names ends the analysis, since what follows may come from
    it."""
    parsed = []
    for number, source, tree in cells:
        if tree is None or _DEFINING_MAGIC.search(source) or _star_import(tree):
            break
        parsed.append((number, *bound_and_used(tree)))
    later_binder: dict = {}
    for number, bound, _ in reversed(parsed):
        later_binder.update({name: number for name in bound})
    found, known = [], set(_KERNEL_NAMES)
    for number, bound, used in parsed:
        known |= bound
        for name, line in used:
            binder = later_binder.get(name)
            if name not in known and binder is not None and binder > number:
                found.append([name, line, number, binder])
                known.add(name)  # reported once, at its first use
    return found


def _star_import(tree: ast.Module) -> bool:
    return any(isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names) for node in ast.walk(tree))
