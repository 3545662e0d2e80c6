"""Environment (RPL4xx): the Python version and the CUDA wheel index, exact findings."""
import pytest

from tests.conftest import FIXTURES, found, run

ENV = FIXTURES / "environment"


@pytest.mark.parametrize("fixture, expected", [
    ("cuda_no_index", {("RPL402", "requirements.txt", 1)}),  # once, for torch: torchvision follows its build
    ("cuda_pin_no_index", {("RPL403", "requirements.txt", 1)}),
    ("cuda_index_mismatch", {("RPL404", "requirements.txt", 2)}),
    ("cuda_cpu_index", {("RPL404", "requirements.txt", 2)}),
    ("cuda_index_ok", set()),
    ("cpu_only", set()),
    ("cuda_uv", set()),
    ("cuda_conda", set()),
    ("cuda_readme", set()),  # the README's install command names the index
    ("no_python_version", {("RPL401", "requirements.txt", 1)}),
    ("python_in_dockerfile", set()),
    ("python_in_install_guide", set()),  # `conda create ... python=3.10` in docs/INSTALL.md
    ("python_in_readme_prose", set()),  # "Python 3.9 or later" in the README
])
def test_environment_findings(fixture, expected):
    assert found(ENV / fixture, select=["RPL0", "RPL3", "RPL4"]) == expected


def test_cuda_messages_name_the_evidence():
    [finding] = run(ENV / "cuda_no_index", select=["RPL402"]).findings
    assert "train.py:4" in finding.message and "torch==2.2.2" in finding.message
    [finding] = run(ENV / "cuda_index_mismatch", select=["RPL404"]).findings
    assert "cu121 build" in finding.message and "requirements.txt:1 serves cu118" in finding.message
    [finding] = run(ENV / "cuda_pin_no_index", select=["RPL403"]).findings
    assert "https://download.pytorch.org/whl/cu121" in finding.fix


def test_a_library_leaves_the_cuda_build_to_its_users(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[build-system]\nbuild-backend = "setuptools.build_meta"\n[project]\nname = "lib"\nversion = "1"\n'
        'requires-python = ">=3.9"\ndependencies = ["torch>=2.0"]\n')
    (tmp_path / "lib.py").write_text("import torch\nx = torch.zeros(1).cuda()\n")
    assert found(tmp_path, select=["RPL3", "RPL4"]) == set()
    (tmp_path / "reprolint.toml").write_text('dependency-policy = "application"\n')
    assert found(tmp_path, select=["RPL3", "RPL4"]) == {("RPL303", "pyproject.toml", 7),
                                                         ("RPL402", "pyproject.toml", 7)}


def test_a_cpu_index_in_a_cpu_or_arm_build_does_not_decide_the_cuda_story(tmp_path):
    (tmp_path / "requirements.txt").write_text("torch==2.1.2\n")
    (tmp_path / "train.py").write_text("import torch\n\nif __name__ == '__main__':\n"
                                       "    model = torch.nn.Linear(2, 2).cuda()\n    model(torch.zeros(1, 2).cuda()).sum().backward()\n")
    cpu_index = "RUN pip install -r requirements.txt --extra-index-url https://download.pytorch.org/whl/cpu\n"
    (tmp_path / "docker").mkdir()
    (tmp_path / "docker" / "Dockerfile-arm64").write_text("FROM arm64v8/ubuntu:24.04\n" + cpu_index)
    (tmp_path / "docker" / "Dockerfile.jetson").write_text("FROM --platform=linux/arm64 ubuntu:24.04\n" + cpu_index)
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yml").write_text(
        "jobs:\n  test:\n    steps:\n      - run: pip install torch --index-url https://download.pytorch.org/whl/cpu\n")
    assert found(tmp_path, select=["RPL404"]) == set()
    (tmp_path / "Dockerfile").write_text("FROM ubuntu:24.04\n" + cpu_index)
    assert found(tmp_path, select=["RPL404"]) == {("RPL404", "requirements.txt", 1)}


@pytest.mark.parametrize("fixture, expected", [
    # a build argument's default is the image; a major version alone moves; so does a definition's `From:`
    ("moving", {("RPL405", "Dockerfile", 2), ("RPL405", "Dockerfile", 5), ("RPL405", "Singularity.def", 2)}),
    # full versions, a digest, an earlier stage and scratch are one build each
    ("pinned", set()),
    ("build_argument", set()),  # the Makefile's build passes the image, so the argument's default is not built
])
def test_container_base_images(fixture, expected):
    assert found(ENV / "containers" / fixture, select=["RPL405"]) == expected


def test_base_image_message_says_why_it_moves():
    messages = {f.line: f.message for f in run(ENV / "containers" / "moving", select=["RPL405"]).findings
                if f.path == "Dockerfile"}
    assert "`pytorch/pytorch` has no tag, so it is `:latest`" in messages[2]
    assert "`3-slim`, a major version" in messages[5]
