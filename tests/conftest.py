from pathlib import Path

import pytest

from reprolint.engine import Options, analyze

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def run(path, **options):
    """Analyze a fixture (no cache unless asked) and return the Result."""
    options.setdefault("use_cache", False)
    return analyze(Options(paths=[Path(path)], **options))


def found(path, **options) -> set:
    """The exact findings of a run, as (code, path, line) with `cell N:line` for notebooks."""
    return {(f.code, f.path, f"cell {f.cell}:{f.line}" if f.cell else f.line) for f in run(path, **options).findings}


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
