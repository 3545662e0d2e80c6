"""The command line: `reprolint [PATHS]` checks; `reprolint rules` lists the rules; `reprolint rule CODE` explains one.

Exit codes: 0 no findings, 1 findings, 2 usage, configuration or internal error.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer
from typer.core import TyperGroup

from reprolint import __version__

FORMATS = ("text", "json")
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _CheckByDefault(TyperGroup):
    """`reprolint PATH` means `reprolint check PATH`; `reprolint rules` and `reprolint rule` are commands."""

    def parse_args(self, ctx, args):
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = ["check", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(cls=_CheckByDefault, add_completion=False, pretty_exceptions_enable=False,
                  help="Find the reproducibility gaps in a machine-learning repository, without running it.")


def _fail(message: str) -> None:
    typer.echo(f"reprolint: error: {message}", err=True)
    raise typer.Exit(EXIT_ERROR)


def _codes(text: Optional[str]) -> Optional[list]:
    return None if text is None else [c.strip().upper() for c in text.split(",") if c.strip()]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"reprolint {__version__}")
        raise typer.Exit()


@app.command()
def check(
    paths: Optional[List[Path]] = typer.Argument(None, help="Files or folders to analyze [default: .]"),
    output_format: str = typer.Option("text", "--format", "-f", help=f"Output format: {', '.join(FORMATS)}."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file."),
    select: Optional[str] = typer.Option(None, help="Comma-separated codes or prefixes to check (overrides config)."),
    ignore: Optional[str] = typer.Option(None, help="Comma-separated codes or prefixes to skip (overrides config)."),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even when there are findings."),
    show_unused_suppressions: bool = typer.Option(False, help="Report `reprolint: ignore` comments that suppress nothing."),
    config: Optional[Path] = typer.Option(None, "--config", help="Config file (default: reprolint.toml or pyproject.toml)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Parse every file afresh; read and write no cache."),
    cache_dir: Optional[Path] = typer.Option(None, help="Cache folder [default: $REPROLINT_CACHE_DIR or ~/.cache/reprolint]."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Parallel parser processes [default: cores]."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks of internal errors."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """Analyze PATHS and report the reproducibility gaps found."""
    from reprolint.config import ConfigError
    from reprolint.engine import Options, analyze

    if output_format not in FORMATS:
        _fail(f"unknown format '{output_format}' (choose from {', '.join(FORMATS)})")
    paths = paths or [Path(".")]
    missing = [p for p in paths if not p.exists()]
    if missing:
        _fail(f"{missing[0]}: no such file or directory")
    options = Options(paths=paths, select=_codes(select), ignore=_codes(ignore), config_file=config,
                      use_cache=not no_cache, cache_dir=cache_dir,
                      show_unused_suppressions=show_unused_suppressions, jobs=jobs)
    try:
        result = analyze(options)
    except ConfigError as exc:
        _fail(str(exc))
    except Exception as exc:
        if debug:
            raise
        _fail(f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)")
    _write_report(result, output_format, output)
    for note in result.notes:
        typer.echo(f"reprolint: note: {note}", err=True)
    for error in result.errors:
        typer.echo(f"reprolint: error: {error}", err=True)
    if result.errors:
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_FINDINGS if result.findings and not exit_zero else EXIT_CLEAN)


def _write_report(result, output_format: str, output: Optional[Path]) -> None:
    from rich.console import Console

    handle = None
    try:
        if output is not None:
            handle = open(output, "w", encoding="utf-8")
        if output_format == "json":
            from reprolint.report import json as json_report

            (handle or sys.stdout).write(json_report.render(result))
        else:
            from reprolint.report import text

            to_terminal = handle is None and sys.stdout.isatty()
            console = Console(file=handle, no_color=handle is not None or None, soft_wrap=not to_terminal,
                              force_terminal=False if handle is not None else None)
            text.render(result, console)
    except OSError as exc:
        _fail(f"{output}: cannot write the report ({exc.strerror or exc})")
    finally:
        if handle is not None:
            handle.close()


@app.command("rules")
def list_rules() -> None:
    """List every rule: code, name, area, severity and summary."""
    from rich.console import Console
    from rich.table import Table

    from reprolint.model import all_rules

    table = Table(box=None, pad_edge=False)
    for column in ("code", "name", "area", "severity", "summary"):
        table.add_column(column)
    for r in all_rules().values():
        table.add_row(r.code, r.name, r.area, r.severity.label, r.summary)
    Console(width=None if sys.stdout.isatty() else 160).print(table)


@app.command("rule")
def explain_rule(code: str = typer.Argument(..., help="A rule code, such as RPL001.")) -> None:
    """Explain one rule: what it flags, why it matters, how to fix it."""
    from reprolint.model import all_rules

    found = all_rules().get(code.upper())
    if found is None:
        _fail(f"unknown rule '{code}' (see `reprolint rules`)")
    typer.echo(f"{found.code} {found.name} ({found.area}, {found.severity.label})\n\n{found.summary}.\n\n"
               f"Why it matters:\n{found.why}\n\nHow to fix it:\n{found.fix}")


def main() -> None:
    app()
