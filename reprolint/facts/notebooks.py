"""Facts of a Jupyter notebook: its code cells joined into one Python source, with a map back to cells."""
from __future__ import annotations

import ast
import json
import re

from reprolint.discover import NOTEBOOK
from reprolint.facts.cell_state import execution_count, has_outputs, names_defined_later
from reprolint.facts.collector import Collector
from reprolint.facts.literals import machine_paths
from reprolint.facts.text import suppressions
from reprolint.facts.types import FileFacts, ParseError

_MAGIC = re.compile(r"^(\s*)([%!]|\?|\w[\w.]*\?+\s*$)")
_SHELL_ASSIGN = re.compile(r"^(\s*[\w.,\s]+=\s*)[!%]")
_SHELL_LINE = re.compile(r"^\s*(!|%(pip|conda)\b)")


def _cell_source(cell: dict) -> str:
    """A code cell's text: nbformat 4 `source`, nbformat 3 `input`, each a string or a list of lines."""
    source = cell.get("source", cell.get("input", ""))
    return "".join(map(str, source)) if isinstance(source, list) else str(source or "")


def _code_lines(text: str) -> list[str]:
    """A cell's lines, with IPython magics and shell lines made into Python that parses (same line count)."""
    lines = text.split("\n")
    if lines and lines[0].startswith("%%"):  # a cell magic: the whole cell is another language
        return ["" for _ in lines]
    out = []
    continued = False  # inside a shell line or magic that a trailing backslash continues
    for line in lines:
        if continued:
            continued = line.rstrip().endswith("\\")
            out.append("")
            continue
        assign = _SHELL_ASSIGN.match(line)
        if assign:
            out.append(assign.group(1) + "None")
            continue
        magic = _MAGIC.match(line)
        out.append(magic.group(1) + "pass" if magic else line)
        continued = bool(magic) and line.rstrip().endswith("\\")
    return out


_FORM_FIELD = re.compile(r"#\s*@param\b")  # `epochs = 2  #@param {type:"integer"}`: a Colab form field
_COLAB = re.compile(r"colab\.research\.google\.com|\bgoogle\.colab\b")


def _made_for_colab(notebook: dict, cells: list) -> bool:
    """A notebook saved by Colab (its `colab` metadata), opened there by a badge, or importing google.colab: it
    runs on Colab's runtime, which comes with the common scientific packages installed."""
    metadata = notebook.get("metadata")
    if isinstance(metadata, dict) and "colab" in metadata:
        return True
    return any(isinstance(cell, dict) and _COLAB.search(_cell_source(cell)) for cell in cells)


def extract_notebook(content: bytes, facts: FileFacts) -> None:
    try:
        notebook = json.loads(content)
    except ValueError as exc:  # JSONDecodeError, or bytes that are not text
        where = (getattr(exc, "lineno", 1), getattr(exc, "colno", 1))
        facts.errors.append(ParseError(*where, f"not a notebook: invalid JSON ({getattr(exc, 'msg', exc)})"))
        return
    try:
        cells = notebook["cells"] if "cells" in notebook else notebook["worksheets"][0]["cells"]
        language = (notebook.get("metadata", {}).get("kernelspec", {}) or {}).get("language", "python")
        if not isinstance(cells, list):
            raise TypeError
    except (KeyError, IndexError, TypeError, AttributeError):
        facts.errors.append(ParseError(1, 1, "not a notebook: the JSON has no list of cells"))
        return
    if str(language).lower() != "python":
        return
    body: list = []
    cell_map: list = []
    sources: list = []
    shell: list = []  # [line, command] of `!pip install ...` and `%pip ...` lines: what the notebook installs and runs
    fields: list = []  # lines that assign a Colab form field: the notebook's options
    state: list = []  # [cell number, execution count, has outputs, first line] of each code cell with code
    parsed: list = []  # (cell number, source, tree or None): for the names a cell uses before a later one binds them
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        sources.append(_cell_source(cell))
        if sources[-1].strip():
            state.append([number, execution_count(cell), has_outputs(cell), len(cell_map) + 1])
        lines = _code_lines(sources[-1])
        offset = len(cell_map)
        shell += [[offset + i, line.strip()[1:]] for i, line in enumerate(sources[-1].split("\n"), 1)
                  if _SHELL_LINE.match(line)]
        fields += [offset + i for i, line in enumerate(sources[-1].split("\n"), 1) if _FORM_FIELD.search(line)]
        cell_map.extend((number, i) for i in range(1, len(lines) + 1))
        try:
            tree = ast.parse("\n".join(lines))
        except (SyntaxError, ValueError, RecursionError) as exc:
            line = getattr(exc, "lineno", None) or 1
            msg = getattr(exc, "msg", None) or str(exc)
            facts.errors.append(ParseError(offset + line, getattr(exc, "offset", None) or 1, f"syntax error: {msg}"))
            parsed.append((number, sources[-1], None))
            continue
        ast.increment_lineno(tree, offset)
        body.extend(tree.body)
        parsed.append((number, sources[-1], tree))
    facts.python = Collector().run(body)
    facts.machine_paths = machine_paths(body, "\n".join(sources))
    facts.cells = cell_map
    facts.data = {"shell": shell, "colab": _made_for_colab(notebook, cells), "form_fields": fields,
                  "state": state, "defined_later": names_defined_later(parsed)}
    suppressions("\n".join(sources), NOTEBOOK, facts)  # the cells as written: a comment may follow a magic
