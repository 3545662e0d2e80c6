"""Provenance: the audited commit, branch and remote, read from .git without running git; forge permalinks."""
import json

from tests.conftest import run
from tests.test_cli import reprolint

SHA = "4f1c2e9a0b3d5c7e9f1a2b4c6d8e0f1a3b5c7d9e"


def _repository(root, head="ref: refs/heads/main\n", remote="https://alice:s3cret@github.com/alice/paper.git"):
    git = root / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text(head)
    (git / "refs" / "heads" / "main").write_text(SHA + "\n")
    (git / "config").write_text(f'[core]\n\tbare = false\n[remote "origin"]\n\turl = {remote}\n')
    (root / "train.py").write_text("import random\n\nprint(random.random())\n")


def test_json_names_the_commit_branch_and_remote_without_credentials(tmp_path):
    _repository(tmp_path)
    report = json.loads(reprolint(tmp_path, "--format", "json", "--select", "RPL101").stdout)
    origin = report["provenance"]
    assert (origin["commit"], origin["branch"], origin["remote"]) == (SHA, "main", "https://github.com/alice/paper.git")
    assert origin["configuration"]["rules_run"] == ["RPL101"] and origin["analyzed_at"].endswith("+00:00")
    [finding] = report["findings"]
    assert finding["url"] == f"https://github.com/alice/paper/blob/{SHA}/train.py#L3"


def test_detached_heads_packed_refs_and_other_forges(tmp_path):
    _repository(tmp_path, head=SHA + "\n", remote="git@gitlab.com:lab/model.git")
    result = run(tmp_path, select=["RPL101"])
    assert (result.provenance.commit, result.provenance.branch) == (SHA, None)
    assert result.provenance.permalink("a b.py", 7) == f"https://gitlab.com/lab/model/-/blob/{SHA}/a%20b.py#L7"
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/dev\n")
    (tmp_path / ".git" / "packed-refs").write_text(f"# pack-refs with: peeled\n{SHA} refs/heads/dev\n")
    assert run(tmp_path, select=["RPL101"]).provenance.branch == "dev"
    (tmp_path / ".git" / "config").write_text('[remote "origin"]\n\turl = https://example.org/x/y.git\n')
    assert run(tmp_path, select=["RPL101"]).provenance.permalink("train.py", 3) is None  # not a known forge


def test_a_git_folder_or_ref_that_leads_outside_is_not_read(tmp_path):
    outside, repo = tmp_path / "outside", tmp_path / "repo"
    outside.mkdir()
    repo.mkdir()
    _repository(outside)
    (repo / ".git").symlink_to(outside / ".git", target_is_directory=True)
    (repo / "train.py").write_text("print(1)\n")
    assert run(repo, select=["RPL101"]).provenance.commit is None
    _repository(repo / "inner")
    (repo / "inner" / ".git" / "HEAD").write_text("ref: ../../outside/.git/refs/heads/main\n")
    assert run(repo / "inner", select=["RPL101"]).provenance.commit is None


def test_the_audit_links_each_finding_to_its_line_on_the_forge(tmp_path):
    _repository(tmp_path)
    page = reprolint(tmp_path, "--format", "html", "--select", "RPL101").stdout
    assert f'href="https://github.com/alice/paper/blob/{SHA}/train.py#L3"' in page
    assert 'id="finding-1"' in page and 'href="#finding-1"' in page and 'id="area-randomness"' in page
    assert "s3cret" not in page and SHA[:12] in page
