"""`--format html`: one self-contained file for a reviewer: the score, the areas, the checklist with its evidence,
and the findings by area and file with the code around each line, the rule's why and its fix.

Rendered with jinja2 from templates kept in the package, with autoescape on: the analyzed repository is untrusted,
and its file names, README and code reach the page only as text. No external CSS, JavaScript, fonts or images.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from itertools import groupby
from pathlib import Path
from typing import Optional

from reprolint import __version__
from reprolint.model import AREAS, Severity
from reprolint.report import SourceLines, examples, fix_text
from reprolint.rules.general import WHOLE_REPOSITORY

CONTEXT_LINES = 2


def render(result) -> str:
    from jinja2 import Environment, PackageLoader

    environment = Environment(loader=PackageLoader("reprolint.report", "templates"), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    environment.filters["code_spans"] = code_spans
    template = environment.get_template("audit.html.j2")
    return template.render(**_context(result))


def code_spans(text: str):
    """`x` as <code>x</code>, in text escaped first: the markup is ours, the content stays text."""
    from markupsafe import Markup, escape

    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(text))))


def _context(result) -> dict:
    excerpts = _Excerpts(result.root)
    findings = []
    for number, f in enumerate(result.findings, 1):
        rule = result.rules.get(f.code)
        findings.append({
            "anchor": f"finding-{number}",
            "url": result.provenance.permalink(f.path, f.line) if not f.cell else None,
            "code": f.code, "name": f.name, "area": f.area, "severity": f.severity.label,
            "path": f.path if f.path != WHOLE_REPOSITORY else "(the repository)",
            "where": f"cell {f.cell}, line {f.line}" if f.cell else f"line {f.line}",
            "message": f.message, "fix": " ".join((fix_text(f, result.rules) or "").split()),
            "why": " ".join(rule.why.split()) if rule else "",
            "examples": [{"title": title, "files": [{"path": path, "text": text} for path, text in files.items()]}
                         for title, files in examples(rule)] if rule else [],
            "fixable": f.fixable,
            "excerpt": excerpts.around(f.path, f.line, f.cell) if f.path != WHOLE_REPOSITORY else [],
        })
    order = {area: i for i, area in enumerate(AREAS)}
    findings.sort(key=lambda f: (order.get(f["area"], len(AREAS)), f["path"]))
    by_area = [{"area": area, "files": [{"path": path, "findings": list(items)}
                                        for path, items in groupby(group, key=lambda f: f["path"])]}
               for area, group in ((a, list(g)) for a, g in groupby(findings, key=lambda f: f["area"]))]
    severities = Counter(f.severity.label for f in result.findings)
    score = result.score
    origin = result.provenance
    return {
        "version": __version__,
        "provenance": {"commit": origin.commit, "short": (origin.commit or "")[:12], "branch": origin.branch,
                       "remote": origin.remote},
        "title": result.root.resolve().name or str(result.root),
        "files_analyzed": result.files_analyzed,
        "total": len(result.findings),
        "severities": [(s.label, severities.get(s.label, 0)) for s in sorted(Severity, reverse=True)],
        "plural": {"error": "errors", "warning": "warnings", "info": "info"},
        "overall": score.overall,
        "ceiling": score.ceiling,
        "gauge": _gauge(score.overall),
        "areas": score.areas,
        "fix_first": score.fix_first,
        "checklist": result.checklist,
        "by_area": by_area,
        "area_names": [a["area"] for a in by_area],
        "notes": result.notes,
        "errors": result.errors,
    }


def _gauge(value: Optional[int]) -> dict:
    """The SVG arc of the score gauge: a circle of radius 52 whose stroke covers value% of its length."""
    circumference = 2 * 3.14159265 * 52
    shown = value or 0
    colour = "good" if shown >= 80 else "fair" if shown >= 50 else "poor"
    return {"length": round(circumference, 2), "filled": round(circumference * shown / 100, 2), "colour": colour}


class _Excerpts:
    """The lines around a finding, from the repository's file or, for a notebook, its cell."""

    def __init__(self, root: Path):
        self.sources = SourceLines(root)

    def around(self, path: str, line: int, cell: Optional[int]) -> list:
        lines = self._cell(path, cell) if cell else self.sources.of(path)
        if not lines or not 0 < line <= len(lines):
            return []
        first, last = max(1, line - CONTEXT_LINES), min(len(lines), line + CONTEXT_LINES)
        return [{"number": n, "text": lines[n - 1], "flagged": n == line} for n in range(first, last + 1)]

    def _cell(self, path: str, cell: int) -> list:
        try:
            source = json.loads("\n".join(self.sources.of(path))).get("cells", [])[cell - 1].get("source", "")
        except (ValueError, AttributeError, IndexError, TypeError):
            return []
        return ("".join(source) if isinstance(source, list) else str(source)).split("\n")
