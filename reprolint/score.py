"""The score: each area from 0 to 100, the overall score as their weighted mean. Deterministic and explained.

Every area starts at 100. Each rule that fired takes its severity's points once; its further findings take a
fifth of that each, up to as much again, so fifty unpinned packages cost one habit, not fifty gaps. An area
with nothing to judge (no GPU code for Determinism), or whose rules were not selected, is not applicable: it is
left out of the mean, not counted as 100.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from reprolint.model import Severity

SCORED_AREAS = ("Randomness", "Determinism", "Dependencies", "Environment", "Hyperparameters", "Documentation")
POINTS = {Severity.ERROR: 25.0, Severity.WARNING: 10.0, Severity.INFO: 3.0}
REPEAT_SHARE = 0.2  # of the first finding's points, for each further finding of the same rule
REPEAT_CAP = 1.0  # repeats never cost more than the first finding again


@dataclass
class Deduction:
    code: str
    name: str
    severity: Severity
    count: int
    points: float


@dataclass
class AreaScore:
    area: str
    weight: float
    score: Optional[int]  # None when not applicable
    reason: Optional[str] = None  # why not applicable
    deductions: list = field(default_factory=list)


@dataclass
class Score:
    overall: Optional[int]
    areas: list


def rule_points(severity: Severity, count: int) -> float:
    base = POINTS[severity]
    return base + base * min(REPEAT_SHARE * (count - 1), REPEAT_CAP)


def score(result) -> Score:
    weights = result.config.weights
    areas = []
    for area in SCORED_AREAS:
        weight = float(weights.get(area, 1.0))
        reason = _not_applicable(result, area)
        if reason:
            areas.append(AreaScore(area, weight, None, reason))
            continue
        counts = Counter(f.code for f in result.findings if f.area == area)
        deductions = [Deduction(code, result.rules[code].name, result.rules[code].severity, n,
                                round(rule_points(result.rules[code].severity, n), 1))
                      for code, n in sorted(counts.items())]
        deductions.sort(key=lambda d: (-d.points, d.code))
        value = max(0, round(100 - sum(d.points for d in deductions)))
        areas.append(AreaScore(area, weight, value, None, deductions))
    scored = [a for a in areas if a.score is not None and a.weight > 0]
    total = sum(a.weight for a in scored)
    overall = round(sum(a.score * a.weight for a in scored) / total) if total else None
    return Score(overall, areas)


def _not_applicable(result, area: str) -> Optional[str]:
    if not any(rule.area == area for rule in result.rules.values()):
        return "no rule of this area ran"
    project = result.project
    if area in ("Randomness", "Environment", "Dependencies") and not project.python_files:
        return "no Python code"
    if area == "Randomness" and not project.entrypoints:
        return "no script, notebook or command that runs"
    if area == "Determinism":
        from reprolint.project.runs import runs

        if not any(run.first_gpu or run.first_tf_train for _, run in runs(project)):
            return "no GPU code and no TensorFlow training"
    if area == "Hyperparameters":
        from reprolint.project.runs import training_runs

        if not training_runs(project):
            return "no code that trains"
    return None
