"""The command line as users run it: a real process, its exit code, stdout and stderr."""
import json
import os
import subprocess
import sys
import tempfile

import jsonschema
import pytest

from tests.conftest import FIXTURES

SCHEMA = json.loads((FIXTURES.parent / "reprolint" / "schema" / "report.schema.json").read_text())
BARE = FIXTURES / "engine" / "bare"


CACHE = tempfile.mkdtemp(prefix="reprolint-test-cache-")  # never the user's own cache


def reprolint(*args):
    return subprocess.run([sys.executable, "-m", "reprolint", *map(str, args)], capture_output=True, text=True,
                          env=dict(os.environ, REPROLINT_CACHE_DIR=CACHE))


def test_findings_exit_1_and_text_groups_them_by_file():
    result = reprolint(BARE)
    assert result.returncode == 1
    assert "config.yaml\n" in result.stdout and "RPL001 invalid YAML" in result.stdout
    assert "6 findings in 4 files analyzed." in result.stdout
    assert "\x1b[" not in result.stdout  # no colour when not a terminal


def test_clean_repository_exits_0():
    result = reprolint(FIXTURES / "documentation" / "complete")
    assert (result.returncode, result.stderr) == (0, "")
    assert "No reproducibility gaps found in 6 files analyzed." in result.stdout
    assert "ML Code Completeness Checklist: 5/5" in result.stdout


def test_exit_zero():
    assert reprolint(BARE, "--exit-zero").returncode == 0


def test_json_follows_the_schema_and_every_finding_is_complete(tmp_path):
    result = reprolint(BARE, "--format", "json")
    report = json.loads(result.stdout)
    jsonschema.validate(report, SCHEMA)
    assert report["summary"]["findings"] == len(report["findings"]) == 6
    assert all(f["fix"] for f in report["findings"])
    assert report["checklist"] is None  # no README
    report = json.loads(reprolint(FIXTURES / "documentation" / "prose_only", "--format", "json").stdout)
    jsonschema.validate(report, SCHEMA)
    assert [(i["key"], i["ticked"]) for i in report["checklist"]["items"] if i["core"]] == [
        ("dependencies", True), ("training", False), ("evaluation", False), ("pretrained", False),
        ("results", False)]
    assert report["checklist"]["score"] == 1


def test_output_file(tmp_path):
    target = tmp_path / "report.json"
    result = reprolint(BARE, "-f", "json", "-o", target)
    assert result.stdout == "" and json.loads(target.read_text())["files_analyzed"] == 4


@pytest.mark.parametrize("args, message", [
    (["does/not/exist"], "reprolint: error: does/not/exist: no such file or directory\n"),
    ([BARE, "--format", "xml"], "reprolint: error: unknown format 'xml' (choose from text, concise, json, sarif, github, html)\n"),
])
def test_usage_errors_exit_2_with_one_line_and_no_traceback(args, message):
    result = reprolint(*args)
    assert (result.returncode, result.stderr) == (2, message)


def test_config_error_exits_2(tmp_path):
    (tmp_path / "reprolint.toml").write_text("colour = true\n")
    result = reprolint(tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("reprolint: error: reprolint.toml: unknown key 'colour'")
    assert len(result.stderr.splitlines()) == 1


def test_unknown_option_is_a_usage_error():
    assert reprolint(BARE, "--no-such-flag").returncode == 2


def test_rules_and_rule():
    listing = reprolint("rules")
    assert listing.returncode == 0 and "RPL001" in listing.stdout and "no-readme" in listing.stdout
    explained = reprolint("rule", "rpl601")
    assert explained.returncode == 0 and "Why it matters:" in explained.stdout
    assert reprolint("rule", "RPL999").returncode == 2


def test_version():
    from reprolint import __version__

    assert reprolint("--version").stdout == f"reprolint {__version__}\n"


def test_internal_errors_exit_2_after_the_report(tmp_path):
    # a rule that crashes: the report is still printed, the error is one line on stderr, the exit code is 2
    (tmp_path / "a.py").write_text("x = 1\n")
    script = (
        "import sys\n"
        "from reprolint.model import rule, Severity\n"
        "@rule(code='RPL098', name='boom', area='General', severity=Severity.INFO, summary='s', why='w', fix='f')\n"
        "def boom(project):\n"
        "    raise ValueError('broken rule')\n"
        "from reprolint.cli import main\n"
        f"sys.argv = ['reprolint', {str(tmp_path)!r}, '--no-cache']\n"
        "main()\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr == "reprolint: error: rule RPL098 (boom) failed: ValueError: broken rule\n"
    assert "files analyzed" in result.stdout


def test_a_selector_that_names_no_rule_is_a_usage_error(tmp_path):
    (tmp_path / "train.py").write_text("import random\nrandom.random()\n")
    for option in ("--select", "--ignore"):
        result = reprolint(tmp_path, option, "RPL999")
        assert result.returncode == 2 and f"{option}: unknown rule code or prefix 'RPL999'" in result.stderr
    assert "did you mean RPL101?" in reprolint(tmp_path, "--select", "RPL1O1").stderr
    (tmp_path / "reprolint.toml").write_text('select = ["RPL1", "XYZ"]\n')
    result = reprolint(tmp_path)
    assert result.returncode == 2 and "select: unknown rule code or prefix 'XYZ'" in result.stderr
    (tmp_path / "reprolint.toml").write_text('[per-file-ignores]\n"train.py" = ["RPL10"]\n')
    assert reprolint(tmp_path).returncode == 1  # findings (no README): a prefix of real codes is a selector
