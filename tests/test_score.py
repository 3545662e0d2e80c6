"""Invariants of the scoring model (coverage, not counts): what must never happen whatever the repository."""
import shutil

from tests.conftest import run


def _area(path, area):
    return next(a for a in run(path).score.areas if a.area == area)


def _write(root, files):
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)


CODE = {"train.py": "import numpy\nimport scipy\nimport yaml\n\nif __name__ == '__main__':\n    print(numpy, scipy, yaml)\n"}


def test_no_manifest_scores_below_a_manifest_that_declares_part_of_the_imports(tmp_path):
    bare, partial = tmp_path / "bare", tmp_path / "partial"
    _write(bare, CODE)
    _write(partial, {**CODE, "requirements.txt": "numpy==1.26.4\n"})
    assert _area(bare, "Dependencies").score == 0
    assert 0 < _area(partial, "Dependencies").score < 100


def test_adding_a_manifest_never_lowers_dependencies(tmp_path):
    _write(tmp_path, {**CODE, "requirements.txt": "numpy==1.26.4\n"})
    before = _area(tmp_path, "Dependencies").score
    _write(tmp_path, {"environment.yml": "dependencies:\n  - python=3.11\n  - scipy=1.11.4\n  - pyyaml=6.0.1\n"})
    after = _area(tmp_path, "Dependencies")
    assert after.score >= before and after.measured == "3 of 3 imported packages declared; 3 of 3 declarations pinned"


def test_fixing_a_finding_never_lowers_the_score(tmp_path):
    _write(tmp_path, {**CODE, "requirements.txt": "numpy\nscipy==1.11.4\npyyaml==6.0.1\n"})
    before = run(tmp_path).score.overall
    _write(tmp_path, {"requirements.txt": "numpy==1.26.4\nscipy==1.11.4\npyyaml==6.0.1\n"})
    assert run(tmp_path).score.overall >= before


def test_copying_examples_ten_times_moves_the_overall_score_by_a_few_points_at_most(tmp_path):
    _write(tmp_path, {**CODE, "requirements.txt": "numpy==1.26.4\nscipy\n",
                      "examples/demo/run.py": "import random\nimport pandas\n\nif __name__ == '__main__':\n"
                                              "    print(random.random(), pandas)\n"})
    before = run(tmp_path).score.overall
    for copy in range(10):
        shutil.copytree(tmp_path / "examples" / "demo", tmp_path / "examples" / f"demo{copy}")
    assert abs(run(tmp_path).score.overall - before) <= 3


def test_an_area_that_cannot_be_judged_says_why_and_is_not_100(tmp_path):
    _write(tmp_path, {"README.md": "# notes\n", "notes.txt": "no code here\n"})
    for area in run(tmp_path).score.areas:
        if area.area != "Documentation":
            assert area.score is None and area.reason


def test_a_repository_that_cannot_be_installed_is_capped_and_says_why(tmp_path):
    _write(tmp_path, {**CODE, "README.md": "# x\n\n```bash\npython train.py\n```\n"})
    score = run(tmp_path).score
    assert score.overall <= 60
    assert score.ceiling == "at most 60: no manifest or install command declares the imported packages (RPL301)"
    _write(tmp_path, {"requirements.txt": "numpy==1.26.4\nscipy==1.11.4\npyyaml==6.0.1\n"})
    assert run(tmp_path).score.ceiling is None


def test_the_ceiling_is_said_in_every_report(tmp_path):
    import json

    from tests.test_cli import reprolint

    _write(tmp_path, {**CODE, "README.md": "# x\n"})
    said = "at most 60: no manifest or install command declares the imported packages (RPL301)"
    assert json.loads(reprolint(tmp_path, "--format", "json").stdout)["score"]["ceiling"] == said
    assert f"(capped {said})" in reprolint(tmp_path).stdout
    assert f"Capped {said}." in reprolint(tmp_path, "--format", "html").stdout
