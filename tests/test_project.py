"""The project model: module resolution, the import graph, entrypoints."""
from reprolint.project import Entrypoint
from tests.conftest import FIXTURES, run

BASIC = FIXTURES / "engine" / "basic"


def test_entrypoints_main_guard_console_script_and_notebooks():
    assert run(BASIC).project.entrypoints == [
        Entrypoint("notebooks/explore.ipynb", "notebook", 1, None),
        Entrypoint("pkg/cli.py", "console-script", 1, "run"),
        Entrypoint("train.py", "script", 21, None),
    ]


def test_import_graph_follows_absolute_and_relative_imports():
    graph = run(BASIC).project.import_graph
    assert graph["train.py"] == {"pkg/helpers.py"}
    assert graph["pkg/helpers.py"] == {"pkg/data.py"}


def test_src_layout_script_folders_and_setup_py_console_scripts(tmp_path):
    (tmp_path / "src" / "mypkg").mkdir(parents=True)
    (tmp_path / "src" / "mypkg" / "__init__.py").write_text("")
    (tmp_path / "src" / "mypkg" / "train.py").write_text("from mypkg import model\ndef main():\n    model.build()\n")
    (tmp_path / "src" / "mypkg" / "model.py").write_text("def build():\n    pass\n")
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "run.py").write_text("import helper\nimport mypkg.train\n")
    (tmp_path / "scripts" / "helper.py").write_text("")
    (tmp_path / "setup.py").write_text(
        "from setuptools import setup\n"
        "setup(name='mypkg', entry_points={'console_scripts': ['mypkg-train = mypkg.train:main']})\n")
    project = run(tmp_path).project
    assert project.import_graph["src/mypkg/train.py"] == {"src/mypkg/model.py"}
    assert project.import_graph["scripts/run.py"] == {"scripts/helper.py", "src/mypkg/train.py"}
    assert project.entrypoints == [Entrypoint("src/mypkg/train.py", "console-script", 2, "main")]
    assert not list(project.third_party_imports())  # setup.py's setuptools is a build requirement


def test_scripts_named_in_commands_are_entrypoints():
    entrypoints = run(FIXTURES / "randomness" / "commanded").project.entrypoints
    assert [(e.rel, e.kind) for e in entrypoints] == [("finetune.py", "command"), ("train.py", "command")]
