"""`reprolint diff OLD.json NEW.json`: which gaps a change closed, which it opened, and how the score moved: what a
committee reads when authors answer a review.

Findings are matched in three passes, because fixes move lines: the same code, file and line; then the same code,
file and message once the numbers in it are set aside (a line that moved, `also lines 12, 40` renumbered); then the
same code and file, one for one. What is left over in the old report was closed, in the new one opened.
"""
from __future__ import annotations

import json
import re
from typing import NamedTuple

from reprolint.report import printable

_NUMBERS = re.compile(r"\d+")


class ReportError(ValueError):
    """A file that is not a reprolint JSON report."""


class Comparison(NamedTuple):
    closed: list  # findings of the old report that the new one no longer has
    opened: list  # findings of the new report that the old one did not have
    kept: int
    old_score: object  # overall score, or None
    new_score: object
    areas: list  # (area, old score, new score) where either is applicable


def load(path, text: str) -> dict:
    try:
        report = json.loads(text)
    except ValueError as exc:
        raise ReportError(f"{path}: not JSON ({exc})") from None
    if not isinstance(report, dict) or not isinstance(report.get("findings"), list) or "schema_version" not in report \
            or not all(isinstance(f, dict) for f in report["findings"]):
        raise ReportError(f"{path}: not a reprolint JSON report (write one with --format json)")
    if not isinstance(report.get("score"), (dict, type(None))):
        raise ReportError(f"{path}: its score is not a reprolint score")
    return report


def compare(old: dict, new: dict) -> Comparison:
    left, right = list(old["findings"]), list(new["findings"])
    kept = 0
    for key in (_exact, _moved, _same_rule_and_file):
        index: dict = {}
        for position, finding in enumerate(right):
            index.setdefault(key(finding), []).append(position)
        matched_right, unmatched_left = set(), []
        for finding in left:
            candidates = index.get(key(finding))
            if candidates:
                matched_right.add(candidates.pop(0))
                kept += 1
            else:
                unmatched_left.append(finding)
        left, right = unmatched_left, [f for i, f in enumerate(right) if i not in matched_right]
    return Comparison(left, right, kept, _overall(old), _overall(new), _areas(old, new))


def _exact(finding: dict) -> tuple:
    return finding.get("code"), finding.get("path"), finding.get("cell"), finding.get("line")


def _moved(finding: dict) -> tuple:
    return finding.get("code"), finding.get("path"), _NUMBERS.sub("#", str(finding.get("message", "")))


def _same_rule_and_file(finding: dict) -> tuple:
    return finding.get("code"), finding.get("path")


def _overall(report: dict):
    score = report.get("score")
    overall = score.get("overall") if isinstance(score, dict) else None
    return overall if isinstance(overall, int) and not isinstance(overall, bool) else None


def _areas(old: dict, new: dict) -> list:
    def scores(report):
        areas = (report.get("score") or {}).get("areas") or []
        return {str(a.get("area")): a.get("score") for a in areas if isinstance(a, dict)} \
            if isinstance(areas, list) else {}
    before, after = scores(old), scores(new)
    names = list(dict.fromkeys([*after, *before]))
    return [(name, before.get(name), after.get(name)) for name in names
            if before.get(name) is not None or after.get(name) is not None]


def render_text(comparison: Comparison) -> str:
    lines = [f"Score: {_shown(comparison.old_score)} -> {_shown(comparison.new_score)}{_change(comparison)}"]
    for area, before, after in comparison.areas:
        if before != after:
            lines.append(printable(f"  {area:16} {_shown(before)} -> {_shown(after)}", one_line=True))
    for title, findings in (("Closed", comparison.closed), ("New", comparison.opened)):
        lines.append(f"\n{title} ({len(findings)}):")
        lines += [printable(f"  {_place(f)}: {f.get('code')} {f.get('message')}", one_line=True)
                  for f in findings] or ["  none"]
    lines.append(f"\n{comparison.kept} finding{'s' if comparison.kept != 1 else ''} in both.")
    return "\n".join(lines) + "\n"


def render_json(comparison: Comparison) -> str:
    return json.dumps({"score": {"old": comparison.old_score, "new": comparison.new_score,
                                 "areas": [{"area": a, "old": o, "new": n} for a, o, n in comparison.areas]},
                       "closed": comparison.closed, "new": comparison.opened, "kept": comparison.kept},
                      indent=2, ensure_ascii=False) + "\n"


def _place(finding: dict) -> str:
    cell = f"cell {finding['cell']}:" if finding.get("cell") else ""
    return f"{finding.get('path')}:{cell}{finding.get('line')}"


def _shown(score) -> str:
    return "n/a" if score is None else str(score)


def _change(comparison: Comparison) -> str:
    if comparison.old_score is None or comparison.new_score is None:
        return ""
    delta = comparison.new_score - comparison.old_score
    return f" ({delta:+d})" if delta else " (unchanged)"
