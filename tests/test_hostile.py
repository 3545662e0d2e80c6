"""Hostile inputs: nothing that reprolint reads may make it run code (issue: hostile and broken repositories)."""
import os
import pickle
from pathlib import Path

import pytest

from reprolint import engine
from tests.conftest import found


class _Planted:
    """Unpickling this creates a marker file: proof that a cache was unpickled."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "train.py").write_text("import random\nrandom.random()\n")
    return repo


def _plant_everywhere(cache: Path, payload: bytes) -> None:
    cache.mkdir(exist_ok=True)
    for name in ("facts-planted.pickle", "facts-planted.cache"):
        (cache / name).write_bytes(payload)
    for existing in cache.glob("facts-*"):
        existing.write_bytes(payload)


def test_a_planted_pickle_in_the_cache_folder_runs_nothing(tmp_path):
    repo, cache, marker = _repo(tmp_path), tmp_path / "cache", tmp_path / "unpickled"
    expected = found(repo, use_cache=True, cache_dir=cache)  # creates the cache file, then replace it
    _plant_everywhere(cache, pickle.dumps({"version": None, "facts": _Planted(marker), "by_stat": {}}))
    assert found(repo, use_cache=True, cache_dir=cache) == expected
    assert not marker.exists()


def test_a_cache_with_a_valid_header_but_altered_payload_is_ignored(tmp_path):
    repo, cache = _repo(tmp_path), tmp_path / "cache"
    expected = found(repo, use_cache=True, cache_dir=cache)
    (written,) = cache.glob("facts-*.cache")
    blob = bytearray(written.read_bytes())
    blob[-5:] = b"XXXXX"
    written.write_bytes(bytes(blob))
    assert found(repo, use_cache=True, cache_dir=cache) == expected


def test_a_cache_file_others_may_write_is_not_read(tmp_path, monkeypatch):
    repo, cache = _repo(tmp_path), tmp_path / "cache"
    expected = found(repo, use_cache=True, cache_dir=cache)
    (written,) = cache.glob("facts-*.cache")
    os.chmod(written, 0o666)
    parsed = []
    real_extract = engine.extract
    monkeypatch.setattr(engine, "extract", lambda *a: parsed.append(a[0]) or real_extract(*a))
    assert found(repo, use_cache=True, cache_dir=cache) == expected
    assert parsed == ["train.py"]  # parsed afresh: the world-writable cache was not trusted


def test_the_cache_round_trips_every_kind_of_fact(tmp_path, fixtures):
    from reprolint.facts.codec import decode, encode

    result = engine.analyze(engine.Options(paths=[fixtures / "demo"], use_cache=False))
    for file in result.project.files.values():
        assert decode(encode(file.facts)) == file.facts, file.rel


SECRET = "TOPSECRET-do-not-leak-4c1d"


def _secret(tmp_path: Path) -> Path:
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(f"{SECRET}==1.0\nnumpy\n")
    return secret


def _all_reports(repo: Path, tmp_path: Path) -> str:
    """Every report format of one run, concatenated."""
    from typer.testing import CliRunner

    from reprolint.cli import app

    texts = []
    for fmt in ("text", "json", "sarif", "github", "html"):
        out = tmp_path / f"report.{fmt}"
        result = CliRunner().invoke(app, ["check", str(repo), "--no-cache", "--format", fmt, "--output", str(out)])
        assert result.exit_code in (0, 1), result.output
        texts.append(out.read_text() + result.output)
    return "\n".join(texts)


def test_an_outward_symlink_is_not_followed_and_leaks_nothing(tmp_path):
    repo, secret = _repo(tmp_path), _secret(tmp_path)
    os.symlink(secret, repo / "requirements.txt")
    os.symlink(secret.parent, repo / "vendor")
    result = engine.analyze(engine.Options(paths=[repo], use_cache=False))
    assert "requirements.txt" not in result.project.files and not any(r.startswith("vendor") for r in result.project.all_paths)
    assert {"requirements.txt: symbolic link to outside the analyzed folder skipped",
            "vendor: symbolic link to outside the analyzed folder skipped"} <= set(result.notes)
    assert SECRET not in _all_reports(repo, tmp_path)


def test_includes_outside_the_repository_are_findings_and_never_read(tmp_path):
    repo, secret = _repo(tmp_path), _secret(tmp_path)
    (repo / "requirements.txt").write_text(f"-r {secret}\n-c file:{secret}\n-r ../outside/secret.txt\nnumpy==1.26\n")
    (repo / "environment.yml").write_text(f"dependencies:\n  - pip\n  - pip:\n    - -r {secret}\n")
    assert {f for f in found(repo) if f[0] == "RPL306"} == {
        ("RPL306", "requirements.txt", 1), ("RPL306", "requirements.txt", 2), ("RPL306", "requirements.txt", 3),
        ("RPL306", "environment.yml", 4)}
    assert SECRET not in _all_reports(repo, tmp_path)


def test_fix_never_writes_through_a_symbolic_link(tmp_path):
    from reprolint import fixes
    from reprolint.fixes import Autofix

    outside = tmp_path / "outside.py"
    outside.write_text("x = 1\n")
    repo = tmp_path / "repo"
    (repo / "real").mkdir(parents=True)
    (repo / "real" / "a.py").write_text("x = 1\n")
    os.symlink(outside, repo / "linked.py")
    os.symlink(repo / "real", repo / "folder")

    class Finding:
        autofixes = tuple(Autofix(path, "k", True, "append", lambda text: text + "y = 2\n")
                          for path in ("linked.py", "folder/a.py", "../outside.py", "real/a.py"))

    outcome = fixes.apply(repo, [Finding()])
    assert outcome.dropped == ["linked.py: a symbolic link: not fixed",
                               "folder/a.py: under the symbolic link folder: not fixed",
                               "../outside.py: outside the analyzed folder: not fixed"]
    assert outside.read_text() == "x = 1\n" and (repo / "linked.py").is_symlink()
    assert (repo / "real" / "a.py").read_text() == "x = 1\ny = 2\n"





@pytest.mark.parametrize("config, says", [
    ('[tool.reprolint.weights]\nRandomness = inf\n', "'weights' must be"),
    ('[tool.reprolint.weights]\nRandomness = nan\n', "'weights' must be"),
    ('tool = "x"\n', "[tool] must be a table"),
    ('[tool]\nreprolint = 5\n', "[tool.reprolint] must be a table"),
    ('[tool.reprolint]\nexclude = ["[z-a]"]\n', "'exclude' must be"),
])
def test_absurd_configs_exit_2_naming_the_key(tmp_path, config, says):
    from tests.test_cli import reprolint

    repo = _repo(tmp_path)
    (repo / "pyproject.toml").write_text(config)
    result = reprolint(repo, "--no-cache")
    assert result.returncode == 2 and says in result.stderr and "Traceback" not in result.stderr


def test_a_full_device_is_an_error_exit_2_not_a_traceback(tmp_path):
    from tests.test_cli import reprolint

    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    result = reprolint(_repo(tmp_path), "--no-cache", "--output", "/dev/full")
    assert result.returncode == 2 and "cannot write the report" in result.stderr and "Traceback" not in result.stderr


def test_control_characters_in_file_names_cannot_drive_a_terminal_or_forge_a_diff(tmp_path):
    from tests.test_cli import reprolint

    repo = tmp_path / "repo"
    repo.mkdir()
    evil = repo / "evil\x1b[2J\x07.py"
    evil.write_text("import random\nrandom.random()\n")
    (repo / "requirements.txt").write_text("numpy\n")
    for fmt in ("text", "github"):
        result = reprolint(repo, "--no-cache", "--format", fmt)
        assert result.returncode == 1 and "\x1b" not in result.stdout + result.stderr, fmt
        assert "evil\\x1b[2J\\x07.py" in result.stdout, fmt
    from reprolint import fixes

    outcome = fixes.FixOutcome(changed={"a\n+++ b/forged.py": ("x\n", "y\n")})
    assert all(not line.startswith("+++ b/forged") for line in outcome.diff().splitlines())


def test_a_broken_module_and_misshapen_manifests_do_not_stop_the_rules(tmp_path):
    import json

    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "train.py").write_text("import broken\nimport random\n\nif __name__ == '__main__':\n"
                                   "    broken.f()\n    random.random()\n")
    (repo / "broken.py").write_text("def f(:\n")
    (repo / "environment.yml").write_text("dependencies: 5\nchannels: 7\n")
    (repo / "a.ipynb").write_text(json.dumps({"cells": "x", "nbformat": 4}))
    (repo / "b.ipynb").write_text(json.dumps({"cells": [{"cell_type": "code", "source": [5, "import os\n"]}]}))
    (repo / "c.ipynb").write_text(json.dumps({"cells": [{"cell_type": "code", "source": [
        "!pip install \\\\\n", "    numpy\n", "import random\n", "random.random()\n"]}], "nbformat": 4}))
    result = engine.analyze(engine.Options(paths=[repo], use_cache=False))
    assert result.errors == []
    codes = {(f.code, f.path) for f in result.findings}
    assert {("RPL001", "broken.py"), ("RPL101", "train.py"), ("RPL101", "c.ipynb")} <= codes
    assert ("RPL001", "c.ipynb") not in codes  # the continued shell line parses


def test_files_that_would_crash_a_parser_become_findings_and_the_rest_is_analyzed(tmp_path):
    import json

    repo = _repo(tmp_path)
    terms = "(" + "\n+ ".join(["1"] * 50_000) + ")"  # libcst's native parser overflows its stack here (a segfault)
    (repo / "setup.py").write_text(f"from setuptools import setup\nsetup(name='x', install_requires=['numpy'])\n"
                                   f"VERSION = {terms}\n")
    (repo / "nested.py").write_text("x = " + "(" * 3000 + "1" + ")" * 3000 + "\n")
    (repo / "chain.py").write_text("import torch\ny = (torch" + "\n.a()" * 20_000 + ")\n")
    (repo / "cells.ipynb").write_text(json.dumps({"cells": 5, "nbformat": 4}))
    result = engine.analyze(engine.Options(paths=[repo], use_cache=False))
    assert result.errors == []
    codes = {(f.code, f.path) for f in result.findings}
    assert {("RPL001", "nested.py"), ("RPL001", "chain.py"), ("RPL001", "cells.ipynb"), ("RPL101", "train.py")} <= codes


def test_thousands_of_links_on_one_readme_line_cost_linear_time(tmp_path):
    import time

    repo = _repo(tmp_path)
    (repo / "README.md").write_text("# x\n" + " ".join(f"[data {i}](f{i}.md)" for i in range(20_000)) + "\n")
    started = time.perf_counter()
    engine.analyze(engine.Options(paths=[repo], use_cache=False)).checklist
    assert time.perf_counter() - started < 20  # quadratic, it took minutes


def test_sarif_uris_are_percent_encoded(tmp_path):
    import json

    from reprolint.report import sarif

    repo = _repo(tmp_path)
    (repo / "train.py").rename(repo / "my train%.py")
    document = json.loads(sarif.render(engine.analyze(engine.Options(paths=[repo], use_cache=False))))
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
            for r in document["runs"][0]["results"] for loc in r.get("locations", [])}
    assert "my%20train%25.py" in uris and "my train%.py" not in uris


def test_a_file_that_takes_too_long_to_read_is_skipped_with_a_note(tmp_path, monkeypatch):
    import time

    repo = _repo(tmp_path)
    (repo / "slow.py").write_text("import os\n")
    real = engine.extract

    def slow_on_one_file(rel, kind, content):
        if rel == "slow.py":
            time.sleep(5)
        return real(rel, kind, content)
    monkeypatch.setattr(engine, "extract", slow_on_one_file)
    monkeypatch.setattr(engine, "FILE_TIME_LIMIT", 0.2)
    result = engine.analyze(engine.Options(paths=[repo], use_cache=False, jobs=1))
    assert "slow.py: skipped: reading it took longer than 0.2 s" in result.notes
    assert result.errors == [] and ("RPL101", "train.py") in {(f.code, f.path) for f in result.findings}


@pytest.mark.skipif(os.name != "posix", reason="signals")
def test_a_reader_that_crashes_its_process_costs_only_its_file(tmp_path, monkeypatch):
    import multiprocessing
    import signal

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the planted crash reaches the workers only when they are forked")
    repo = _repo(tmp_path)
    for number in range(engine.PARALLEL_THRESHOLD):
        (repo / f"module_{number}.py").write_text(f"VALUE = {number}\n")
    real = engine.extract

    def crash_on_one_file(rel, kind, content):
        if rel == "module_7.py":
            os.kill(os.getpid(), signal.SIGSEGV)
        return real(rel, kind, content)
    monkeypatch.setattr(engine, "extract", crash_on_one_file)
    result = engine.analyze(engine.Options(paths=[repo], use_cache=False, jobs=2))
    assert "module_7.py: skipped: its reader crashed the process that read it" in result.notes
    assert "module_8.py" in result.project.files and ("RPL101", "train.py") in {(f.code, f.path) for f in result.findings}


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")
def test_parser_workers_die_with_a_killed_run(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    repo = tmp_path / "repo"
    repo.mkdir()
    body = "".join(f"def f{i}(x):\n    return [x + {i} for _ in range(3)]\n" for i in range(300))
    for number in range(600):
        (repo / f"m{number}.py").write_text(f"# {number}\n" + body)
    run = subprocess.Popen([sys.executable, "-m", "reprolint", "check", str(repo), "--no-cache", "--jobs", "2"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children: set = set()
    deadline = time.monotonic() + 30
    while not children and run.poll() is None and time.monotonic() < deadline:
        children = {int(pid) for task in Path(f"/proc/{run.pid}/task").glob("*")
                    for pid in (task / "children").read_text().split()} if Path(f"/proc/{run.pid}").exists() else set()
        time.sleep(0.05)
    if not children:
        pytest.skip("the run ended before its workers could be seen")
    run.send_signal(signal.SIGKILL)
    run.wait()
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() and "Z" not in _state(pid) for pid in children):
        assert time.monotonic() < deadline, "parser workers outlived the killed run"
        time.sleep(0.05)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def test_a_huge_one_line_literal_is_skipped_with_a_note_not_parsed(tmp_path):
    repo = _repo(tmp_path)
    (repo / "table.py").write_text("X = [" + ",".join(map(str, range(300_000))) + "]\n")
    result = engine.analyze(engine.Options(paths=[repo], use_cache=False, jobs=1))
    assert any(n.startswith("table.py: skipped: a line of 1,988,895 characters") for n in result.notes)
    assert result.errors == [] and "table.py" not in result.project.files
