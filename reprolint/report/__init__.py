"""Reporters format a Result; they decide nothing."""
from __future__ import annotations

import datetime
import re
from collections import Counter
from pathlib import Path

from reprolint.model import AREAS, Severity

# C0 controls but tab and newline, DEL, and C1 controls: in a file name or a README line they could move the
# cursor, clear the screen or forge lines of a terminal or CI log.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_AND_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str, one_line: bool = False) -> str:
    """Repository text made safe for a terminal or a log: control characters shown as `\\x1b` escapes (line
    breaks too for `one_line`, as in a file name, which must not start a forged line)."""
    return (_CONTROL_AND_BREAKS if one_line else _CONTROL).sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def location(finding) -> str:
    """`path:line:col`, or `path:cell N:line:col` in a notebook (the form ruff uses)."""
    cell = f"cell {finding.cell}:" if finding.cell else ""
    return f"{finding.path}:{cell}{finding.line}:{finding.col}"


def area_summary(findings: list) -> dict:
    """Per area: the number of findings and how many of each severity, in report order."""
    summary = {}
    for area in AREAS:
        in_area = [f for f in findings if f.area == area]
        if in_area:
            counts = Counter(f.severity.label for f in in_area)
            summary[area] = {"findings": len(in_area), **{s.label: counts.get(s.label, 0) for s in Severity}}
    return summary


def fix_text(finding, rules: dict):
    """This occurrence's own fix, else the rule's general advice."""
    rule = rules.get(finding.code)
    return finding.fix or (rule.fix if rule else None)


def examples(rule) -> list:
    """The rule's example pair as [(title, {path: text})]: a repository that fires it, then the same one fixed."""
    return [(title, files) for title, files in (("Example", rule.example), ("Use instead", rule.use_instead))
            if files]


_LANGUAGES = {".py": "python", ".ipynb": "json", ".md": "markdown", ".toml": "toml", ".yml": "yaml",
              ".yaml": "yaml", ".cfg": "ini", ".sh": "bash", ".json": "json"}


def language(path: str) -> str:
    """The fenced-block info tag for a file of an example, by its name; `text` for the rest."""
    return next((tag for suffix, tag in _LANGUAGES.items() if path.endswith(suffix)), "text")


def fenced(path: str, text: str) -> str:
    """A Markdown fenced block of the file, its fence longer than any run of backticks in it (a README)."""
    import re

    fence = "`" * max([3] + [len(run) + 1 for run in re.findall(r"`{3,}", text)])
    return f"{fence}{language(path)}\n{text.rstrip()}\n{fence}"


def checklist_document(checklist) -> "dict | None":
    """The checklist as plain data: the 0 to 5 score, and per item whether the repository provides it (`ticked`,
    the checklist's question) and whether the README shows it (`documented`), what the README shows
    (`evidence`), what the repository provides (`artefacts`), or the gap that keeps the README from showing it."""
    if checklist is None:
        return None
    evidence = lambda e: {"path": e.path, "line": e.line, "text": e.text}  # noqa: E731
    return {
        "score": checklist.score,
        "out_of": 5,
        "items": [{"key": i.key, "title": i.title, "core": i.core, "ticked": i.ticked, "documented": i.documented,
                   "evidence": [evidence(e) for e in i.evidence],
                   "artefacts": [evidence(e) for e in i.artefacts],
                   "gap": evidence(i.gap) if i.gap else None}
                  for i in checklist.items],
    }


def provenance_document(result) -> dict:
    """What was audited and how: the commit, branch and remote, the time, and the configuration in effect."""
    config = result.config
    return {
        "commit": result.provenance.commit, "branch": result.provenance.branch, "remote": result.provenance.remote,
        "analyzed_at": datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat(),
        "configuration": {"select": list(config.select), "ignore": list(config.ignore), "severity": config.severity,
                          "fail_under": config.fail_under, "weights": dict(config.weights),
                          "rules_run": sorted(result.rules)},
    }


def score_document(score) -> dict:
    """The score as plain data: overall, and per area its weight, score (null when not applicable) and the
    points each rule took."""
    from reprolint.score import (
        BLOCKED_CEILING, CORE_ITEM_POINTS, DRIFT_CAP, DRIFT_POINTS, EXTRA_ITEM_POINTS, POINTS, PROVIDED_SHARE, REPEAT_CAP, REPEAT_SHARE,
    )

    return {
        "overall": score.overall,
        "ceiling": score.ceiling,
        "areas": [{"area": a.area, "weight": a.weight, "score": a.score, "applicable": a.score is not None,
                   "reason": a.reason, "measured": a.measured,
                   "deductions": [{"code": d.code, "name": d.name, "severity": d.severity.label, "count": d.count,
                                   "points": d.points} for d in a.deductions]}
                  for a in score.areas],
        "fix_first": [{"code": d.code, "name": d.name, "area": area, "gain": gain} for gain, area, d in score.fix_first],
        "model": {"points": {s.label: p for s, p in POINTS.items()}, "repeat_share": REPEAT_SHARE,
                  "repeat_cap": REPEAT_CAP,
                  "documentation": {"core_item": CORE_ITEM_POINTS, "extra_item": EXTRA_ITEM_POINTS,
                                    "provided_share": PROVIDED_SHARE, "drift": DRIFT_POINTS, "drift_cap": DRIFT_CAP},
                  "blocked_ceiling": BLOCKED_CEILING},
    }


class SourceLines:
    """The lines of the analyzed repository's files, each read once (read-only: the reports never write there)."""

    def __init__(self, root: Path):
        self.root = root
        self.files: dict = {}

    def of(self, path: str) -> list:
        if path not in self.files:
            try:
                self.files[path] = (self.root / path).read_text(encoding="utf-8", errors="replace").split("\n")
            except OSError:
                self.files[path] = []
        return self.files[path]
