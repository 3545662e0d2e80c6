"""`--format sarif`: SARIF 2.1.0, as GitHub code scanning reads it.

Every selected rule is in `tool.driver.rules` with its help; ruleIds are the stable codes; URIs are relative to the
analyzed root (`%SRCROOT%`). `partialFingerprints` hash the rule, the file and the text of the flagged line (not
its number), so an alert survives edits elsewhere in the file. Code scanning needs a file for every result: a
finding about the repository as a whole is placed on its README (or first manifest) and says so.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Optional
from urllib.parse import quote

from reprolint import __version__
from reprolint.model import Severity
from reprolint.report import SourceLines, examples, fenced, fix_text
from reprolint.rules.general import WHOLE_REPOSITORY

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(result) -> str:
    rules = sorted(result.rules.values(), key=lambda r: r.code)
    index = {rule.code: i for i, rule in enumerate(rules)}
    anchor = _repository_anchor(result)
    lines = SourceLines(result.root)
    seen: Counter = Counter()
    results = []
    for finding in result.findings:
        path = finding.path if finding.path != WHOLE_REPOSITORY else anchor
        message = finding.message if finding.path != WHOLE_REPOSITORY else f"(the repository) {finding.message}"
        if finding.cell:
            message = f"cell {finding.cell}, line {finding.line}: {message}"
        fix = fix_text(finding, result.rules)
        region_line = 1 if finding.cell or finding.path == WHOLE_REPOSITORY else finding.line
        key = (finding.code, path, _line_text(lines, path, region_line) if not finding.cell else f"cell {finding.cell}")
        seen[key] += 1
        entry = {
            "ruleId": finding.code,
            "ruleIndex": index[finding.code],
            "level": LEVELS[finding.severity],
            "message": {"text": f"{message}\nFix: {' '.join(fix.split())}" if fix else message},
            "partialFingerprints": {"reprolint/v1": _fingerprint(*key, seen[key])},
        }
        if path is not None:
            region = {"startLine": region_line}
            if not finding.cell and finding.path != WHOLE_REPOSITORY:
                region["startColumn"] = finding.col
            entry["locations"] = [{"physicalLocation": {
                "artifactLocation": {"uri": quote(path), "uriBaseId": "%SRCROOT%"}, "region": region}}]
        results.append(entry)
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "reprolint", "version": __version__, "semanticVersion": __version__,
                                "rules": [_descriptor(r) for r in rules]}},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": result.root.resolve().as_uri() + "/"}},
            "invocations": [{"executionSuccessful": not result.errors,
                             "toolExecutionNotifications": [{"level": "error", "message": {"text": e}}
                                                            for e in result.errors]}],
            "results": results,
        }],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _descriptor(rule) -> dict:
    why, fix = " ".join(rule.why.split()), " ".join(rule.fix.split())
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": why},
        "help": {"text": f"{why}\n\nHow to fix it: {fix}" + "".join(
                     f"\n\n{title}:" + "".join(f"\n\n{path}:\n{text.rstrip()}" for path, text in files.items())
                     for title, files in examples(rule)),
                 "markdown": f"**{rule.summary}**\n\n{why}\n\n**How to fix it:** {fix}" + "".join(
                     f"\n\n**{title}:**" + "".join(f"\n\n`{path}`\n\n{fenced(path, text)}"
                                                     for path, text in files.items())
                     for title, files in examples(rule))},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": ["reproducibility", rule.area.lower()], "area": rule.area},
    }


def _repository_anchor(result) -> Optional[str]:
    """The file that findings about the whole repository are shown on: the README, else a manifest, else any."""
    project = result.project
    if project.readme is not None:
        return project.readme.rel
    for name in ("pyproject.toml", "setup.py", "requirements.txt", "environment.yml"):
        if name in project.files:
            return name
    return min(project.files) if project.files else None


def _fingerprint(code: str, path: Optional[str], line_text: str, occurrence: int) -> str:
    digest = hashlib.sha256(f"{code}\0{path}\0{line_text}".encode()).hexdigest()[:32]
    return f"{digest}:{occurrence}"


def _line_text(lines: SourceLines, path, line: int) -> str:
    """The flagged line, whitespace-normalised: what a fingerprint keeps when lines move."""
    text = lines.of(path) if path else []
    return " ".join(text[line - 1].split()) if 0 < line <= len(text) else ""
