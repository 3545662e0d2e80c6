"""The pre-commit hook, as a user meets it: `pre-commit try-repo` against this repository, in a fresh git
repository that has a reproducibility gap, then none. It installs reprolint into pre-commit's own environment
(language: python), so it needs PyPI and takes a minute; REPROLINT_SKIP_PRE_COMMIT=1 skips it."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

HERE = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(os.environ.get("REPROLINT_SKIP_PRE_COMMIT") == "1", reason="asked to skip")


def git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env=dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t",
                            GIT_COMMITTER_EMAIL="t@t"))


def try_repo(cwd, home):
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(HERE), "reprolint", "--all-files"],
                          cwd=cwd, capture_output=True, text=True, timeout=900,
                          env=dict(os.environ, PRE_COMMIT_HOME=str(home), REPROLINT_CACHE_DIR=str(home / "cache")))


def test_the_hook_fails_on_a_gap_and_passes_once_it_is_fixed(tmp_path):
    if not (HERE / ".git").exists():
        pytest.skip("pre-commit try-repo needs this repository as a git checkout")
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "documentation" / "complete", project)
    (project / "train.py").write_text((project / "train.py").read_text() + "\nimport random\nrandom.random()\n")
    git(project, "init", "-q")
    git(project, "add", "-A")
    failing = try_repo(project, tmp_path / "pre-commit-home")
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "reprolint" in failing.stdout and "Failed" in failing.stdout
    assert "RPL101" in failing.stdout

    shutil.copy(FIXTURES / "documentation" / "complete" / "train.py", project / "train.py")
    git(project, "add", "-A")
    passing = try_repo(project, tmp_path / "pre-commit-home")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed" in passing.stdout
