"""`--format concise`: one line per finding, `path:line:col: CODE [severity] message`, as ruff's concise output.

A finding in a notebook cell reads `path:cell 3:2:9: ...`; one about the repository as a whole names `.`. Control
characters in names and messages are neutralised, so a line is always one line of a log.
"""
from __future__ import annotations

from reprolint.report import printable


def render(result) -> str:
    lines = []
    for finding in result.findings:
        where = f"cell {finding.cell}:{finding.line}:{finding.col}" if finding.cell else f"{finding.line}:{finding.col}"
        lines.append(printable(f"{finding.path}:{where}: {finding.code} [{finding.severity.label}] "
                               f"{finding.message}", one_line=True))
    return "".join(line + "\n" for line in lines)
