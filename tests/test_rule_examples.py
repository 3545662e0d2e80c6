"""Every rule's Example fires it and its Use instead does not: `reprolint rule CODE` shows pairs that are true."""
from pathlib import Path

import pytest

from reprolint.model import all_rules

from tests.conftest import FIXTURES, run

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


def test_reprolint_rule_shows_the_pair_with_each_file_under_its_path():
    from tests.test_cli import reprolint

    shown = reprolint("rule", "RPL302").stdout
    example, fixed = shown.split("\nExample:\n")[1].split("\nUse instead:\n")
    assert "  requirements.txt\n    numpy\n" in example and "  train.py\n    import numpy as np\n" in example
    assert "  requirements.txt\n    numpy==1.26.4\n" in fixed


def test_sarif_help_and_the_html_audit_show_the_pair():
    import json

    from reprolint.report import html, sarif

    result = run(FIXTURES / "demo")
    rules = {r["id"]: r for r in json.loads(sarif.render(result))["runs"][0]["tool"]["driver"]["rules"]}
    markdown = rules["RPL613"]["help"]["markdown"]
    assert "**Example:**\n\n`README.md`\n\n````markdown\n# Linear probe" in markdown  # a fence longer than the README's
    assert "**Use instead:**" in markdown and "```python\nimport argparse\n" in markdown
    assert "\n\nExample:\n\nrequirements.txt:\nnumpy\n" in rules["RPL302"]["help"]["text"]
    page = html.render(result)
    assert '<h4>Use instead</h4>\n            <p class="example-path"><code>train.py</code></p>' in page
    assert '<pre class="example-code"><code>import argparse\n\nimport torch\n\nparser = argparse.ArgumentParser()\n' \
           'parser.add_argument(&#34;--seed&#34;, type=int, default=0)' in page  # autoescaped
