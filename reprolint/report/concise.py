"""`--format concise`: one line per finding, `path:line:col: CODE [severity] message`, as ruff's concise output.

A finding in a notebook cell reads `path:cell 3:2:9: ...`; one about the repository as a whole names `.`. Control
characters in names and messages are neutralised, so a line is always one line of a log.
"""
from __future__ import annotations

from reprolint.report import location, printable


def render(result) -> str:
    return "".join(printable(f"{location(f)}: {f.code} [{f.severity.label}] {f.message}", one_line=True) + "\n"
                   for f in result.findings)
