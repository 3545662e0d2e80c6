"""Paths and data (RPL7xx): machine-specific paths, unchecked downloads, unpinned clones; exact findings."""
import pytest

from tests.conftest import FIXTURES, found, run

PATHS = FIXTURES / "paths"


@pytest.mark.parametrize("fixture, expected", [
    # the docstring, the message, the Colab test and what it guards, system and container paths are silent;
    # the f-string's leading part counts (line 29), and a site test the code cannot do without (line 34)
    ("code", {("RPL702", "train.py", 9), ("RPL702", "train.py", 16), ("RPL701", "train.py", 25)}),
    ("configs", {("RPL701", "train.yaml", 2)}),  # not the comment; the list item is named in the message
    ("scripts", {("RPL701", "run.sh", 6)}),  # not the comment, the pattern test or the container's paths
    ("library", set()),  # a library module's own demo under its main guard is not a run of the repository
    # a tarball without a check; not the installer piped to bash, the web page, the checked script, the
    # positional md5, check_hash=True, or the tool a Dockerfile installs
    ("downloads", {("RPL703", "get_data.sh", 3), ("RPL703", "datasets.py", 8)}),
    # a checkout of a commit or a tag pins; a checkout of main does not
    ("clones", {("RPL704", "setup.sh", 1), ("RPL704", "branch/setup.sh", 1)}),
])
def test_paths_findings(fixture, expected):
    assert found(PATHS / fixture, select=["RPL7"]) == expected


def test_messages_say_what_and_where():
    by_line = {f.line: f for f in run(PATHS / "code", select=["RPL7"]).findings}
    assert "`/home/alice/projects/cifar/train.npz`" in by_line[25].message and "(also lines 29, 34)" in by_line[25].message
    assert "default of --data is `/scratch/alice/imagenet`" in by_line[9].message
    assert "default of `cache`" in by_line[16].message
    [config] = run(PATHS / "configs", select=["RPL701"]).findings
    assert "config key `data_root`" in config.message and "(also line 6)" in config.message
    [clone] = run(PATHS / "clones" / "setup.sh", select=["RPL704"]).findings
    assert "https://github.com/example/toolkit.git" in clone.message


def test_a_notebook_clone_and_path_are_found(tmp_path):
    import json
    cells = [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
              "source": "!git clone https://github.com/example/repo\nimport numpy as np\n"},
             {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
              "source": "x = np.load('/content/drive/MyDrive/x.npy')\n"}]
    (tmp_path / "demo.ipynb").write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                                                     "cells": cells}))
    assert found(tmp_path, select=["RPL7"]) == {("RPL704", "demo.ipynb", "cell 1:1"),
                                                 ("RPL701", "demo.ipynb", "cell 2:1")}


def _big_csv(root, rel="data/train.csv"):
    (root / "pyproject.toml").write_text("[tool.reprolint]\nlarge-data-kb = 1\n")
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text("x,y\n" + "0.5,1\n" * 400)


def test_large_data_committed_raw(tmp_path):
    _big_csv(tmp_path)
    assert found(tmp_path, select=["RPL705"]) == {("RPL705", "data/train.csv", 1)}
    (tmp_path / "data" / ".gitattributes").write_text("# LFS\ntrain.csv filter=lfs diff=lfs merge=lfs -text\n")
    assert found(tmp_path, select=["RPL705"]) == set()  # a nested .gitattributes matches within its folder
    (tmp_path / "data" / ".gitattributes").unlink()
    (tmp_path / "data" / "train.csv.dvc").write_text("outs:\n- path: train.csv\n")
    assert found(tmp_path, select=["RPL705"]) == set()


OID = "4d7a2146cae0b3a9c11f8e3f5c2b6a1d9e8f7c6b5a4d3e2f1a0b9c8d7e6f5a4b"


def test_lfs_pointers_without_their_object(tmp_path):
    (tmp_path / "model.pth").write_text(f"version https://git-lfs.github.com/spec/v1\noid sha256:{OID}\nsize 9\n")
    assert found(tmp_path, select=["RPL706"]) == set()  # no .git: nothing to look the object up in
    (tmp_path / ".git").mkdir()
    assert found(tmp_path, select=["RPL706"]) == {("RPL706", "model.pth", 1)}
    store = tmp_path / ".git" / "lfs" / "objects" / OID[:2] / OID[2:4]
    store.mkdir(parents=True)
    (store / OID).write_text("weights")
    assert found(tmp_path, select=["RPL706"]) == set()


def test_a_git_folder_that_leads_outside_is_not_read(tmp_path):
    outside, repo = tmp_path / "outside", tmp_path / "repo"
    (outside / "lfs" / "objects").mkdir(parents=True)
    repo.mkdir()
    (repo / ".git").symlink_to(outside, target_is_directory=True)
    (repo / "model.pth").write_text(f"version https://git-lfs.github.com/spec/v1\noid sha256:{OID}\nsize 9\n")
    assert found(repo, select=["RPL706"]) == set()


def test_a_default_every_command_overrides_is_never_used(tmp_path):
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "train.py").write_text(
        "import argparse\n\nparser = argparse.ArgumentParser()\n"
        "parser.add_argument('--data', default='/home/alice/data')\n"
        "parser.add_argument('--out', default='/home/alice/out')\nargs = parser.parse_args()\n")
    (tmp_path / "run.sh").write_text("root=/opt/code\npython ${root}/bin/train.py \\\n  --data data/ \\\n  --out out/\n"
                                     "python bin/train.py --data=data/\n")
    # --data is given by both commands (one continued over lines, one under a variable root); --out by one only
    assert found(tmp_path, select=["RPL702"]) == {("RPL702", "bin/train.py", 5)}


def test_a_copy_of_a_released_package_is_not_the_repositorys_code(tmp_path):
    (tmp_path / "third_party" / "fastlib").mkdir(parents=True)
    (tmp_path / "third_party" / "fastlib" / "__init__.py").write_text("__version__ = '0.6.0'\n")
    (tmp_path / "third_party" / "fastlib" / "demo.py").write_text("import numpy\nnumpy.load('/home/bob/x.npy')\n")
    (tmp_path / "train.py").write_text("import numpy\nnumpy.load('/home/alice/x.npy')\n")
    assert found(tmp_path, select=["RPL701"]) == {("RPL701", "train.py", 2)}


def test_outputs_and_mounts_in_scripts_are_not_missing_inputs(tmp_path):
    (tmp_path / "run.sh").write_text(
        "python train.py --output_dir /weka/alice/runs --data /weka/alice/data\n"
        "gantry run --weka oe-default:/weka/oe-default --mount /mnt/store:/store -- python eval.py\n"
        "save_dir=/scratch/alice/ckpt\n")
    assert found(tmp_path, select=["RPL701"]) == {("RPL701", "run.sh", 1)}
    [finding] = run(tmp_path, select=["RPL701"]).findings
    assert "`/weka/alice/data`" in finding.message and "also" not in finding.message


def test_a_file_test_of_the_programs_own_path_guards_nothing(tmp_path):
    (tmp_path / "train.py").write_text(
        "import os\nimport numpy as np\n\n\ndef load(cache):\n    if os.path.exists(cache):\n"
        "        return np.load(cache)\n    else:\n        return np.load('/home/alice/raw.npy')\n")
    assert found(tmp_path, select=["RPL701"]) == {("RPL701", "train.py", 9)}
