"""The score: each area from 0 to 100, the overall score as their weighted mean. Deterministic and explained.

Documentation is coverage: the share of the ML Code Completeness Checklist the repository meets. Each of the five
core items is worth 16 points, all of them when the README shows it, 70 % when only the repository provides it
(a training script the README never runs); each of the five extras (paper, license, citation, hardware, data) is
worth 4; each README command that names a missing file or an unknown flag costs 2, at most 10. No README: 0.

Dependencies is coverage too: half for the share of imported third-party packages that a manifest declares, half
for the share of declarations that are pinned (a lock, a pin in another manifest, or a library's range counts).
No manifest with third-party imports: 0. A requirement that cannot install (RPL306) costs 25; each declared
package nothing uses (RPL304) costs 2, at most 10.

Randomness: 80 points for the share of runs (entrypoints whose draws matter) that seed every generator they draw,
and 5 for each other randomness rule that fired (seeds from entropy, unseeded loader workers, scikit-learn without
random_state, a seed left optional), at most 20.

Hubs: the share of the models and datasets that runs which train or evaluate load from a hub by name with a
pinned revision.

A repository that cannot be installed as it stands (third-party imports with no manifest and no install commands
to follow, RPL301, or a requirement that cannot install, RPL306) scores at most 60 overall, whatever its other
areas, and the report says why.

The other areas start at 100. Each rule that fired takes its severity's points once; its further findings take a
fifth of that each, up to as much again, so fifty unpinned packages cost one habit, not fifty gaps. An area
with nothing to judge (no GPU code for Determinism), or whose rules were not selected, is not applicable: it is
left out of the mean, not counted as 100.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from reprolint.discover import NOTEBOOK, PYTHON, SCRIPT
from reprolint.model import Severity

BLOCKING_RULES = {"RPL301": "no manifest or install command declares the imported packages",
                  "RPL306": "a requirement cannot be installed as written"}
BLOCKED_CEILING = 60  # the overall score of a repository whose environment cannot be built from its files

SCORED_AREAS = ("Randomness", "Determinism", "Dependencies", "Environment", "Hyperparameters", "Documentation", "Paths",
                "Hubs", "Notebooks")
# The areas of #20 count a quarter in the overall score: on the development corpus, weighing them fully lowered the
# agreement of the ranking with the labellers' grades (Spearman 0.59 -> 0.45, n = 19) and with Papers with Code's
# ticks (0.425 -> 0.417, n = 138); a quarter costs 0.04 and 0.001. `[tool.reprolint.weights]` overrides.
DEFAULT_WEIGHTS = {"Paths": 0.25, "Hubs": 0.25, "Notebooks": 0.25}
POINTS = {Severity.ERROR: 25.0, Severity.WARNING: 10.0, Severity.INFO: 3.0}
REPEAT_SHARE = 0.2  # of the first finding's points, for each further finding of the same rule
REPEAT_CAP = 1.0  # repeats never cost more than the first finding again
CORE_ITEM_POINTS = 16.0  # five items: 80 points
EXTRA_ITEM_POINTS = 4.0  # five extras: 20 points
PROVIDED_SHARE = 0.7  # of a core item's points, when the repository has it and the README does not show it
DRIFT_POINTS, DRIFT_CAP = 2.0, 10.0  # per README command that would fail (RPL612, RPL613)
ITEM_RULES = {"dependencies": "RPL602", "training": "RPL603", "evaluation": "RPL604", "pretrained": "RPL605",
              "results": "RPL606", "paper": "RPL607", "license": "RPL608", "citation": "RPL609",
              "hardware": "RPL610", "data": "RPL611"}
DRIFT_RULES = ("RPL612", "RPL613")
BROKEN_REQUIREMENT_POINTS = 25.0  # RPL306, each: the install fails
UNUSED_POINTS, UNUSED_CAP = 2.0, 10.0  # RPL304
SEEDED_RUNS_POINTS = 80.0  # Randomness: the share of runs that seed what they draw
OTHER_RANDOMNESS_POINTS, OTHER_RANDOMNESS_CAP = 5.0, 20.0  # each other randomness rule that fired


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
    measured: Optional[str] = None  # what the score is a share of ("3 of 5 checklist items shown in the README")


@dataclass
class Score:
    overall: Optional[int]
    areas: list
    fix_first: list = field(default_factory=list)  # (points the overall score gains, area, Deduction), best first
    ceiling: Optional[str] = None  # why the overall score is capped at BLOCKED_CEILING


def rule_points(severity: Severity, count: int) -> float:
    base = POINTS[severity]
    return base + base * min(REPEAT_SHARE * (count - 1), REPEAT_CAP)


def score(result) -> Score:
    weights = result.config.weights
    areas = []
    for area in SCORED_AREAS:
        weight = float(weights.get(area, DEFAULT_WEIGHTS.get(area, 1.0)))
        reason = _not_applicable(result, area)
        if reason:
            areas.append(AreaScore(area, weight, None, reason))
            continue
        if area == "Documentation" and "RPL601" in result.rules:
            areas.append(_documentation(result, weight))
            continue
        if area == "Randomness" and "RPL101" in result.rules:
            areas.append(_randomness(result, weight))
            continue
        if area == "Hubs" and "RPL801" in result.rules:
            areas.append(_hubs(result, weight))
            continue
        if area == "Dependencies" and {"RPL301", "RPL302", "RPL305"} <= result.rules.keys():
            areas.append(_dependencies(result, weight))
            continue
        counts = Counter(f.code for f in result.findings if f.area == area)
        areas.append(_scored(area, weight, [_rule_deduction(result, code, n,
                                                            rule_points(result.rules[code].severity, n))
                                            for code, n in counts.items()]))
    scored = [a for a in areas if a.score is not None and a.weight > 0]
    total = sum(a.weight for a in scored)
    overall = round(sum(a.score * a.weight for a in scored) / total) if total else None
    blocked = _blocking_gaps(result)
    ceiling = None
    if blocked and overall is not None:
        ceiling = f"at most {BLOCKED_CEILING}: " + "; ".join(blocked)
        overall = min(overall, BLOCKED_CEILING)
    return Score(overall, areas, _fix_first(scored, total), ceiling)


FIX_FIRST = 5  # gaps the report lists first


def _blocking_gaps(result) -> list:
    """What keeps the environment from being built from the repository's files: a requirement that cannot install,
    or imports with no manifest and no install commands to follow."""
    from reprolint.rules.dependencies import documents_installs

    fired = {f.code for f in result.findings}
    return [f"{why} ({code})" for code, why in BLOCKING_RULES.items()
            if code in fired and not (code == "RPL301" and documents_installs(result.project))]


def _fix_first(scored: list, total: float) -> list:
    """The gaps whose fixing raises the overall score most: what each area regains (an area floors at 0, so a
    gap of an area far below it regains less than its points), weighted as the overall score weighs the area."""
    gains = []
    for area in scored:
        lost = sum(d.points for d in area.deductions)
        for deduction in area.deductions:
            regained = max(0, round(100 - (lost - deduction.points))) - area.score
            if regained > 0:
                gains.append((round(regained * area.weight / total, 1), area.area, deduction))
    gains.sort(key=lambda g: (-g[0], g[1], g[2].code))
    return gains[:FIX_FIRST]


def _documentation(result, weight: float) -> AreaScore:
    """The checklist's coverage, and what each unmet item costs (its rule's code, counted when it fired)."""
    from reprolint.project.checklist import checklist

    result_checklist = checklist(result.project) if result.project.readme is not None else None
    if result_checklist is None:
        rule = result.rules["RPL601"]
        return AreaScore("Documentation", weight, 0, None, [Deduction("RPL601", rule.name, rule.severity, 1, 100.0)],
                         "no README")
    counts = Counter(f.code for f in result.findings)
    deductions = []
    for item in result_checklist.items:
        full = CORE_ITEM_POINTS if item.core else EXTRA_ITEM_POINTS
        kept = full if item.documented or item.ticked and not item.core else \
            full * PROVIDED_SHARE if item.ticked else 0.0
        if kept < full:
            code = ITEM_RULES[item.key]
            rule = result.rules.get(code)
            deductions.append(Deduction(code, item.title, rule.severity if rule else Severity.INFO, counts[code],
                                        round(full - kept, 1)))
    drift = sum(counts[code] for code in DRIFT_RULES)
    if drift:
        deductions.append(Deduction("RPL612", "README commands that would fail", Severity.ERROR, drift,
                                    min(DRIFT_CAP, DRIFT_POINTS * drift)))
    core = [i for i in result_checklist.items if i.core]
    extras = [i for i in result_checklist.items if not i.core]
    shown = sum(i.documented for i in core)
    provided = sum(i.ticked and not i.documented for i in core)
    measured = f"{shown} of {len(core)} checklist items shown in the README" + \
        (f", {provided} more in the repository only" if provided else "") + \
        f"; {sum(i.ticked for i in extras)} of {len(extras)} extras"
    return _scored("Documentation", weight, deductions, measured)


def _share_and_others(result, area: str, weight: float, met: int, total: int, share_rules: tuple, share_points: float,
                      other_points: float, other_cap: float, measured: str) -> AreaScore:
    """An area scored as the share of runs that meet its standard, plus a fixed cost for each other rule of the
    area that fired."""
    share = met / total if total else 1.0
    counts = Counter(f.code for f in result.findings if f.area == area)
    code = next((c for c in share_rules if counts[c]), share_rules[0])
    deductions = [_rule_deduction(result, code, counts[code], share_points * (1 - share))] if share < 1 else []
    others = sorted(c for c in counts if c not in share_rules)
    deductions += [_rule_deduction(result, other, counts[other], other_points)
                   for other in others[:int(other_cap // other_points)]]
    return _scored(area, weight, deductions, measured)


def _rule_deduction(result, code: str, count: int, points: float) -> Deduction:
    rule = result.rules[code]
    return Deduction(code, rule.name, rule.severity, count, round(points, 1))


def _scored(area: str, weight: float, deductions: list, measured: Optional[str] = None) -> AreaScore:
    """An area's score from what it lost; its deductions, largest first."""
    deductions.sort(key=lambda d: (-d.points, d.code))
    return AreaScore(area, weight, max(0, round(100 - sum(d.points for d in deductions))), None, deductions, measured)


def _randomness(result, weight: float) -> AreaScore:
    from reprolint.rules.randomness import draws_by_run

    runs = [(first_draw, seeded) for first_draw, seeded in draws_by_run(result.project).values() if first_draw]
    seeded_runs = sum(all(family in seeded for family in first_draw) for first_draw, seeded in runs)
    return _share_and_others(result, "Randomness", weight, seeded_runs, len(runs), ("RPL101",), SEEDED_RUNS_POINTS,
                             OTHER_RANDOMNESS_POINTS, OTHER_RANDOMNESS_CAP,
                             f"{seeded_runs} of {len(runs)} runs that draw random numbers seed every generator "
                             f"they use")


def _dependencies(result, weight: float) -> AreaScore:
    """Declared and pinned coverage, and what each gap costs (its rule's code, counted when it fired)."""
    from reprolint.rules.dependencies import declares_dependencies, documents_installs, pin_coverage, \
        third_party_imports

    project = result.project
    imports = third_party_imports(project)
    manifest = declares_dependencies(project)
    declared = sum(all(d for *_, d in found) for found in imports.values()) if manifest or \
        documents_installs(project) else 0
    pinned, judged = pin_coverage(project)
    declared_share = declared / len(imports) if imports else 1.0
    pinned_share = pinned / judged if judged else (1.0 if not imports else 0.0)
    counts = Counter(f.code for f in result.findings)
    if imports and not manifest and not declared:
        gaps = [("RPL301", 100.0)]
    else:  # without a manifest, what install commands name is declared, and RPL301 is what is missing
        gaps = [("RPL305" if manifest else "RPL301", 50 * (1 - declared_share)),
                ("RPL302" if counts["RPL302"] else "RPL303", 50 * (1 - pinned_share))]
    gaps += [("RPL306", min(100.0, BROKEN_REQUIREMENT_POINTS * counts["RPL306"])),
             ("RPL304", min(UNUSED_CAP, UNUSED_POINTS * counts["RPL304"]))]
    deductions = [_rule_deduction(result, code, counts[code], points) for code, points in gaps
                  if points > 0 and code in result.rules]
    measured = f"{declared} of {len(imports)} imported packages declared; {pinned} of {judged} declarations pinned"
    return _scored("Dependencies", weight, deductions, measured)


def _hubs(result, weight: float) -> AreaScore:
    """The share of hub loads (in runs that train or evaluate) that pin the revision they fetch."""
    from reprolint.rules.hubs import hub_loads

    loads = [pinned for found in hub_loads(result.project).values() for _, _, pinned, _ in found]
    pinned = sum(loads)
    share = pinned / len(loads) if loads else 1.0
    count = sum(f.code == "RPL801" for f in result.findings)
    deductions = [_rule_deduction(result, "RPL801", count, 100 * (1 - share))] if share < 1 else []
    return _scored("Hubs", weight, deductions, f"{pinned} of {len(loads)} models and datasets loaded from a hub "
                                               f"pin their revision")


def _not_applicable(result, area: str) -> Optional[str]:
    if not any(rule.area == area for rule in result.rules.values()):
        return "no rule of this area ran"
    project = result.project
    if area in ("Randomness", "Environment", "Dependencies") and not project.python_files:
        return "no Python code"
    if area == "Notebooks" and not any(f.kind == NOTEBOOK for f in project.files.values()):
        return "no notebooks"
    if area == "Hubs":
        from reprolint.rules.hubs import hub_loads

        if not hub_loads(project):
            return "no model or dataset loaded from a hub by a run that trains or evaluates"
    if area == "Paths" and not any(f.kind in (PYTHON, NOTEBOOK, SCRIPT) for f in project.files.values()):
        return "no code or script"  # configs alone are read by nothing that runs
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
