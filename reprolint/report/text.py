"""The terminal report: findings grouped by file, then a summary by area. Colour only on a terminal."""
from __future__ import annotations

from itertools import groupby

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from reprolint.model import Severity
from reprolint.report import area_summary, fix_text

STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def render(result, console: Console) -> None:
    for path, group in groupby(result.findings, key=lambda f: f.path):
        console.print(f"[bold underline]{escape(path)}[/]", highlight=False)
        for f in group:
            where = f"cell {f.cell}:{f.line}:{f.col}" if f.cell else f"{f.line}:{f.col}"
            console.print(f"  [dim]{where:>9}[/]  [{STYLE[f.severity]}]{f.code}[/] {escape(f.message)}  "
                          f"[dim]({f.name})[/]", highlight=False)
            fix = fix_text(f, result.rules)
            if fix:
                console.print(f"             [green]fix:[/] {escape(_first_sentence(fix))}", highlight=False)
        console.print()
    _summary(result, console)


def _first_sentence(text: str) -> str:
    """The terminal shows the fix's first sentence; `reprolint rule CODE` and the HTML give it whole."""
    flat = " ".join(text.split())
    end = flat.find(". ")
    return flat if end < 0 else flat[: end + 1]


def _summary(result, console: Console) -> None:
    summary = area_summary(result.findings)
    if summary:
        table = Table(title="Findings by area", title_justify="left", show_edge=False, box=None, pad_edge=False)
        for column in ("area", "findings", "error", "warning", "info"):
            table.add_column(column, justify="left" if column == "area" else "right")
        for area, counts in summary.items():
            table.add_row(area, *(str(counts[k]) for k in ("findings", "error", "warning", "info")))
        console.print(table)
        console.print()
    total = len(result.findings)
    verdict = "[bold green]No reproducibility gaps found[/]" if not total else \
        f"[bold]{total} finding{'s' if total != 1 else ''}[/]"
    console.print(f"{verdict} in {result.files_analyzed} files analyzed.", highlight=False)
