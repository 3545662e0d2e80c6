"""Hyperparameters (RPL5xx): a hidden and a disclosed version per framework, and the false-positive traps."""
import pytest

from tests.conftest import FIXTURES, found, run

HP = FIXTURES / "hyperparameters"


def hp(name):
    return found(HP / name, select=["RPL5"])


@pytest.mark.parametrize("fixture, expected", [
    ("torch_hidden", {
        ("RPL501", "train.py", 16),  # the script's own dropout (the model class's is architecture: not judged)
        ("RPL501", "train.py", 17),  # SGD momentum, weight_decay
        ("RPL502", "train.py", 17),  # lr=LR, a module constant
        ("RPL501", "train.py", 18),  # StepLR(optimizer, 30, gamma=0.1)
        ("RPL501", "train.py", 19),  # the shuffling DataLoader's batch size (the evaluation loader is not judged)
        ("RPL501", "train.py", 20),  # label smoothing
        ("RPL501", "train.py", 22),  # for epoch in range(epochs), epochs = 200
        ("RPL501", "train.py", 26),  # gradient clipping
    }),
    ("lightning_hidden", {("RPL501", "train.py", 7), ("RPL501", "train.py", 12)}),
    ("keras_hidden", {("RPL501", "train.py", 6), ("RPL501", "train.py", 7)}),
    ("transformers_hidden", {("RPL501", "finetune.py", 5)}),
    ("jax_hidden", {("RPL501", "train.py", 7), ("RPL501", "train.py", 8), ("RPL501", "train.py", 9)}),
    ("no_seed", {("RPL503", "train.py", 16)}),
    # disclosed: argparse defaults, LightningCLI with signature defaults, absl flags, HfArgumentParser,
    # ml_collections configs, Hydra's cfg.optim.lr
    ("torch_disclosed", set()), ("lightning_disclosed", set()), ("keras_disclosed", set()),
    ("transformers_disclosed", set()), ("jax_disclosed", set()), ("hydra_app", set()),
    # a library's signature defaults, constants of a config module, tests and examples: silent
    ("library_and_config", set()),
    # a yacs config with SEED, loaded by --cfg and overridden by --opts: the seed is configurable
    ("yacs_config", set()),
])
def test_hyperparameter_findings(fixture, expected):
    assert hp(fixture) == expected


def test_messages_name_the_parameter_and_the_literal():
    messages = {f.line: f.message for f in run(HP / "torch_hidden", select=["RPL5"]).findings if f.code == "RPL501"}
    assert messages[17].startswith("SGD: momentum=0.9, weight_decay=0.0005 are fixed in the code")
    assert messages[22].startswith("training loop: for epoch in range(epochs) with epochs = 200 (line 21)")
    [constant] = [f for f in run(HP / "torch_hidden", select=["RPL502"]).findings]
    assert constant.message.startswith("SGD: lr=LR with LR = 0.1 (line 5)")


def test_repeated_literals_in_one_file_are_one_finding(tmp_path):
    (tmp_path / "train.py").write_text(
        "import torch\n\n\ndef main():\n"
        "    a = torch.optim.SGD([], lr=0.1)\n    b = torch.optim.SGD([], lr=0.1)\n    a.step()\n\n\n"
        "if __name__ == '__main__':\n    main()\n")
    [finding] = run(tmp_path, select=["RPL501"]).findings
    assert (finding.line, finding.message.endswith("(the same at line 6)")) == (5, True)


def test_an_unseeded_configurable_entrypoint_is_silent_once_the_seed_is_an_option(tmp_path):
    source = (HP / "no_seed" / "train.py").read_text()
    (tmp_path / "train.py").write_text(source.replace(
        'parser.add_argument("--lr", type=float, default=0.1)',
        'parser.add_argument("--lr", type=float, default=0.1)\n    parser.add_argument("--seed", type=int)'))
    assert found(tmp_path, select=["RPL503"]) == set()


def test_a_numerical_epsilon_is_not_a_hidden_hyperparameter(tmp_path):
    (tmp_path / "train.py").write_text(
        "import torch\n\nif __name__ == '__main__':\n    model = torch.nn.Linear(2, 2)\n"
        "    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-8)\n"
        "    model(torch.zeros(1, 2)).sum().backward()\n    opt.step()\n")
    [finding] = run(tmp_path, select=["RPL501"]).findings
    assert "lr=0.001" in finding.message and "eps" not in finding.message


def test_a_loader_that_says_shuffle_false_is_not_the_training_loader(tmp_path):
    (tmp_path / "train.py").write_text(
        "import torch\nfrom torch.utils.data import DataLoader\n\nif __name__ == '__main__':\n"
        "    train = DataLoader([], batch_size=16, shuffle=True)\n"
        "    valid = DataLoader([], batch_size=1, shuffle=False, drop_last=True)\n"
        "    model = torch.nn.Linear(2, 2)\n    model(torch.zeros(1, 2)).sum().backward()\n")
    assert found(tmp_path, select=["RPL501"]) == {("RPL501", "train.py", 5)}


def test_a_colab_form_field_is_the_notebook_s_option(tmp_path):
    import json

    def notebook(*sources):
        cells = [{"cell_type": "code", "source": s, "metadata": {}, "outputs": []} for s in sources]
        return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    train = "from tensorflow import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\n" \
            "model.compile(loss='mse')\nmodel.fit([[0.0]], [[0.0]], epochs=epochs)\n"
    (tmp_path / "form.ipynb").write_text(notebook('epochs = 2  #@param {type:"integer"}\n', train))
    (tmp_path / "plain.ipynb").write_text(notebook("epochs = 2\n", train))
    assert {f[1] for f in found(tmp_path, select=["RPL501"])} == {"plain.ipynb"}
