"""Edits of a notebook's JSON for `--fix`: a code cell added, everything else (metadata, outputs, execution counts,
key order, indentation) kept as it was written."""
from __future__ import annotations

import json


def _indent(text: str) -> int:
    """The indentation the notebook was written with (nbformat writes 1)."""
    for line in text.split("\n")[1:3]:
        stripped = line.lstrip(" ")
        if stripped and len(stripped) < len(line):
            return len(line) - len(stripped)
    return 1


def _source_lines(source: str) -> list:
    """A cell's source as nbformat stores it: a list of lines, each but the last ending in a newline."""
    lines = source.split("\n")
    return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


def _cell_text(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def add_code_cell_first(text: str, source: str) -> str:
    """The notebook with a code cell of `source` before its first code cell, unless a code cell already holds
    every line of it (so the edit is idempotent)."""
    notebook = json.loads(text)
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        return text  # nbformat 3 (worksheets) or not a notebook: left alone
    wanted = [line for line in source.split("\n") if line.strip()]
    code = [c for c in cells if isinstance(c, dict) and c.get("cell_type") == "code"]
    if any(all(line in _cell_text(c).split("\n") for line in wanted) for c in code):
        return text
    cell = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
            "source": _source_lines(source.rstrip("\n"))}
    if notebook.get("nbformat", 4) >= 4 and notebook.get("nbformat_minor", 0) >= 5 and code and "id" in code[0]:
        cell = {"id": "reprolint-seed", **cell}  # nbformat 4.5 cells carry an id
    position = cells.index(code[0]) if code else len(cells)
    cells.insert(position, cell)
    return json.dumps(notebook, indent=_indent(text), ensure_ascii=False) + ("\n" if text.endswith("\n") else "")
