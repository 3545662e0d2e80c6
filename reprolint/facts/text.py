"""Facts of any text file: its `reprolint: ignore` comments."""
from __future__ import annotations

import re

from reprolint.discover import DOC, README
from reprolint.facts.types import FileFacts

_SUPPRESSION = {
    "hash": re.compile(r"#\s*reprolint:\s*(ignore-file|ignore)\b(?:\[([^\]]*)\])?"),
    "markup": re.compile(r"(?:<!--|\.\.)\s*reprolint:\s*(ignore-file|ignore)\b(?:\[([^\]]*)\])?"),
}


def suppressions(text: str, kind: str, facts: FileFacts) -> None:
    """`# reprolint: ignore[CODE,...]` on a line, `# reprolint: ignore-file[...]` anywhere (HTML or rST comments
    in a README); with no codes, every code."""
    if "reprolint:" not in text:
        return
    pattern = _SUPPRESSION["markup" if kind in (README, DOC) else "hash"]
    file_codes: list[str] = []
    for number, line in enumerate(text.split("\n"), 1):
        if "reprolint:" not in line:
            continue
        for form, codes in pattern.findall(line):
            parsed = tuple(c.strip().upper() for c in codes.split(",") if c.strip()) or ("ALL",)
            if form == "ignore-file":
                file_codes.extend(parsed)
            else:
                facts.suppressions[number] = facts.suppressions.get(number, ()) + parsed
    facts.file_ignores = tuple(file_codes)
