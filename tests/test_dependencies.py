"""Dependencies (RPL3xx): exact findings on fixtures that must fire and fixtures that must stay silent."""
import pytest

from reprolint.knowledge import distributions
from reprolint.knowledge.distributions import ModuleIndex, distributions_for, installed_modules, modules_of
from reprolint.readers.manifests import CONDA, PIP, POETRY, Dependency
from reprolint.rules.dependencies import EXACT, NONE, RANGE, TIGHT, pin_strength
from tests.conftest import FIXTURES, found, run

DEPS = FIXTURES / "dependencies"


def deps(name: str, **options) -> set:
    return found(DEPS / name, select=["RPL0", "RPL3", "RPL4"], **options)


def test_import_names_that_differ_from_distributions_and_cli_tools_stay_silent():
    assert deps("mapped") == set()


def test_src_layout_library_is_judged_by_ranges_and_imports_itself():
    # numpy>=1.22, and scipy with no version at all: a published library's metadata states what it supports, if
    # anything, and its users' lock files pin it
    assert deps("src_layout") == set()


def test_pip_compile_output_pins_what_the_in_file_leaves_open():
    # numpy and pandas are open in requirements.in and pinned in requirements.txt; pytz is a pinned transitive
    assert deps("compiled") == {
        ("RPL302", "environment.yml", 7),  # scipy
        ("RPL303", "environment.yml", 8),  # matplotlib>=3.5
        ("RPL303", "environment.yml", 10),  # seaborn~=0.13: a minor line only
    }


def test_a_lock_file_pins_what_it_records_and_a_stale_lock_is_named():
    result = run(DEPS / "locked", select=["RPL3"])
    assert [(f.code, f.path, f.line) for f in result.findings] == [("RPL302", "pyproject.toml", 5)]
    assert "uv.lock does not pin it either" in result.findings[0].message
    assert deps("pipfile") == {("RPL302", "Pipfile", 9)}  # flask; Pipfile.lock pins requests


def test_declared_but_never_used():
    # pandas is unused; seaborn is used in a notebook, cookiecutter from the Makefile, jupyter, pytest-cov and
    # torchvision are used without an import, and docs/requirements.txt is not judged
    assert deps("unused") == {("RPL304", "requirements.txt", 2)}


def test_used_without_import_from_config(tmp_path):
    (tmp_path / "requirements.txt").write_text("numpy==1.26.4\nmy-plugin==1.0\n")
    (tmp_path / "main.py").write_text("import numpy\n")
    (tmp_path / ".python-version").write_text("3.11\n")
    assert found(tmp_path, select=["RPL3"]) == {("RPL304", "requirements.txt", 2)}
    (tmp_path / "reprolint.toml").write_text('used-without-import = ["my_plugin"]\n')
    assert found(tmp_path, select=["RPL3"]) == set()


def test_imported_but_not_declared():
    assert deps("undeclared") == {
        ("RPL305", "evaluate.py", 1),  # yaml, once for both files that import it
        ("RPL305", "train.py", 3),  # cv2
        ("RPL305", "train.py", 5),  # tomllib: not in Python 3.10, the version the project declares
        ("RPL305", "train.py", 21),  # einops, imported lazily in a function
    }  # silent: wandb (optional), pandas (TYPE_CHECKING), utils and models (local), pytest (tests), and demo.ipynb,
    # which imports google.colab: it runs on Colab, whose runtime has matplotlib


def test_undeclared_import_names_the_distribution_to_add():
    messages = {f.line: f for f in run(DEPS / "undeclared", select=["RPL305"]).findings if f.path != "demo.ipynb"}
    assert "opencv-python or opencv-python-headless" in messages[3].message
    assert "(and in 1 other file)" in next(f.message for f in run(DEPS / "undeclared", select=["RPL305"]).findings
                                           if "`yaml`" in f.message)


def test_module_names_and_known_first_party_from_config(tmp_path):
    (tmp_path / "requirements.txt").write_text("internal-vision==1.0\n")
    (tmp_path / ".python-version").write_text("3.11\n")
    (tmp_path / "main.py").write_text("import ivision\nimport labtools\n")
    assert found(tmp_path, select=["RPL3"]) == {
        ("RPL304", "requirements.txt", 1), ("RPL305", "main.py", 1), ("RPL305", "main.py", 2)}
    (tmp_path / "reprolint.toml").write_text(
        'known-first-party = ["labtools"]\n[module-names]\ninternal-vision = ["ivision"]\n')
    assert found(tmp_path, select=["RPL3"]) == set()


def test_setup_py_is_read_and_never_executed():
    project = run(DEPS / "setup_py", select=["RPL3"]).project
    declared = {(d.name, d.specifier, d.rel, d.line, d.group) for d in project.dependencies.dependencies}
    assert declared == {
        ("torch", "==2.2.2", "requirements.txt", 1, ""),  # followed from open("requirements.txt")
        ("einops", "", "requirements.txt", 2, ""),
        ("matplotlib", "==3.8.4", "setup.py", 10, "viz"),  # a name bound to a literal, at the literal's line
        ("black", "", "setup.py", 19, "dev"),
    }
    assert [(p.spec, p.line) for p in project.dependencies.python_versions] == [(">=3.9", 20)]
    assert deps("setup_py") == {("RPL302", "requirements.txt", 2)}
    assert not (DEPS / "setup_py" / "SETUP_PY_WAS_EXECUTED").exists()
    assert (DEPS / "setup_py" / "data" / "keep.txt").exists()


def test_setup_cfg():
    assert deps("setup_cfg") == {("RPL302", "setup.cfg", 8)}


def test_broken_manifests_are_findings_and_the_rest_is_still_analyzed():
    assert deps("broken") == {
        ("RPL306", "base.txt", 1),  # the include cycle, where it closes
        ("RPL306", "requirements.txt", 2),  # -r missing.txt
        ("RPL306", "requirements.txt", 4),  # a line pip cannot parse
        ("RPL001", "pyproject.toml", 1),
        ("RPL001", "environment.yml", 5),
        ("RPL401", "pyproject.toml", 1),  # the only Python version is in the broken environment.yml
    }
    declared = {d.name for d in run(DEPS / "broken").project.dependencies.dependencies}
    assert declared == {"numpy", "scipy"}


def test_poetry_ranges_and_sources():
    assert deps("poetry") == {("RPL303", "pyproject.toml", 7)}  # numpy ^1.26; scipy ~1.13 is one minor series
    model = run(DEPS / "poetry").project.dependencies
    assert model.sources == {"torch": {"pytorch"}}
    assert [(i.how, i.name, i.line) for i in model.indexes] == [("poetry-source", "pytorch", 13)]


@pytest.mark.parametrize("specifier, dialect, expected", [
    ("", PIP, NONE), ("==1.2.3", PIP, EXACT), ("==2.0.1+cu118", PIP, EXACT), ("==1.2.*", PIP, TIGHT),
    ("~=1.2.3", PIP, TIGHT), ("~=1.2", PIP, RANGE), (">=1.2", PIP, RANGE), (">=1.2,<1.3", PIP, TIGHT),
    (">=1.2,<2", PIP, RANGE), ("=1.13", CONDA, TIGHT), ("1.13.1", CONDA, EXACT), (">=1.13", CONDA, RANGE),
    ("=1.11.0=py3.9_cuda11.3_cudnn8.2.0_0", CONDA, EXACT), ("^1.26", POETRY, RANGE), ("~1.13", POETRY, TIGHT),
    ("2.2.2", POETRY, EXACT), ("*", POETRY, NONE),
])
def test_pin_strength(specifier, dialect, expected):
    assert pin_strength(Dependency("x", specifier, "m", 1, dialect)) == expected


def test_direct_references_are_pinned_by_a_commit_or_a_wheel():
    assert pin_strength(Dependency("clip", "", "m", 1, PIP, url="git+https://github.com/openai/CLIP.git@main")) == RANGE
    assert pin_strength(Dependency("clip", "", "m", 1, PIP, url="git+https://x/CLIP.git@a1b2c3d4e5")) == EXACT


@pytest.mark.parametrize("distribution, module", [
    ("scikit-learn", "sklearn"), ("Pillow", "PIL"), ("opencv-python-headless", "cv2"), ("PyYAML", "yaml"),
    ("protobuf", "google.protobuf.text_format"), ("tensorflow-gpu", "tensorflow"), ("pytorch-lightning",
    "pytorch_lightning"), ("faiss-cpu", "faiss"), ("python-dateutil", "dateutil"), ("beautifulsoup4", "bs4"),
    ("google-cloud-storage", "google.cloud.storage"), ("cupy-cuda12x", "cupy"), ("dm-haiku", "haiku"),
    ("absl-py", "absl"), ("hydra-core", "hydra"), ("torch", "torch.nn"), ("pytorch", "torch"),
])
def test_curated_mapping(distribution, module):
    assert ModuleIndex(modules_of(distribution)).relates(module)


def test_protobuf_does_not_provide_all_of_google():
    assert not ModuleIndex(modules_of("protobuf")).relates("google.cloud.storage")
    assert ModuleIndex(modules_of("protobuf")).relates("google")  # `import google` may mean protobuf's namespace
    assert distributions_for("google.protobuf") == ("protobuf",)
    assert distributions_for("cv2") == ("opencv-python", "opencv-python-headless")


def test_mapping_agrees_with_the_metadata_of_every_installed_distribution():
    """The curated map is checked against real metadata wherever this environment has the distribution."""
    installed = {d: {m for m in modules if not m.startswith("_")} for d, modules in installed_modules().items()}
    assert installed["pyyaml"] == {"yaml"} and "pip-requirements-parser" in installed
    wrong = {d: sorted(modules) for d, modules in installed.items()
             if modules and not any(ModuleIndex(modules_of(d)).relates(m) for m in modules)}
    assert not wrong


def test_installed_metadata_is_read_only_when_asked(tmp_path, monkeypatch):
    monkeypatch.setattr(distributions, "installed_modules", lambda: {"internal-vision": ("ivision",)})
    (tmp_path / "requirements.txt").write_text("internal-vision==1.0\n")
    (tmp_path / ".python-version").write_text("3.11\n")
    (tmp_path / "main.py").write_text("import ivision\n")
    assert found(tmp_path, select=["RPL3"]) == {("RPL304", "requirements.txt", 1), ("RPL305", "main.py", 1)}
    (tmp_path / "reprolint.toml").write_text("installed-metadata = true\n")
    assert found(tmp_path, select=["RPL3"]) == set()


def test_install_commands_in_notebooks_and_scripts_declare_what_they_install():
    # the notebook's `!pip install` and `%pip install` lines declare transformers, datasets and tool; the README's
    # `pip install wandb` declares wandb without being judged for its pin
    assert deps("commands") == {
        ("RPL302", "install.sh", 2),
        ("RPL302", "notebooks/colab.ipynb", "cell 1:1"),
        ("RPL303", "notebooks/colab.ipynb", "cell 1:2"),
    }
    indexes = run(DEPS / "commands").project.dependencies.indexes
    assert [(i.rel, i.line, i.how) for i in indexes] == [("install.sh", 2, "instruction")]


def test_several_packages_on_one_command_line_are_one_finding(tmp_path):
    (tmp_path / "setup.sh").write_text("pip install ftfy regex spacy\n")
    (tmp_path / "main.py").write_text("import ftfy, regex, spacy\n")
    [finding] = run(tmp_path, select=["RPL302"]).findings
    assert finding.message == "ftfy, regex and spacy are not pinned to any version"


def test_development_tools_that_no_run_uses_are_not_asked_for_a_pin(tmp_path):
    (tmp_path / "requirements.txt").write_text("numpy\ntqdm\npytest\npre-commit\n")
    (tmp_path / "train.py").write_text("import numpy, tqdm\n")
    assert found(tmp_path, select=["RPL302"]) == {("RPL302", "requirements.txt", 1), ("RPL302", "requirements.txt", 2)}


def test_imports_under_a_python_version_test_are_conditional(tmp_path):
    (tmp_path / "requirements.txt").write_text("tomli==2.0.1 ; python_version < '3.11'\n")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "0"\nrequires-python = ">=3.9"\n')
    (tmp_path / "config.py").write_text("import sys\n\nif sys.version_info >= (3, 11):\n    import tomllib\n"
                                        "else:\n    import tomli as tomllib\n")
    assert found(tmp_path, select=["RPL305"]) == set()


def test_imports_under_an_availability_test_are_optional(tmp_path):
    (tmp_path / "requirements.txt").write_text("numpy==1.26.4\n")
    (tmp_path / "loggers.py").write_text(
        "import importlib.util\nimport numpy\n\n\ndef logger():\n    if importlib.util.find_spec('wandb'):\n"
        "        import wandb\n        return wandb\n    if is_comet_available():\n        import comet_ml\n"
        "        return comet_ml\n    import mlflow\n    return mlflow\n")
    assert found(tmp_path, select=["RPL305"]) == {("RPL305", "loggers.py", 12)}


def test_a_colab_notebook_imports_from_colab_s_runtime(tmp_path):
    import json

    def notebook(metadata, *sources):
        cells = [{"cell_type": "code", "source": s, "metadata": {}, "outputs": []} for s in sources]
        return json.dumps({"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5})
    (tmp_path / "requirements.txt").write_text("numpy==1.26.4\n")
    (tmp_path / "saved_by_colab.ipynb").write_text(notebook({"colab": {"provenance": []}}, "import h5py\n"))
    (tmp_path / "mounts_drive.ipynb").write_text(notebook({}, "from google.colab import drive\nimport kagglehub\n"))
    (tmp_path / "local.ipynb").write_text(notebook({}, "import numpy\nimport seaborn\n"))
    assert found(tmp_path, select=["RPL305"]) == {("RPL305", "local.ipynb", "cell 1:2")}


def test_what_a_declared_distribution_brings_along_is_not_undeclared(tmp_path):
    (tmp_path / "requirements.txt").write_text("torchvision==0.19.1\nhydra-core==1.3.2\n")
    (tmp_path / "setup.py").write_text("from setuptools import setup\nsetup(name='x', extras_require={'all': ['matplotlib']})\n")
    (tmp_path / "train.py").write_text("import torchvision\nimport hydra\nimport PIL\nimport yaml\nimport cv2\n"
                                       "import torch\nimport kiwisolver\n")
    # Pillow comes with torchvision, PyYAML with hydra-core's omegaconf; nothing declared brings OpenCV; torch is a
    # framework, declared in its own right whatever requires it; an extra's requirements do not come with the install
    assert found(tmp_path, select=["RPL305"]) == {("RPL305", "train.py", 5), ("RPL305", "train.py", 6),
                                                   ("RPL305", "train.py", 7)}


def test_vcs_requirements_nightlies_and_conda_letters(tmp_path):
    (tmp_path / "requirements.txt").write_text(
        "git+https://github.com/example/panopticapi.git@mute\ngit+https://github.com/google/CommonLoopUtils"
        "@4f1c2e9a0b3d5c7e9f1a2b4c6d8e0f1a3b5c7d9e\ntfds-nightly==4.9.2.dev202308090034\n")
    (tmp_path / "environment.yml").write_text("name: x\ndependencies:\n  - python=3.10.13\n  - openssl=1.1.1c=h7b6447c_1\n")
    (tmp_path / "train.py").write_text("import clu\nimport panopticapi\nimport tensorflow_datasets\n")
    # named by their repository (CommonLoopUtils installs as clu); a branch is no pin, a commit is
    assert found(tmp_path, select=["RPL30"]) == {("RPL303", "requirements.txt", 1)}


def test_package_metadata_beside_a_requirements_file_is_not_asked_for_pins(tmp_path):
    (tmp_path / "setup.py").write_text("from setuptools import setup\n\nsetup(name='x', install_requires=['tqdm'])\n")
    (tmp_path / "train.py").write_text("import tqdm\n")
    assert found(tmp_path, select=["RPL302"]) == {("RPL302", "setup.py", 3)}
    (tmp_path / "requirements.txt").write_text("numpy==1.26.4\n")  # the environment is set up from this file
    assert found(tmp_path, select=["RPL302"]) == set()
