"""Every rule's Example fires it and its Use instead does not: `reprolint rule CODE` shows pairs that are true."""
from pathlib import Path

import pytest

from reprolint.model import all_rules

from tests.conftest import run

RULES = all_rules()
# Options a rule needs to speak at all, as the CLI would pass them.
OPTIONS = {"RPL002": {"show_unused_suppressions": True}}


def codes(tmp_path: Path, files: dict, code: str) -> set:
    root = tmp_path / "repo"
    root.mkdir()
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return {f.code for f in run(root, **OPTIONS.get(code, {})).findings}


def test_every_rule_has_an_example_and_a_fix():
    missing = [code for code, rule in RULES.items() if not rule.example or not rule.use_instead]
    assert not missing, f"rules without an example or a use_instead: {', '.join(missing)}"


@pytest.mark.parametrize("code", sorted(RULES))
def test_the_example_fires_the_rule(code, tmp_path):
    assert code in codes(tmp_path, RULES[code].example, code)


@pytest.mark.parametrize("code", sorted(RULES))
def test_use_instead_does_not_fire_it(code, tmp_path):
    assert code not in codes(tmp_path, RULES[code].use_instead, code)
