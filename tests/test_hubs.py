"""Models and datasets from hubs (RPL8xx): names loaded without a pinned revision; exact findings."""
from tests.conftest import FIXTURES, found, run

HUBS = FIXTURES / "hubs"


def test_hub_loads_of_training_and_evaluation_runs():
    # pinned by a commit or a tag, local folders, a value from an option and datasets' own builders are
    # silent; so is the demo, which measures nothing
    assert found(HUBS, select=["RPL8"]) == {
        ("RPL801", "train.py", 11), ("RPL801", "train.py", 13), ("RPL801", "train.py", 16),
        ("RPL801", "train.py", 18), ("RPL801", "evaluate.py", 4)}


def test_a_moving_branch_is_named():
    by_line = {f.line: f for f in run(HUBS, select=["RPL8"]).findings if f.path == "train.py"}
    assert "at the branch `main`, which moves" in by_line[13].message
    assert "`example-org/encoder-base` is loaded from a hub by name alone" in by_line[11].message


def test_a_folder_of_the_repository_is_not_a_hub_name(tmp_path):
    (tmp_path / "encoders" / "base").mkdir(parents=True)
    (tmp_path / "encoders" / "base" / "config.json").write_text("{}")
    (tmp_path / "train.py").write_text(
        "import torch\nfrom transformers import AutoModel\n\nmodel = AutoModel.from_pretrained('encoders/base')\n"
        "torch.optim.SGD(model.parameters(), lr=0.1).step()\n")
    assert found(tmp_path, select=["RPL8"]) == set()


def test_a_packages_examples_are_tutorials(tmp_path):
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "train.py").write_text(
        "import torch\nfrom transformers import AutoModel\n\nmodel = AutoModel.from_pretrained('example-org/base')\n"
        "torch.optim.SGD(model.parameters(), lr=0.1).step()\n")
    (tmp_path / "README.md").write_text("# tool\n\n```bash\npython examples/train.py\n```\n")
    assert found(tmp_path, select=["RPL8"]) == {("RPL801", "examples/train.py", 4)}
    (tmp_path / "setup.py").write_text("from setuptools import setup\n\nsetup(name='tool', install_requires=['torch'])\n")
    assert found(tmp_path, select=["RPL8"]) == set()
