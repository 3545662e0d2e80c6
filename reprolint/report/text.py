"""The terminal report: findings grouped by file, the checklist, then the score by area. Colour only on a
terminal."""
from __future__ import annotations

from itertools import groupby

from rich.console import Console
from rich.markup import escape

from reprolint.model import Severity
from reprolint.report import fix_text, printable

FULL, EMPTY = "\u2588", "\u2591"  # the bar's filled and empty cells
STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def render(result, console: Console) -> None:
    for path, group in groupby(result.findings, key=lambda f: f.path):
        console.print(f"[bold underline]{escape(printable(path, one_line=True))}[/]", highlight=False)
        for f in group:
            where = f"cell {f.cell}:{f.line}:{f.col}" if f.cell else f"{f.line}:{f.col}"
            mark = " [bold][*][/]" if f.fixable == "safe" else " [dim][*][/]" if f.fixable else ""
            console.print(f"  [dim]{where:>9}[/]  [{STYLE[f.severity]}]{f.code}[/]{mark} {_safe(f.message)}  "
                          f"[dim]({f.name})[/]", highlight=False)
            fix = fix_text(f, result.rules)
            if fix:
                console.print(f"             [green]fix:[/] {_safe(_first_sentence(fix))}", highlight=False)
        console.print()
    _checklist(result.checklist, console)
    _summary(result, console)


def _first_sentence(text: str) -> str:
    """The terminal shows the fix's first sentence; `reprolint rule CODE` and the HTML give it whole."""
    flat = " ".join(text.split())
    end = flat.find(". ")
    return flat if end < 0 else flat[: end + 1]


def _checklist(checklist, console: Console) -> None:
    """The checklist: a tick or a cross per item, with the first piece of evidence or the gap, and for the five
    core items whether the README shows them."""
    if checklist is None:
        return
    console.print(f"[bold]ML Code Completeness Checklist: {checklist.score}/5[/]", highlight=False)
    for item in checklist.items:
        mark = "[green]\u2713[/]" if item.ticked else "[red]\u2717[/]" if item.core else "[yellow]-[/]"
        shown = item.proof[0] if item.ticked else item.gap
        detail = f"  [dim]{_safe(shown.path)}:{shown.line} {_safe(_clip(shown.text))}[/]" if shown else ""
        more = f" [dim](+{len(item.proof) - 1})[/]" if len(item.proof) > 1 else ""
        readme = "" if not item.core or not item.ticked else \
            "  [dim]\u00b7 in the README[/]" if item.documented else "  [yellow]\u00b7 not shown in the README[/]"
        console.print(f"  {mark} {_safe(item.title)}{detail}{more}{readme}", highlight=False)
    console.print()


def _clip(text: str, width: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "\u2026"


def _summary(result, console: Console) -> None:
    score = result.score
    if score.overall is not None:
        capped = f" [dim](capped {_safe(score.ceiling)})[/]" if score.ceiling else ""
        console.print(f"[bold]Score: {score.overall}/100[/]{capped}", highlight=False)
        for area in score.areas:
            console.print(f"  {area.area:<16}{_bar(area.score)}  {_explained(area)}", highlight=False)
            if area.measured:
                console.print(f"  {'':<16}[dim]{_safe(area.measured)}[/]", highlight=False)
        if score.fix_first:
            first = ", ".join(f"{d.code} ({area}) +{gain:g}" for gain, area, d in score.fix_first)
            console.print(f"  Fix these first: {first}", highlight=False)
        console.print()
    total = len(result.findings)
    verdict = "[bold green]No reproducibility gaps found[/]" if not total else \
        f"[bold]{total} finding{'s' if total != 1 else ''}[/]"
    console.print(f"{verdict} in {result.files_analyzed} files analyzed.", highlight=False)
    safe = sum(f.fixable == "safe" for f in result.findings)
    unsafe = sum(f.fixable == "unsafe" for f in result.findings)
    if safe or unsafe:
        more = f" ({unsafe} more with --unsafe-fixes)" if unsafe else ""
        console.print(f"[*] {safe} fixable with --fix{more}; --diff shows the patch first.", highlight=False)


def _bar(value, width: int = 20) -> str:
    if value is None:
        return f"[dim]{'-' * width}[/]    "
    full = round(value * width / 100)
    colour = "green" if value >= 80 else "yellow" if value >= 50 else "red"
    return f"[{colour}]{FULL * full}[/][dim]{EMPTY * (width - full)}[/] {value:>3}"


def _explained(area) -> str:
    if area.score is None:
        return f"[dim]not applicable: {_safe(area.reason)}[/]"
    if not area.deductions:
        return ""
    parts = [f"{d.code}{f' x{d.count}' if d.count > 1 else ''} -{d.points:g}" for d in area.deductions[:4]]
    more = f", +{len(area.deductions) - 4} more" if len(area.deductions) > 4 else ""
    return f"[dim]{', '.join(parts)}{more}[/]"


def _safe(text: str) -> str:
    """Repository text for rich: control characters neutralised, markup escaped."""
    return escape(printable(text))
