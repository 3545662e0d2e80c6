"""`--fix`: apply the edits that rules attach to their findings, the way ruff does.

Safe fixes by default, unsafe ones only with `--unsafe-fixes`. Each file is read as bytes, its encoding and line
endings kept; its fixes are applied one after the other, and a fix after which the file no longer parses is
dropped with a message. Writes are atomic (a temporary file in the same folder, then a rename), so an interrupted
run never leaves half a file. Edits only ever touch the analyzed repository under an explicit --fix.
"""
from __future__ import annotations

import ast
import codecs
import difflib
import os
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, NamedTuple, Optional

from reprolint.report import printable

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class Autofix(NamedTuple):
    path: str  # the file to edit, relative to the analyzed root
    key: str  # edits with the same key are the same edit, attached to several findings
    safe: bool
    description: str
    apply: Callable[[str], str]  # the file's text (LF line endings) -> the fixed text
    line: int = 0  # the line of the analyzed file that it rewrites in place; 0: it finds its own place


@dataclass
class FixOutcome:
    changed: dict = field(default_factory=dict)  # path -> (before, after), with the file's own line endings
    applied: list = field(default_factory=list)  # descriptions of the fixes applied
    dropped: list = field(default_factory=list)  # messages: fixes that were not applied, and why

    def diff(self) -> str:
        out = []
        for path, (before, after) in sorted(self.changed.items()):
            shown = printable(path, one_line=True)  # a newline in a file name must not forge a header
            out += difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                        f"a/{shown}", f"b/{shown}")
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in out)


def plan(findings: list, unsafe: bool) -> dict:
    """path -> the distinct autofixes to apply to it: first those that rewrite a line of the file as analyzed (one
    line for one line, so they never move each other), then, in the order their findings come, those that find
    their place in the text as it is (and may insert lines)."""
    by_path: dict = {}
    for finding in findings:
        for fix in finding.autofixes:
            if fix.safe or unsafe:
                chosen = by_path.setdefault(fix.path, {})
                chosen.setdefault(fix.key, fix)
    return {path: sorted(fixes.values(), key=lambda fix: not fix.line) for path, fixes in by_path.items()}


def apply(root: Path, findings: list, unsafe: bool = False, write: bool = True) -> FixOutcome:
    outcome = FixOutcome()
    for path, fixes in plan(findings, unsafe).items():
        target = root / path
        refusal = _unsafe_target(root, path)
        if refusal:
            outcome.dropped.append(f"{path}: {refusal}: not fixed")
            continue
        try:
            raw = target.read_bytes()
        except OSError as exc:
            outcome.dropped.append(f"{path}: cannot read it ({exc.strerror or exc}): not fixed")
            continue
        encoding, newline = _encoding(path, raw), _newline(raw)
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            outcome.dropped.append(f"{path}: not valid {encoding}: not fixed")
            continue
        original = text.replace("\r\n", "\n")
        current = original
        for fix in fixes:
            try:
                fixed = fix.apply(current)
            except Exception as exc:  # a codemod that cannot apply here must not stop the others
                outcome.dropped.append(f"{path}: {fix.description}: not applied ({type(exc).__name__}: {exc})")
                continue
            if fixed == current:
                continue
            problem = _parse_problem(path, fixed)
            if problem:
                outcome.dropped.append(f"{path}: {fix.description}: dropped, the result would not parse ({problem})")
                continue
            current = fixed
            outcome.applied.append(f"{path}: {fix.description}")
        if current != original:
            before, after = original.replace("\n", newline), current.replace("\n", newline)
            outcome.changed[path] = (before, after)
            if write:
                _write_atomically(target, after.encode(encoding))
    return outcome


def _unsafe_target(root: Path, path: str) -> Optional[str]:
    """Why a file must not be written, if it must not: a fix writes only regular files inside the tree, never
    through a symbolic link (the link, or a folder on the way to it), which could lead anywhere."""
    parts = path.split("/")
    if path.startswith("/") or ".." in parts:
        return "outside the analyzed folder"
    for depth in range(1, len(parts) + 1):
        if (root.joinpath(*parts[:depth])).is_symlink():
            return "a symbolic link" if depth == len(parts) else f"under the symbolic link {'/'.join(parts[:depth])}"
    return None


def _encoding(path: str, raw: bytes) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if path.endswith(".py"):  # PEP 263: a coding cookie on one of the first two lines
        for line in raw.split(b"\n")[:2]:
            match = re.match(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", line)
            if match:
                try:
                    return codecs.lookup(match.group(1).decode("ascii")).name
                except LookupError:
                    break
    return "utf-8"


def _newline(raw: bytes) -> str:
    return "\r\n" if raw.count(b"\r\n") * 2 > raw.count(b"\n") else "\n"


def _parse_problem(path: str, text: str) -> Optional[str]:
    try:
        if path.endswith(".py"):
            ast.parse(text)
        elif path.endswith(".toml") or path.rsplit("/", 1)[-1] == "Pipfile":
            tomllib.loads(text)
        elif path.endswith(".ipynb"):
            _check_notebook(text)
        elif path.endswith((".yml", ".yaml")):
            import yaml

            yaml.safe_load(text)
    except Exception as exc:
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return None


def _check_notebook(text: str) -> None:
    """A notebook that is still JSON with a list of cells."""
    import json

    if not isinstance(json.loads(text).get("cells"), list):
        raise ValueError("the notebook has no list of cells")


def _write_atomically(target: Path, data: bytes) -> None:
    mode = target.stat().st_mode
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".reprolint", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, mode & 0o7777)
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
