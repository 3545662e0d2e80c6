"""Documentation (RPL6xx): the checklist's ticks and evidence, and README drift, on README fixtures."""
import pytest

from reprolint.project.checklist import checklist
from reprolint.readers.readme import commands, parse_readme
from tests.conftest import FIXTURES, found, run

DOCS = FIXTURES / "documentation"


def ticks(name: str) -> dict:
    result = checklist(run(DOCS / name, select=["RPL6"]).project)
    return {item.key: item.ticked for item in result.items}


def test_a_complete_readme_ticks_everything_in_the_template_tags():
    assert found(DOCS / "complete", select=["RPL6"]) == set()
    assert all(ticks("complete").values())
    result = checklist(run(DOCS / "complete").project)
    results = result.item("results").evidence[0]
    assert (results.path, results.line) == ("README.md", 39)
    assert "`python eval.py --checkpoint resnet50.pth` (README.md:44)" in results.text  # its own section's command


def test_promises_in_prose_tick_nothing_and_the_findings_point_at_them():
    assert found(DOCS / "prose_only", select=["RPL6"]) == {
        ("RPL603", "README.md", 5),  # "Training code coming soon."
        ("RPL604", "README.md", 1),
        ("RPL605", "README.md", 7),  # "Pre-trained models will be released after the review."
        ("RPL606", "README.md", 9),  # a results table with no command that reproduces it
        ("RPL607", "README.md", 1), ("RPL608", ".", 1), ("RPL610", "README.md", 1),  # no RPL609: no paper to cite
        ("RPL611", "README.md", 1),
    }
    assert ticks("prose_only") == {"dependencies": True, "training": False, "evaluation": False,
                                   "pretrained": False, "results": False, "paper": False, "license": False,
                                   "citation": False, "hardware": False, "data": False}


def test_drift_names_missing_files_and_unknown_flags_and_nothing_else():
    drift = {f for f in found(DOCS / "drift", select=["RPL612", "RPL613"])}
    assert drift == {
        ("RPL612", "README.md", 4),  # pip install -r requirements-dev.txt
        ("RPL612", "README.md", 5),  # tools/train_net.py
        ("RPL612", "README.md", 6),  # configs/missing.yaml
        ("RPL613", "README.md", 7),  # eval.py --lrr
        ("RPL612", "README.md", 8),  # python -m mypkg.missing
        ("RPL612", "README.md", 9),  # bash scripts/run.sh
        ("RPL613", "README.md", 21),  # typer_app.py --everything: main() has no such parameter
        ("RPL613", "README.md", 44),  # --lrr and --bogus: one finding for the command
    }  # silent: data and output paths, an argparse abbreviation, a parser imported from options.py, Hydra
    #    overrides, absl flags (with --noflag and absl's own), typer's --anything, a third-party module, a `cd`,
    #    a script that runs a configurator
    unknown = {f.line: f.message for f in run(DOCS / "drift", select=["RPL613"]).findings}
    assert "(did you mean --lr?)" in unknown[7] and "typer_app.py declares no --everything" in unknown[21]
    assert unknown[44].startswith("eval.py declares no --lrr (did you mean --lr?), --bogus options:")


def test_a_command_that_names_a_missing_file_is_no_evidence():
    evidence = checklist(run(DOCS / "drift").project).item("training").evidence
    assert "configs/missing.yaml" not in " ".join(e.text for e in evidence)


def test_restructured_text_readme():
    assert found(DOCS / "rst", select=["RPL60"]) == {
        ("RPL605", "README.rst", 1), ("RPL608", ".", 1), ("RPL609", "README.rst", 1)}
    assert ticks("rst")["results"] and ticks("rst")["paper"]


def test_commands_in_documents_the_readme_links_to():
    assert [k for k, v in ticks("linked").items() if v] == ["dependencies", "training", "evaluation"]


def test_no_readme_no_checklist_findings(tmp_path):
    (tmp_path / "train.py").write_text("print(1)\n")
    assert {code for code, _, _ in found(tmp_path, select=["RPL6"])} == {"RPL601", "RPL608"}


@pytest.mark.parametrize("name, text, expected", [
    ("README.md", "# T\n\n```bash\n$ python train.py \\\n    --lr 0.1\n```\n", [[4, "python train.py --lr 0.1", "bash"]]),
    ("README.md", "Run `python eval.py --split test` to evaluate.\n", [[1, "python eval.py --split test", "inline"]]),
    ("README.rst", "Usage\n=====\n\n.. code-block:: bash\n\n   torchrun train.py\n", [[6, "torchrun train.py", "bash"]]),
    ("README.txt", "Run:\n\n    python main.py\n", [[3, "python main.py", ""]]),
])
def test_commands_are_read_from_each_format(name, text, expected):
    assert commands(parse_readme(name, text)) == expected


def test_markdown_and_html_tables_and_links():
    doc = parse_readme("README.md", "# T\n\n| a | b |\n|---|---|\n| x | 1.5 |\n\n<table><tr><th>m</th></tr>"
                                    "<tr><td>2.5</td></tr></table>\n\nSee https://arxiv.org/abs/1.\n")
    assert doc["tables"] == [[3, ["a", "b"], [["x", "1.5"]]], [7, ["m"], [["2.5"]]]]
    assert doc["links"] == [["https://arxiv.org/abs/1", "", 9]]


def test_listings_of_other_languages_and_commands_in_prose_are_not_recipes(tmp_path):
    assert commands(parse_readme("README.md", "```toml\n\"scripts/legacy.py\" = [\"ALL\"]\n```\n")) == []
    (tmp_path / "README.md").write_text("# T\n\nA command such as `python train.py` trains.\n\n```bash\n"
                                        "python bench/bench.py\n```\n")
    (tmp_path / "reprolint.toml").write_text('exclude = ["bench/"]\n')
    (tmp_path / "bench").mkdir()
    (tmp_path / "bench" / "bench.py").write_text("print(1)\n")
    assert found(tmp_path, select=["RPL612"]) == set()  # prose, and an excluded file that exists


# ---------------------------------------------------------------- what the repository shows beyond a README command

def test_an_index_readme_is_judged_with_the_readmes_of_its_projects():
    assert found(DOCS / "index", select=["RPL6"]) == set()
    result = checklist(run(DOCS / "index").project)
    commands_in_pre = {(e.path, e.line) for e in result.item("training").evidence}
    assert commands_in_pre == {("detector/README.md", 15)}  # a `<pre>` element is a code block
    papers = {e.text for e in result.item("paper").evidence}
    assert papers == {"https://lab.example.org/detector.pdf",  # any host, where the link text calls it the paper
                      "https://proceedings.example.org/detector2026"}  # the BibTeX entry's url field


def test_evidence_the_repository_and_its_readme_give_without_the_checklist_commands():
    assert found(DOCS / "evidence", select=["RPL6"]) == {
        ("RPL609", "README.md", 1),  # a paper is linked, with no BibTeX to cite it
        ("RPL612", "README.md", 13),  # `python train.py` for src/train.py: the command, with a wrong path
        ("RPL614", "README.md", 4),  # the Papers with Code badge
    }
    result = checklist(run(DOCS / "evidence").project)
    shown = {key: [(e.path, e.line, e.text) for e in result.item(key).proof] for key in
             ("dependencies", "pretrained", "license", "hardware", "data", "evaluation")}
    assert ("README.md", 8, "pip install graphnets") in shown["dependencies"]  # the repository's own package
    assert ("README.md", 8, "names requirements.txt") in shown["dependencies"]
    assert shown["pretrained"] == [("src/hub.py", 2, "https://weights.example.org/graphnets-base.pt")]
    assert shown["license"] == [("README.md", 45, "Released under the MIT License.")]
    assert shown["hardware"] == [("README.md", 35, "Trained on a single RTX 3090.")]
    assert shown["data"] == [("src/train.py", 11, "downloads the data (torchvision.datasets.MNIST)")]
    assert ("README.md", 32, "python src/train.py --cfg local.yaml") in shown["evaluation"]  # it tests at the end
    assert [e.line for e in result.item("results").evidence] == [39]  # the table, not the leaderboard badge


@pytest.mark.parametrize("change, finding", [
    (("wget https://repo.example.org/Miniconda3-latest-Linux-x86_64.sh\n", ""), ("RPL612", "README.md", 17)),
    (("git clone https://github.com/NVIDIA/apex\n", ""), ("RPL612", "README.md", 19)),
    (("Create a file called local.yaml with your paths, then run:", "Then run:"), ("RPL612", "README.md", 32)),
    (("Trained on a single RTX 3090.", "Trained on a GPU."), ("RPL610", "README.md", 1)),
    (("Released under the MIT License.", "See the authors."), ("RPL608", ".", 1)),
    (("`pip install graphnets`", "`pip install torch`"), None),  # the link to requirements.txt still shows it
])
def test_each_piece_of_evidence_is_what_keeps_its_finding_away(tmp_path, change, finding):
    import shutil

    tree = tmp_path / "evidence"
    shutil.copytree(DOCS / "evidence", tree)
    readme = tree / "README.md"
    old, new = change
    assert old in readme.read_text()
    readme.write_text(readme.read_text().replace(old, new))
    added = found(tree, select=["RPL6"]) - found(DOCS / "evidence", select=["RPL6"])
    assert added == ({finding} if finding else set())


def test_code_stands_for_the_data_the_weights_and_the_evaluation(tmp_path):
    import shutil

    tree = tmp_path / "evidence"
    shutil.copytree(DOCS / "evidence", tree)
    train = tree / "src" / "train.py"
    train.write_text(train.read_text().replace("download=True", "download=False").replace("\ntest()\n", "\n"))
    (tree / "src" / "hub.py").write_text('_MODELS = {"base": "graphnets-base"}\n')
    assert {code for code, _, _ in found(tree, select=["RPL6"])} >= {"RPL604", "RPL605", "RPL611"}


def test_a_library_gets_no_finding_about_training_weights_or_results():
    assert found(DOCS / "library", select=["RPL6"]) == {("RPL607", "README.md", 1)}


def test_no_install_finding_without_a_dependency_file(tmp_path):
    (tmp_path / "README.md").write_text("# T\n\n```bash\npip install torch\npython train.py\n```\n")
    (tmp_path / "train.py").write_text("import torch\n")
    assert "RPL602" not in {code for code, _, _ in found(tmp_path, select=["RPL6"])}
    (tmp_path / "utils" / "progress").mkdir(parents=True)  # a vendored package's own setup.py
    (tmp_path / "utils" / "progress" / "setup.py").write_text("from setuptools import setup\nsetup(name='p')\n")
    assert "RPL602" not in {code for code, _, _ in found(tmp_path, select=["RPL6"])}
    (tmp_path / "requirements.txt").write_text("torch==2.3.1\n")
    assert ("RPL602", "README.md", 1) in found(tmp_path, select=["RPL6"])


@pytest.mark.parametrize("readme, line", [
    ("```bash\npython generate.py --network=https://cdn.example.org/nets/ffhq.pkl\n```\n", 4),  # used by a command
    ("Trained agents are on our Hugging Face page: https://huggingface.co/labagents\n", 3),  # an organisation
])
def test_weights_a_readme_shows_outside_a_link_to_a_file(tmp_path, readme, line):
    (tmp_path / "README.md").write_text("# Nets\n\n" + readme)
    evidence = checklist(run(tmp_path).project).item("pretrained").evidence
    assert [e.line for e in evidence] == [line]


def test_a_citation_names_the_work_when_there_is_no_paper(tmp_path):
    import shutil

    shutil.copytree(DOCS / "library", tmp_path / "library")
    readme = tmp_path / "library" / "README.md"
    readme.write_text(readme.read_text() + "\n```bibtex\n@misc{tinyfmt, title = {tinyfmt}}\n```\n")
    assert found(tmp_path / "library", select=["RPL6"]) == set()


def test_experiments_documented_through_wrappers_prose_and_the_readmes_beside_the_scripts():
    assert found(DOCS / "experiments", select=["RPL6"]) == {
        ("RPL606", "README.md", 1), ("RPL609", "README.md", 1), ("RPL610", "README.md", 1),
        ("RPL612", "README.md", 21),  # the evaluation command's script is missing: no RPL604 on top of it
    }
    result = checklist(run(DOCS / "experiments").project)
    training = {(e.path, e.line, e.text) for e in result.item("training").evidence}
    assert training == {("README.md", 16, "bash scripts/search.sh"),  # a line of prose; the wrapper trains
                        ("experiments/README.md", 5, "python <script_name>.py")}  # the scripts of its folder
    assert [(e.path, e.text) for e in result.item("pretrained").artefacts] == [
        ("experiments/mnist/mnist_components.h5", "weights committed in the repository")]  # beside its loader
    assert [e.path for e in result.item("data").artefacts] == ["nets/datasets.py"]
    assert "Miniconda3" not in " ".join(e.text for e in result.item("evaluation").evidence)  # `latest` is no test


@pytest.mark.parametrize("changes, finding", [
    ([("export CODE_DIR=.\n", "")], None),  # the READMEs beside the scripts still show the training
    ([("export CODE_DIR=.\n", ""), ("The script of each experiment comes with a short README.", "See below.")],
     ("RPL603", "README.md", 1)),  # and without them, nothing does
    ([("## Evaluate the baseline", "## Baseline"), ("baseline/evaluate_baseline.py", "baseline/run.py")],
     ("RPL604", "README.md", 1)),  # a missing script of unknown purpose: evaluation is not shown
])
def test_what_keeps_the_experiments_findings_away(tmp_path, changes, finding):
    import shutil

    tree = tmp_path / "experiments"
    shutil.copytree(DOCS / "experiments", tree)
    for old, new in changes:
        for rel in ("README.md", "scripts/search.sh"):
            path = tree / rel
            path.write_text(path.read_text().replace(old, new))
    added = found(tree, select=["RPL6"]) - found(DOCS / "experiments", select=["RPL6"])
    assert added == ({finding} if finding else set())


_TRAINING_SCRIPT = ("import torch\nmodel = torch.nn.Linear(2, 2)\n"
                    "optimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n"
                    "loss = model(torch.ones(2)).sum()\nloss.backward()\noptimizer.step()\n")


@pytest.mark.parametrize("prose", [
    'Then run "python demo.py coat" to fit the models.\n',  # a command quoted in a sentence
    "python demo.py\n",  # a command as a line of prose
])
def test_commands_written_in_prose(tmp_path, prose):
    (tmp_path / "README.md").write_text("# Demo\n\n" + prose)
    (tmp_path / "demo.py").write_text(_TRAINING_SCRIPT)
    assert [e.line for e in checklist(run(tmp_path).project).item("training").evidence] == [3]


def test_a_line_that_says_to_run_the_notebooks_shows_what_they_do(tmp_path):
    import json

    (tmp_path / "README.md").write_text("# Experiments\n\nJust run the `.ipynb` files in `src`.\n")
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
            "source": _TRAINING_SCRIPT.splitlines(keepends=True)}
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "example.ipynb").write_text(json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4,
                                                                "nbformat_minor": 5}))
    assert [e.line for e in checklist(run(tmp_path).project).item("training").evidence] == [3]
    (tmp_path / "README.md").write_text("# Experiments\n\nThe code is in `src`.\n")
    assert checklist(run(tmp_path).project).item("training").evidence == []


def test_a_script_whose_run_reaches_the_fitting_code_is_the_training_command(tmp_path):
    (tmp_path / "README.md").write_text("# Shift detection\n\n```bash\npython pipeline.py mnist\n```\n")
    (tmp_path / "reductor.py").write_text("from sklearn.decomposition import PCA\n\n\ndef reduce(x):\n"
                                          "    return PCA(2).fit(x)\n")
    (tmp_path / "pipeline.py").write_text("import sys\n\nfrom reductor import reduce\n\n"
                                          "if __name__ == '__main__':\n    reduce(sys.argv[1])\n")
    assert [e.line for e in checklist(run(tmp_path).project).item("training").evidence] == [4]


@pytest.mark.parametrize("script, weights_wanted", [
    ("from sklearn.linear_model import LogisticRegression\nLogisticRegression().fit([[0], [1]], [0, 1])\n", False),
    (_TRAINING_SCRIPT, True),
])
def test_weights_are_wanted_from_networks_not_from_models_refitted_in_every_run(tmp_path, script, weights_wanted):
    (tmp_path / "README.md").write_text("# Fit\n\n```bash\npython fit.py\n```\n")
    (tmp_path / "fit.py").write_text(script)
    assert (("RPL605", "README.md", 1) in found(tmp_path, select=["RPL605"])) == weights_wanted


def test_a_block_of_only_cd_holds_for_the_rest_of_its_section(tmp_path):
    (tmp_path / "experiments" / "configs").mkdir(parents=True)
    (tmp_path / "experiments" / "celeba.py").write_text(
        "import argparse\n\nif __name__ == '__main__':\n    p = argparse.ArgumentParser()\n"
        "    p.add_argument('--config')\n    p.parse_args()\n")
    (tmp_path / "experiments" / "configs" / "celeba.json").write_text("{}\n")
    (tmp_path / "README.md").write_text(
        "# x\n\n## Running the experiments\nFirst go to the experiments directory:\n```\ncd experiments\n```\n\n"
        "### CelebA\n```bash\npython celeba.py --config configs/celeba.json\n```\n\n"
        "## Elsewhere\n```bash\npython celeba.py --config configs/celeba.json\n```\n")
    # the command under "CelebA" runs in experiments/; the one after the next level-2 heading runs at the root
    assert {f for f in found(tmp_path, select=["RPL612"])} == {("RPL612", "README.md", 16)}
