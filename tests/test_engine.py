"""The engine end to end on fixture repositories: discovery, facts, rules, suppressions, notebooks, cache."""
import os
from pathlib import Path

import pytest

import reprolint.engine as engine
from reprolint.config import ConfigError
from reprolint.model import Hit, Severity, _REGISTRY, rule
from tests.conftest import FIXTURES, found, run

BASIC = FIXTURES / "engine" / "basic"
BARE = FIXTURES / "engine" / "bare"


def test_basic_fixture_exact_findings():
    assert found(BASIC) == {
        ("RPL601", ".", 1),
        ("RPL401", "pyproject.toml", 1),  # no requires-python
        ("RPL608", ".", 1),  # no LICENSE
        ("RPL001", "broken.py", 1),
        ("RPL001", "notebooks/corrupt.ipynb", 1),
        ("RPL001", "notebooks/explore.ipynb", "cell 4:2"),  # the broken cell, not the joined source's line
    }


def test_bare_fixture_exact_findings():
    assert found(BARE) == {
        ("RPL601", ".", 1),
        ("RPL401", ".", 1),  # no manifest at all: the finding is about the repository
        ("RPL608", ".", 1),
        ("RPL001", "config.yaml", 2),
        ("RPL001", "settings.toml", 1),
        ("RPL301", "helpers.py", 1),  # numpy and yaml imported; os is stdlib, helpers is local
    }


def test_discovery_honours_gitignore_nested_and_default_skips():
    files = set(run(BASIC).project.files)
    assert "ignored/generated.py" not in files  # root .gitignore
    assert "sub/model.gen.py" not in files  # sub/.gitignore
    assert "sub/model.py" in files
    assert not any(f.startswith((".venv/", "node_modules/")) for f in files)


def test_gitignore_can_be_turned_off(tmp_path):
    (tmp_path / ".gitignore").write_text("skip.py\n")
    (tmp_path / "skip.py").write_text("def f(:\n")
    (tmp_path / "reprolint.toml").write_text("respect-gitignore = false\n")
    assert ("RPL001", "skip.py", 1) in found(tmp_path)


def test_the_rest_of_a_notebook_is_analyzed_around_magics_and_a_broken_cell():
    notebook = run(BASIC).project.files["notebooks/explore.ipynb"].facts
    calls = {c.name for c in notebook.python.calls}
    assert {"numpy.random.rand", "numpy.random.seed"} <= calls  # `import numpy as onp` resolved
    assert notebook.cells[notebook.python.calls[0].line - 1] == (2, 5)


def test_inline_suppression_and_unused_suppressions():
    assert not any(f[1] == "suppressed.py" for f in found(BASIC))
    unused = found(BASIC, show_unused_suppressions=True) - found(BASIC)
    assert unused == {("RPL002", "sub/model.py", 1)}


def test_file_level_suppression(tmp_path):
    (tmp_path / "a.py").write_text("# reprolint: ignore-file[RPL001]\ndef f(:\n")
    (tmp_path / "b.py").write_text("# reprolint: ignore-file\ndef f(:\n")
    assert not {f for f in found(tmp_path) if f[0] == "RPL001"}


def test_select_ignore_and_per_file_ignores(tmp_path):
    (tmp_path / "a.py").write_text("def f(:\n")
    (tmp_path / "b.py").write_text("def f(:\n")
    assert found(tmp_path, select=["RPL601"]) == {("RPL601", ".", 1)}
    assert found(tmp_path, ignore=["RPL0", "RPL4", "RPL608"]) == {("RPL601", ".", 1)}
    (tmp_path / "pyproject.toml").write_text(
        '[tool.reprolint]\nignore = ["RPL601", "RPL608", "RPL4"]\nper-file-ignores = { "b.py" = ["RPL001"] }\n')
    assert found(tmp_path) == {("RPL001", "a.py", 1)}
    assert found(tmp_path, ignore=[]) == {("RPL001", "a.py", 1), ("RPL601", ".", 1),  # the flag overrides config
                                          ("RPL401", "pyproject.toml", 1), ("RPL608", ".", 1)}


def test_excludes_from_config(tmp_path):
    (tmp_path / "gen").mkdir()
    (tmp_path / "gen" / "a.py").write_text("def f(:\n")
    (tmp_path / "reprolint.toml").write_text('exclude = ["gen/"]\nselect = ["RPL001"]\n')
    assert found(tmp_path) == set()


@pytest.mark.parametrize("content, message", [
    ('[tool.reprolint]\nselekt = ["RPL1"]\n', "unknown key 'selekt'"),
    ('[tool.reprolint]\nselect = "RPL1"\n', "'select' must be a list of rule codes"),
    ('[tool.reprolint]\nper-file-ignores = { "a.py" = "RPL1" }\n', "'per-file-ignores' must be a table"),
])
def test_config_errors_name_the_key_and_file(tmp_path, content, message):
    (tmp_path / "pyproject.toml").write_text(content)
    with pytest.raises(ConfigError, match=message) as raised:
        run(tmp_path)
    assert "pyproject.toml" in str(raised.value)


def test_broken_pyproject_is_a_finding_not_a_config_error(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project\n")
    assert ("RPL001", "pyproject.toml", 1) in found(tmp_path)


def test_binary_big_and_looping_files_are_skipped_with_a_note(tmp_path):
    (tmp_path / "blob.py").write_bytes(b"\x00\x01binary")
    (tmp_path / "big.py").write_text("x = 1\n" * 400)
    (tmp_path / "reprolint.toml").write_text("max-file-size-kb = 1\n")
    os.symlink(tmp_path, tmp_path / "loop")
    result = run(tmp_path)
    assert {"blob.py: binary file skipped", "loop: symbolic link to the folder ., analyzed at its own path"} <= set(result.notes)
    assert any(n.startswith("big.py: skipped") for n in result.notes)
    assert set(result.project.files) == {"reprolint.toml"}


def test_an_unreadable_file_is_a_finding_and_the_rest_is_analyzed(tmp_path, monkeypatch):
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "b.py").write_text("def f(:\n")
    real = Path.read_bytes

    def deny(self):
        if self.name == "a.py":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    result = run(tmp_path)
    messages = {(f.path, f.message) for f in result.findings if f.code == "RPL001"}
    assert messages == {("a.py", "cannot be read (Permission denied)"), ("b.py", "syntax error: invalid syntax")}


def test_a_crashing_rule_is_reported_and_the_others_still_run(tmp_path):
    (tmp_path / "a.py").write_text("def f(:\n")

    @rule(code="RPL099", name="crashes", area="General", severity=Severity.INFO, summary="s", why="w", fix="f",
          per_file=True)
    def crashes(file, project):
        if file.rel == "a.py":
            raise KeyError("boom")
        yield Hit(file.rel, 1, "never")

    try:
        result = run(tmp_path)
    finally:
        del _REGISTRY["RPL099"]
    assert result.errors == ["rule RPL099 (crashes) failed on a.py: KeyError: 'boom'"]
    assert ("RPL001", "a.py") in {(f.code, f.path) for f in result.findings}


def test_warm_run_parses_nothing(tmp_path, monkeypatch):
    repo, cache = tmp_path / "repo", tmp_path / "cache"
    repo.mkdir()
    (repo / "a.py").write_text("import numpy\n")
    cold = found(repo, use_cache=True, cache_dir=cache)

    def must_not_parse(*args):
        raise AssertionError("a warm run parsed a file")

    monkeypatch.setattr(engine, "extract", must_not_parse)
    assert found(repo, use_cache=True, cache_dir=cache) == cold
    os.utime(repo / "a.py", ns=(1, 1))  # touched, same content: read and hashed, but not parsed
    assert found(repo, use_cache=True, cache_dir=cache) == cold
    (repo / "a.py").write_text("import numpy  # changed\n")
    monkeypatch.undo()
    assert found(repo, use_cache=True, cache_dir=cache) == cold


def test_a_change_that_keeps_size_and_mtime_is_still_seen_when_the_stat_differs(tmp_path):
    repo, cache = tmp_path / "repo", tmp_path / "cache"
    repo.mkdir()
    (repo / "a.py").write_text("x = 1\n")
    assert found(repo, use_cache=True, cache_dir=cache, select=["RPL001"]) == set()
    (repo / "a.py").write_text("x = (\n")  # same size; a new mtime
    assert found(repo, use_cache=True, cache_dir=cache, select=["RPL001"]) == {("RPL001", "a.py", 1)}


def test_parallel_and_sequential_runs_agree(tmp_path):
    for i in range(engine.PARALLEL_THRESHOLD + 6):
        (tmp_path / f"m{i}.py").write_text(f"import numpy\ndef f{i}(:\n" if i % 7 == 0 else f"x = {i}\n")
    assert found(tmp_path, jobs=2) == found(tmp_path, jobs=1)
    assert len([f for f in found(tmp_path, jobs=2) if f[0] == "RPL001"]) == 10


def test_an_unreadable_directory_is_an_error_and_the_rest_is_analyzed(tmp_path, monkeypatch):
    (tmp_path / "locked").mkdir()
    (tmp_path / "a.py").write_text("def f(:\n")
    real_scandir = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = run(tmp_path)
    assert result.errors == ["locked: cannot read directory (Permission denied)"]
    assert ("RPL001", "a.py") in {(f.code, f.path) for f in result.findings}


def test_unused_suppressions_only_for_rules_that_ran_or_codes_that_do_not_exist(tmp_path):
    (tmp_path / "a.py").write_text("x = 1  # reprolint: ignore[RPL001]\ny = 2  # reprolint: ignore[RPL777]\n")
    everything = found(tmp_path, show_unused_suppressions=True)
    assert {f for f in everything if f[0] == "RPL002"} == {("RPL002", "a.py", 1), ("RPL002", "a.py", 2)}
    # RPL001 did not run: its suppression cannot be judged; RPL777 is no rule at all
    assert found(tmp_path, show_unused_suppressions=True, select=["RPL002", "RPL601"]) == {
        ("RPL002", "a.py", 2), ("RPL601", ".", 1)}
