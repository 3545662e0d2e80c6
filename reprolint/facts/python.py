"""Facts of a Python source file."""
from __future__ import annotations

import ast
from typing import Optional

from reprolint.facts.collector import Collector
from reprolint.facts.literals import machine_paths
from reprolint.facts.types import FileFacts, FileSkipped, ParseError

# A line this long is generated data, not code a person wrote, and parsing it costs memory out of all proportion
# (a 2 MB list literal on one line takes 300 MB): such files are skipped with a note.
LONG_LINE_LIMIT = 20_000


def python_facts(content: bytes, facts: FileFacts) -> Optional[str]:
    longest = max(map(len, content.split(b"\n")))
    if longest > LONG_LINE_LIMIT:
        raise FileSkipped(f"skipped: a line of {longest:,} characters (generated data?) is not analyzed")
    try:
        tree = ast.parse(content)
    except SyntaxError as exc:
        facts.errors.append(ParseError(exc.lineno or 1, exc.offset or 1, f"syntax error: {exc.msg}"))
        tree = None
    except (ValueError, RecursionError, MemoryError) as exc:
        facts.errors.append(ParseError(1, 1, f"cannot be parsed: {type(exc).__name__}: {exc}"))
        tree = None
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("latin-1")  # a coding cookie: good enough to find suppression comments
    if tree is not None:
        facts.python = Collector().run(tree.body)
        facts.machine_paths = machine_paths(tree.body, text)
    return text
