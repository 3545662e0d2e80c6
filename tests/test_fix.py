"""--fix: proven by running the code before and after, on every fixable fixture, and on the file's own bytes."""
import shutil
import subprocess
import sys

import pytest

from reprolint import fixes
from reprolint.fixes import Autofix
from tests.conftest import FIXTURES, run
from tests.test_cli import reprolint

FIX = FIXTURES / "fix"


def copy(fixture, tmp_path):
    target = tmp_path / fixture.name
    shutil.copytree(fixture, target)
    return target


def two_runs(folder):
    outputs = [subprocess.run([sys.executable, "train.py"], cwd=folder, capture_output=True, text=True,
                              timeout=300, check=True).stdout for _ in range(2)]
    assert outputs[0].strip()
    return outputs


def prove(folder):
    first, second = two_runs(folder)
    assert first != second, "the unfixed script should not repeat itself"
    result = reprolint(folder, "--fix", "--select", "RPL1,RPL2")
    assert "reprolint: fixed:" in result.stderr
    first, second = two_runs(folder)
    assert first == second, "after --fix, two runs must give bit-identical results"
    before = (folder / "train.py").read_bytes()
    reprolint(folder, "--fix", "--select", "RPL1,RPL2")
    assert (folder / "train.py").read_bytes() == before, "a second --fix must change nothing"
    return run(folder, select=["RPL1", "RPL2"]).findings


def test_random_and_numpy_repeat_after_fix(tmp_path):
    pytest.importorskip("numpy")
    remaining = prove(copy(FIX / "runtwice", tmp_path))
    assert remaining == []
    assert "np.random.seed(args.seed)" in (tmp_path / "runtwice" / "train.py").read_text()  # its own --seed


def test_a_flat_script_runs_and_repeats_after_fix(tmp_path):
    """No main guard: the SEED constant the fix adds is defined before the seeding statements that use it."""
    pytest.importorskip("numpy")
    assert prove(copy(FIX / "runtwice_flat", tmp_path)) == []


def test_pytorch_on_the_cpu_repeats_after_fix(tmp_path):
    pytest.importorskip("torch")
    remaining = prove(copy(FIX / "runtwice_torch", tmp_path))
    assert remaining == []
    text = (tmp_path / "runtwice_torch" / "train.py").read_text()
    assert "torch.backends.cudnn.benchmark = False" in text and "worker_init_fn=seed_worker" in text


def fixable_fixtures():
    return sorted(p.parent for p in FIXTURES.rglob("*.py") if "fix" not in p.parts)


def test_every_fixable_fixture_is_left_without_fixable_findings(tmp_path):
    fixed = 0
    for folder in sorted({p for p in fixable_fixtures()}):
        root = folder
        while root.parent != FIXTURES and root.parent.parent != FIXTURES:
            root = root.parent
        result = run(root)
        if not any(f.fixable == "safe" for f in result.findings):
            continue
        target = tmp_path / f"{root.parent.name}-{root.name}"
        if target.exists():
            continue
        shutil.copytree(root, target)
        outcome = fixes.apply(target, run(target).findings)
        assert outcome.changed and not outcome.dropped, (root, outcome.dropped)
        left = [f for f in run(target).findings if f.fixable == "safe"]
        assert left == [], (root, left)
        assert not fixes.apply(target, run(target).findings).changed, root  # idempotent
        fixed += 1
    assert fixed >= 5


def test_encoding_and_line_endings_are_kept(tmp_path):
    source = "# -*- coding: latin-1 -*-\r\n# caf\xe9\r\nimport random\r\n\r\nif __name__ == '__main__':\r\n" \
             "    print(random.random())\r\n"
    (tmp_path / "train.py").write_bytes(source.encode("latin-1"))
    fixes.apply(tmp_path, run(tmp_path, select=["RPL101"]).findings)
    data = (tmp_path / "train.py").read_bytes()
    assert b"caf\xe9" in data and b"random.seed(SEED)\r\n" in data
    assert data.count(b"\n") == data.count(b"\r\n")


def test_a_fix_that_would_not_parse_is_dropped(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n")
    broken = Autofix("a.py", "k", True, "break it", lambda text: text + "def (:\n")

    class Finding:
        autofixes = (broken,)

    outcome = fixes.apply(tmp_path, [Finding()])
    assert outcome.changed == {} and "would not parse" in outcome.dropped[0]
    assert (tmp_path / "a.py").read_text() == "x = 1\n"


def test_diff_writes_nothing_and_unsafe_fixes_need_the_flag(tmp_path):
    folder = copy(FIXTURES / "demo", tmp_path)
    before = (folder / "train.py").read_text()
    result = reprolint(folder, "--diff", "--select", "RPL2")
    assert result.returncode == 1 and "+    cudnn.deterministic = True" in result.stdout
    assert "use_deterministic_algorithms" not in result.stdout
    unsafe = reprolint(folder, "--diff", "--unsafe-fixes", "--select", "RPL2")
    assert "+    torch.use_deterministic_algorithms(True)" in unsafe.stdout
    assert '+    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")' in unsafe.stdout  # torch unpinned
    assert (folder / "train.py").read_text() == before


def test_findings_say_whether_they_are_fixable():
    findings = {f.code: f.fixable for f in run(FIXTURES / "demo").findings}
    assert findings["RPL101"] == "safe" and findings["RPL201"] == "safe" and findings["RPL103"] == "safe"
    assert findings["RPL202"] == "unsafe" and findings["RPL305"] == "unsafe" and findings["RPL604"] == "unsafe"
    assert findings["RPL402"] is None
    assert "fixable with --fix" in reprolint(FIXTURES / "demo").stdout


def test_pin_from_env_pins_to_the_installed_version(tmp_path):
    from importlib.metadata import version

    (tmp_path / "requirements.txt").write_text("jinja2  # tests\n")
    (tmp_path / "main.py").write_text("import jinja2\n")
    assert reprolint(tmp_path, "--diff", "--select", "RPL302").stdout == ""  # no lock: no version to pin to
    reprolint(tmp_path, "--fix", "--pin-from-env", "--select", "RPL302")
    assert (tmp_path / "requirements.txt").read_text() == f"jinja2=={version('jinja2')}  # tests\n"


def test_pins_edit_the_requirement_the_parser_located_not_a_line_that_mentions_it(tmp_path):
    from importlib.metadata import version

    jinja2_version, pluggy = version('jinja2'), version("pluggy")
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nkeywords = ["jinja2", "pluggy"]\nrequires-python = ">=3.9"\n'
        '# jinja2 and pluggy are what we need\ndependencies = [\n    "jinja2",\n    "pluggy",\n]\n')
    (tmp_path / "main.py").write_text("import jinja2\nimport pluggy\n")
    reprolint(tmp_path, "--fix", "--pin-from-env", "--select", "RPL302")
    assert (tmp_path / "pyproject.toml").read_text() == (
        '[project]\nname = "demo"\nkeywords = ["jinja2", "pluggy"]\nrequires-python = ">=3.9"\n'
        f'# jinja2 and pluggy are what we need\ndependencies = [\n    "jinja2=={jinja2_version}",\n'
        f'    "pluggy=={pluggy}",\n]\n')


def test_a_conda_pin_lands_on_its_package_not_on_a_channel_or_comment_of_that_name(tmp_path):
    from importlib.metadata import version

    environment = "channels:\n  - jinja2\ndependencies:\n  - python=3.10\n  # jinja2 for the tests\n  - jinja2\n"
    (tmp_path / "environment.yml").write_text(environment)
    (tmp_path / "main.py").write_text("import jinja2\n")
    reprolint(tmp_path, "--fix", "--pin-from-env", "--select", "RPL302")
    assert (tmp_path / "environment.yml").read_text() == (
        f"channels:\n  - jinja2\ndependencies:\n  - python=3.10\n  # jinja2 for the tests\n  - jinja2={version('jinja2')}\n")


def test_a_fix_that_inserts_a_line_does_not_move_a_pin_of_the_same_file(tmp_path):
    from importlib.metadata import version

    (tmp_path / "requirements.txt").write_text("torch==2.1.0+cu118\njinja2\n")
    (tmp_path / "main.py").write_text("import torch\nimport jinja2\ntorch.cuda.is_available()\n")
    reprolint(tmp_path, "--fix", "--unsafe-fixes", "--pin-from-env", "--select", "RPL3,RPL4")
    fixed = (tmp_path / "requirements.txt").read_text()
    assert fixed == f"--extra-index-url https://download.pytorch.org/whl/cu118\ntorch==2.1.0+cu118\njinja2=={version('jinja2')}\n"
    reprolint(tmp_path, "--fix", "--unsafe-fixes", "--pin-from-env", "--select", "RPL3,RPL4")
    assert (tmp_path / "requirements.txt").read_text() == fixed


def test_unsafe_fixes_declare_imports_and_sketch_the_readme(tmp_path):
    folder = copy(FIXTURES / "dependencies" / "undeclared", tmp_path)
    reprolint(folder, "--fix", "--unsafe-fixes", "--select", "RPL305")
    declared = (folder / "requirements.txt").read_text().split()
    assert declared[0] == "numpy==1.26.4" and "opencv-python" in declared and "einops" in declared
    assert any(d.startswith("pyyaml") for d in declared)
    readme = copy(FIXTURES / "documentation" / "prose_only", tmp_path)
    reprolint(readme, "--fix", "--unsafe-fixes", "--select", "RPL6")
    text = (readme / "README.md").read_text()
    assert "## Training\n\n```train\npython train.py  # TODO" in text and "## Evaluation" in text


def test_fixes_keep_the_file_s_layout(tmp_path):
    (tmp_path / "train.py").write_text(
        "import random\n\n\ndef main():\n\tloader = DataLoader(\n\t\tdata,\n\t\tshuffle=True,\n\t\tnum_workers=4,\n"
        "\t)\n\treturn random.random(), loader\n\n\nif __name__ == '__main__':\n\tmain()\n"
        "from torch.utils.data import DataLoader\n")
    fixes.apply(tmp_path, run(tmp_path, select=["RPL101", "RPL103"]).findings)
    text = (tmp_path / "train.py").read_text()
    assert "def main():\n\trandom.seed(SEED)\n" in text  # tabs stay tabs
    assert "\t\tnum_workers=4,\n\t\tgenerator=torch.Generator().manual_seed(SEED),\n" \
           "\t\tworker_init_fn=seed_worker,\n\t)" in text  # one argument a line, the trailing comma kept


def test_the_repository_s_own_seeding_helper_is_reused(tmp_path):
    (tmp_path / "utils.py").write_text(
        "import random\n\nimport numpy as np\n\n\ndef set_seed(seed):\n    random.seed(seed)\n"
        "    np.random.seed(seed)\n")
    (tmp_path / "train.py").write_text(
        "import random\n\nimport numpy as np\n\nif __name__ == '__main__':\n    print(random.random(), "
        "np.random.rand())\n")
    fixes.apply(tmp_path, run(tmp_path, select=["RPL101"]).findings)
    text = (tmp_path / "train.py").read_text()
    assert "from utils import set_seed\n" in text and "    set_seed(SEED)\n" in text
    assert "random.seed(" not in text
    assert run(tmp_path, select=["RPL101"]).findings == []


def test_a_notebook_is_seeded_in_a_first_code_cell_and_its_outputs_kept(tmp_path):
    import json

    cells = [{"cell_type": "markdown", "metadata": {}, "source": ["# Demo\n"]},
             {"cell_type": "code", "execution_count": 3, "metadata": {"tags": ["x"]},
              "outputs": [{"output_type": "stream", "name": "stdout", "text": ["0.42\n"]}],
              "source": ["import numpy as np\n", "import random\n", "print(np.random.rand(), random.random())"]}]
    notebook = {"cells": cells, "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
                "nbformat": 4, "nbformat_minor": 4}
    path = tmp_path / "demo.ipynb"
    path.write_text(json.dumps(notebook, indent=1) + "\n")
    assert reprolint(tmp_path, "--select", "RPL101", "--fix").returncode == 0
    fixed = json.loads(path.read_text())
    assert fixed["cells"][0] == cells[0] and fixed["cells"][2] == cells[1]  # outputs and counts untouched
    assert fixed["cells"][1]["source"] == ["import numpy\n", "import random\n", "\n", "SEED = 0\n",
                                           "numpy.random.seed(SEED)\n", "random.seed(SEED)"]
    assert fixed["metadata"] == notebook["metadata"]
    once = path.read_text()
    assert reprolint(tmp_path, "--select", "RPL101", "--fix").returncode == 0 and path.read_text() == once


def test_pin_from_env_pins_a_hub_name_to_the_commit_the_local_cache_recorded(tmp_path, monkeypatch):
    sha = "86b5e0934494bd15c9632b12f734a8a67f723594"
    refs = tmp_path / "hub" / "models--example-org--encoder-base" / "refs"
    refs.mkdir(parents=True)
    (refs / "main").write_text(sha)
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    repo = tmp_path / "repo"
    repo.mkdir()
    script = ("import torch\nfrom transformers import AutoModel\n\n"
              "model = AutoModel.from_pretrained('example-org/encoder-base')\n"
              "other = AutoModel.from_pretrained('example-org/not-cached')\n"
              "torch.optim.SGD(model.parameters(), lr=0.1).step()\n")
    (repo / "train.py").write_text(script)
    reprolint(repo, "--select", "RPL801", "--fix")
    assert (repo / "train.py").read_text() == script  # without --pin-from-env nothing is read from the cache
    reprolint(repo, "--select", "RPL801", "--fix", "--pin-from-env")
    fixed = (repo / "train.py").read_text()
    assert f"AutoModel.from_pretrained('example-org/encoder-base', revision=\"{sha}\")" in fixed
    assert "from_pretrained('example-org/not-cached')\n" in fixed  # no cached commit: left as it was
    [left] = run(repo, select=["RPL801"]).findings
    assert "not-cached" in left.message
