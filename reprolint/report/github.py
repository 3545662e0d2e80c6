"""`--format github`: GitHub Actions workflow commands, one annotation per finding.

`::error file=F,line=L,col=C,title=T::message`. Values are escaped as the runner expects: `%`, CR and LF in the
message; those and `:` and `,` in properties. A finding about a whole file sits on its line 1; one about the
repository as a whole has no file.
"""
from __future__ import annotations

from reprolint.model import Severity
from reprolint.report import fix_text, printable
from reprolint.rules.general import WHOLE_REPOSITORY

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(result) -> str:
    lines = []
    for finding in result.findings:
        properties = {}
        if finding.path != WHOLE_REPOSITORY:
            properties["file"] = finding.path
            properties["line"] = str(1 if finding.cell else finding.line)
            if not finding.cell:
                properties["col"] = str(finding.col)
        properties["title"] = f"{finding.code} {finding.name}"
        where = f"cell {finding.cell}, line {finding.line}: " if finding.cell else ""
        fix = fix_text(finding, result.rules)
        message = f"{where}{finding.message}" + (f"\nFix: {' '.join(fix.split())}" if fix else "")
        rendered = ",".join(f"{k}={escape_property(v)}" for k, v in properties.items())
        lines.append(f"::{COMMANDS[finding.severity]} {rendered}::{escape_data(message)}")
    return "".join(line + "\n" for line in lines)
