"""The command line: `reprolint [PATHS]` checks; `reprolint rules` lists the rules; `reprolint rule CODE` explains one.

Exit codes: 0 clean, 1 findings at or above --severity (or a score under --fail-under; with --fail-under alone,
only the score gates), 2 usage, configuration or internal error.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer
from typer.core import TyperGroup

from reprolint import __version__

FORMATS = ("text", "concise", "json", "sarif", "github", "html")
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
    output_format: str = typer.Option("text", "--format", "--output-format", "-f",
                                      help=f"Output format: {', '.join(FORMATS)}."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file."),
    select: Optional[str] = typer.Option(None, help="Comma-separated codes or prefixes to check (overrides config)."),
    ignore: Optional[str] = typer.Option(None, help="Comma-separated codes or prefixes to skip (overrides config)."),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even when there are findings."),
    fail_under: Optional[int] = typer.Option(None, "--fail-under", min=0, max=100,
                                             help="Fail when the overall score is below this (0-100)."),
    severity: Optional[str] = typer.Option(None, "--severity",
                                           help="Lowest severity that fails the run: info (default), warning, "
                                                "error, or none (only --fail-under gates)."),
    show_unused_suppressions: bool = typer.Option(False, help="Report `reprolint: ignore` comments that suppress nothing."),
    config: Optional[Path] = typer.Option(None, "--config", help="Config file (default: reprolint.toml or pyproject.toml)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Parse every file afresh; read and write no cache."),
    cache_dir: Optional[Path] = typer.Option(None, help="Cache folder [default: $REPROLINT_CACHE_DIR or ~/.cache/reprolint]."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Parallel parser processes [default: cores]."),
    fix: bool = typer.Option(False, "--fix", help="Apply the safe fixes, then report what is left."),
    unsafe_fixes: bool = typer.Option(False, "--unsafe-fixes", help="With --fix or --diff, apply unsafe fixes too."),
    diff: bool = typer.Option(False, "--diff", help="Print the fixes as a patch; write nothing."),
    pin_from_env: bool = typer.Option(False, "--pin-from-env",
                                      help="Fixes pin dependencies to the versions installed here."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks of internal errors."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """Analyze PATHS and report the reproducibility gaps found."""
    from reprolint.config import ConfigError
    from reprolint.engine import Options, analyze

    from reprolint.config import SEVERITIES

    if output_format not in FORMATS:
        _fail(f"unknown format '{output_format}' (choose from {', '.join(FORMATS)})")
    if severity is not None and severity.lower() not in SEVERITIES:
        _fail(f"unknown severity '{severity}' (choose from {', '.join(SEVERITIES)})")
    paths = paths or [Path(".")]
    missing = [p for p in paths if not p.exists()]
    if missing:
        _fail(f"{missing[0]}: no such file or directory")
    options = Options(paths=paths, select=_codes(select), ignore=_codes(ignore), config_file=config,
                      use_cache=not no_cache, cache_dir=cache_dir,
                      show_unused_suppressions=show_unused_suppressions, jobs=jobs, pin_from_env=pin_from_env)
    try:
        result = analyze(options)
        if fix and not diff:
            result = _fix(result, options, unsafe_fixes)
        _finish(result, output_format, output, diff, unsafe_fixes, severity, fail_under, exit_zero)
    except ConfigError as exc:
        _fail(str(exc))
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:  # a crash exits 2, never 1: CI reads 1 as "findings found"
        if debug:
            raise
        _fail(f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)")


def _finish(result, output_format: str, output: Optional[Path], diff: bool, unsafe_fixes: bool,
            severity: Optional[str], fail_under: Optional[int], exit_zero: bool) -> None:
    """Report, then exit with the code the findings, the score and the errors call for."""
    if diff:
        _print_diff(result, unsafe_fixes)
    _write_report(result, output_format, output)
    from reprolint.report import printable

    for note in result.notes:
        typer.echo(f"reprolint: note: {printable(note)}", err=True)
    for error in result.errors:
        typer.echo(f"reprolint: error: {printable(error)}", err=True)
    if result.errors:
        raise typer.Exit(EXIT_ERROR)
    fail_under = fail_under if fail_under is not None else result.config.fail_under
    # A score gate on its own gates on the score alone; a severity, given too, adds the findings gate.
    severity = severity or result.config.severity or ("none" if fail_under is not None else "info")
    failed = _fails(result, severity.lower(), fail_under)
    raise typer.Exit(EXIT_FINDINGS if failed and not exit_zero else EXIT_CLEAN)


def _print_diff(result, unsafe: bool) -> None:
    """--diff: the patch the fixes would make, and exit 1 when there is one (as ruff does)."""
    from reprolint import fixes

    outcome = fixes.apply(result.root, result.findings, unsafe=unsafe, write=False)
    sys.stdout.write(outcome.diff())
    for message in outcome.dropped:
        typer.echo(f"reprolint: note: {message}", err=True)
    raise typer.Exit(EXIT_FINDINGS if outcome.changed else EXIT_CLEAN)


def _fix(result, options, unsafe: bool):
    """--fix: apply, say what was done, and analyze again: the report shows what is left."""
    from reprolint import fixes
    from reprolint.engine import analyze

    outcome = fixes.apply(result.root, result.findings, unsafe=unsafe, write=True)
    for message in outcome.applied:
        typer.echo(f"reprolint: fixed: {message}", err=True)
    for message in outcome.dropped:
        typer.echo(f"reprolint: note: {message}", err=True)
    return analyze(options) if outcome.changed else result


def _fails(result, severity: str, fail_under: Optional[int]) -> bool:
    """A finding at or above the severity threshold, or an overall score below --fail-under."""
    from reprolint.model import Severity

    if severity != "none" and any(f.severity >= Severity[severity.upper()] for f in result.findings):
        return True
    overall = result.score.overall
    return fail_under is not None and overall is not None and overall < fail_under


def _write_report(result, output_format: str, output: Optional[Path]) -> None:
    handle = None
    try:
        if output is not None:
            handle = open(output, "w", encoding="utf-8")
        _render(result, output_format, handle)
        if handle is not None:
            handle.close()  # a full device fails here rather than at write(): inside the try
        else:
            sys.stdout.flush()
    except OSError as exc:
        _fail(f"{output or 'standard output'}: cannot write the report ({exc.strerror or exc})")


def _render(result, output_format: str, handle) -> None:
    if output_format == "text":
        from rich.console import Console

        from reprolint.report import text

        to_terminal = handle is None and sys.stdout.isatty()
        console = Console(file=handle, no_color=handle is not None or None, soft_wrap=not to_terminal,
                          force_terminal=False if handle is not None else None)
        text.render(result, console)
    else:
        import importlib

        reporter = importlib.import_module(f"reprolint.report.{output_format}")
        (handle or sys.stdout).write(reporter.render(result))


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
    """Explain one rule: what it flags, why it matters, how to fix it, and an example with its fix."""
    from reprolint.model import all_rules
    from reprolint.report import examples

    found = all_rules().get(code.upper())
    if found is None:
        _fail(f"unknown rule '{code}' (see `reprolint rules`)")
    typer.echo(f"{found.code} {found.name} ({found.area}, {found.severity.label})\n\n{found.summary}.\n\n"
               f"Why it matters:\n{found.why}\n\nHow to fix it:\n{found.fix}")
    for title, files in examples(found):
        typer.echo(f"\n{title}:")
        for path, text in files.items():
            body = "".join(f"    {line}".rstrip() + "\n" for line in text.rstrip().split("\n"))
            typer.echo(f"\n  {path}\n{body}", nl=False)


@app.command("diff")
def diff_reports(
    old: Path = typer.Argument(..., help="The JSON report before (reprolint --format json)."),
    new: Path = typer.Argument(..., help="The JSON report after."),
    output_format: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """Compare two JSON reports: the gaps closed, the gaps opened, and the change of the score."""
    from reprolint.report import compare

    if output_format not in ("text", "json"):
        _fail(f"unknown format '{output_format}' for diff (text or json)")
    reports = []
    for path in (old, new):
        try:
            reports.append(compare.load(path, path.read_text(encoding="utf-8")))
        except OSError as exc:
            _fail(f"{path}: cannot read it ({exc.strerror or exc})")
        except (compare.ReportError, UnicodeDecodeError) as exc:
            _fail(str(exc))
    comparison = compare.compare(*reports)
    typer.echo((compare.render_json if output_format == "json" else compare.render_text)(comparison), nl=False)


def main() -> None:
    app()
